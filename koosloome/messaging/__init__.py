"""Messaging: everything Koosloome tells people by e-mail, and how it gets there.

The flow, one message from cause to inbox::

    domain service ──notify(registration, kind)──▶ outgoing_email row (pending)   [outbox, notify]
        (same transaction as the change: rolled back → nothing sent; committed → never lost)
    worker: render_pending ──▶ subject, text, HTML, calendar                      [content, invites]
    worker: claim (lease, token) ──▶ build MIME ──▶ transport ──▶ record attempt  [delivery]
        sent · retry (back-off) · failed (5xx or unbuildable, reason kept for organisers)

Modules, from the bottom up: ``kinds`` (what can be asked for), ``models`` (the tables),
``ical`` (pure RFC 5545), ``calendars`` and ``invites`` (events and registrations as calendar
data), ``mime`` (the wire format), ``transport`` (SMTP or files), ``outbox`` (queueing),
``content`` (rendering), ``notify`` (the one call domain code makes), ``scheduled`` and
``organiser`` (reminders, thank-yous, organisers' own messages), ``delivery`` (the worker's
steps) and ``cli`` (``outbox send|work``, ``reminders send``).

Messaging reads domain *models*; it never imports a domain service, so any domain may call it.
"""
