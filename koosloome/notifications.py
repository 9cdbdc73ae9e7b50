"""Messages to participants, queued in the outbox in the same transaction as the change.

Minimal version: one plain-text message per kind. The full set of bilingual text/HTML
templates with calendar invites replaces it (issue 4); the interface stays the same.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from koosloome.bilingual import localised
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.outbox import OutgoingEmail
from koosloome.registrations.links import manage_url
from koosloome.registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus


class MessageKind(enum.StrEnum):
    """Why a participant is written to."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    APPLICATION_RECEIVED = "application_received"
    APPLICATION_ACCEPTED = "application_accepted"
    APPLICATION_REJECTED = "application_rejected"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    LOST_LINK = "lost_link"
    EVENT_CHANGED = "event_changed"
    EVENT_CANCELLED = "event_cancelled"
    REMINDER = "reminder"
    THANK_YOU = "thank_you"
    ORGANISER_MESSAGE = "organiser_message"


def _subject(kind: MessageKind, title: str) -> str:
    subjects = {
        MessageKind.CONFIRMED: _("You are registered: %(title)s", title=title),
        MessageKind.WAITLISTED: _("You are on the waiting list: %(title)s", title=title),
        MessageKind.PROMOTED: _("A seat is yours: %(title)s", title=title),
        MessageKind.APPLICATION_RECEIVED: _("Application received: %(title)s", title=title),
        MessageKind.APPLICATION_ACCEPTED: _("Your application was accepted: %(title)s",
                                            title=title),
        MessageKind.APPLICATION_REJECTED: _("About your application: %(title)s", title=title),
        MessageKind.CHANGED: _("Your registration was changed: %(title)s", title=title),
        MessageKind.CANCELLED: _("Your registration is cancelled: %(title)s", title=title),
        MessageKind.LOST_LINK: _("Your registration link: %(title)s", title=title),
    }
    return subjects.get(kind, title)


def notify(registration: Registration, kind: MessageKind, **context: Any) -> OutgoingEmail | None:
    """Queue a message to the participant; None when they gave no e-mail address."""
    if not registration.email:
        return None
    event = registration.event
    with force_locale(registration.language):
        title = localised(event, "title", registration.language)
        body = "\n\n".join(
            [
                _subject(kind, title),
                _("Manage or cancel your registration: %(url)s", url=manage_url(registration)),
            ]
        )
        email = OutgoingEmail(
            kind=kind.value,
            to_address=registration.email,
            to_name=registration.name,
            language=registration.language,
            subject=_subject(kind, title),
            body_text=body,
            event_id=event.id,
            registration_id=registration.id,
        )
    db.session.add(email)
    return email


def _active(event_id: int, statuses: tuple[RegistrationStatus, ...]) -> list[Registration]:
    query = select(Registration).where(
        Registration.event_id == event_id, Registration.status.in_(statuses)
    )
    return list(db.session.scalars(query))


def notify_event_changed(event: Event) -> int:
    """Tell everyone confirmed that the time or place changed; returns how many were queued."""
    queued = [notify(r, MessageKind.EVENT_CHANGED)
              for r in _active(event.id, (RegistrationStatus.CONFIRMED,))]
    return sum(1 for email in queued if email is not None)


def notify_event_cancelled(event: Event) -> int:
    """Tell every active registration that the event is cancelled."""
    queued = [notify(r, MessageKind.EVENT_CANCELLED) for r in _active(event.id, ACTIVE_STATUSES)]
    return sum(1 for email in queued if email is not None)
