"""Loading an event for a back-office page: only for staff who manage it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from koosloome.accounts.permissions import can_manage_event
from koosloome.events.models import Event
from koosloome.extensions import db


def managed_event_or_abort(event_id: int) -> Event:
    """The event, if the signed-in user manages it: 404 when there is none, 403 when the
    event belongs to the other partner (and is not co-organised) or the role cannot."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not can_manage_event(current_user, event):
        abort(403)
    return event
