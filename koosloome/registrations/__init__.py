"""Registrations: the form, capacity and waiting list, and self-service changes."""
