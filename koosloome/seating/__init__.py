"""Seats: whether an event takes registrations, how many seats are taken, and the lifecycle
that moves a registration between statuses — the lower module both ``events`` and
``registrations`` use.

``counts`` only reads. ``lifecycle`` locks the event (``lock_event``), then counts and moves:
every status change goes through ``move``, which looks up the one transition table and asks
messaging for the message and calendar action the change causes.
"""
