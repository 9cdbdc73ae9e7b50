"""Organisers' own messages to an event's participants: preview, then queue and audit-log."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from koosloome import audit
from koosloome.errors import DomainError
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.content import message_context, render_email
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.mime import header_text
from koosloome.messaging.notify import notify
from koosloome.registrations.models import Registration, RegistrationStatus


class InvalidMessage(DomainError):
    """An organiser's message lacks a subject, a text or recipients (the argument is a lazy
    string, translated where the view shows it)."""


class Audience(enum.StrEnum):
    """Whom an organiser's message goes to."""

    CONFIRMED = "confirmed"
    #: On the waiting list or awaiting a decision on their application.
    WAITING = "waiting"


_AUDIENCE_STATUSES = {
    Audience.CONFIRMED: (RegistrationStatus.CONFIRMED,),
    Audience.WAITING: (RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING,
                       RegistrationStatus.OFFERED),
}


@dataclass(frozen=True)
class OrganiserMessagePreview:
    """The message as one participant will see it, and who gets it."""

    subject: str
    text: str
    html: str
    recipients: int
    #: Registered by phone only: the organisers have to call these people.
    without_email: list[Registration]


def audience_registrations(event: Event, audience: Collection[Audience]) -> list[Registration]:
    """The registrations an organiser's message to ``audience`` reaches (with or without
    e-mail)."""
    statuses = [status for group in audience for status in _AUDIENCE_STATUSES[Audience(group)]]
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def _check_message(subject: str, body: str, audience: Collection[Audience]) -> str:
    subject = header_text(subject)
    if not subject:
        raise InvalidMessage(_l("Write a subject."))
    if not body.strip():
        raise InvalidMessage(_l("Write the message."))
    if not audience:
        raise InvalidMessage(_l("Choose who gets the message."))
    return subject


def preview_organiser_message(
    event: Event, subject: str, body: str, audience: Collection[Audience], language: str = "et"
) -> OrganiserMessagePreview:
    """Render the message in ``language`` for a sample participant (no real manage link is
    shown to the organiser) and count its recipients. Nothing is queued."""
    subject = _check_message(subject, body, audience)
    registrations = audience_registrations(event, audience)
    placeholder = f"{current_app.config['BASE_URL']}/r/…"
    with force_locale(language):
        sample_name = _("Participant's name")
    values = message_context(event, language, sample_name, placeholder,
                             subject=subject, body=body, calendar_method=None)
    rendered = render_email(MessageKind.ORGANISER_MESSAGE.value, language, subject, values)
    return OrganiserMessagePreview(
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        recipients=sum(1 for r in registrations if r.email),
        without_email=[r for r in registrations if not r.email],
    )


def send_organiser_message(
    event: Event,
    subject: str,
    body: str,
    audience: Collection[Audience],
    *,
    user_id: int | None = None,
    actor: str = "",
) -> int:
    """Queue the message to every participant in ``audience`` with e-mail, and log it in the
    audit log; returns the number queued. Flushes."""
    subject = _check_message(subject, body, audience)
    registrations = audience_registrations(event, audience)
    queued = 0
    for registration in registrations:
        if notify(registration, MessageKind.ORGANISER_MESSAGE, subject=subject, body=body):
            queued += 1
    audit.record(
        "event.message_sent",
        user_id=user_id,
        actor=actor,
        object_type="event",
        object_id=event.id,
        event_id=event.id,
        audience=sorted(Audience(group).value for group in audience),
        recipients=queued,
        without_email=len(registrations) - queued,
        subject=subject,
        body=body,
    )
    db.session.flush()
    return queued
