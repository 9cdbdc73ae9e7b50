"""Organisers' own messages to an event's participants: preview, then queue and audit-log.

A message is written in Estonian and, optionally, in English; each person gets the version of
the language they registered in, or the Estonian one (in an Estonian frame) when there is no
English text (``notify.written_in``).
"""

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
from koosloome.messaging.notify import Versions, language_of, notify, written_in
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
class PreviewVersion:
    """The message in one language as a participant will see it, and how many get it."""

    language: str
    subject: str
    text: str
    html: str
    #: People with e-mail (or a group contact's) who get this version.
    recipients: int


@dataclass(frozen=True)
class OrganiserMessagePreview:
    """The message in each language it is written in, and who gets it."""

    versions: list[PreviewVersion]
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


def _check_message(subject: str, body: str, audience: Collection[Audience],
                   subject_en: str = "", body_en: str = "") -> Versions:
    """The message's versions by language (Estonian first, English when written), or
    ``InvalidMessage`` naming what is missing."""
    subject, subject_en = header_text(subject), header_text(subject_en)
    if not subject:
        raise InvalidMessage(_l("Write a subject."))
    if not body.strip():
        raise InvalidMessage(_l("Write the message."))
    if bool(subject_en) != bool(body_en.strip()):
        raise InvalidMessage(_l("Write both the subject and the message in English, or "
                                "leave both empty."))
    if not audience:
        raise InvalidMessage(_l("Choose who gets the message."))
    versions = {"et": {"subject": subject, "body": body}}
    if subject_en:
        versions["en"] = {"subject": subject_en, "body": body_en}
    return versions


def _language_counts(registrations: list[Registration], versions: Versions) -> dict[str, int]:
    """How many people with e-mail get each version."""
    counts = dict.fromkeys(versions, 0)
    for registration in registrations:
        if registration.email:
            counts[written_in(language_of(registration), versions)] += 1
    return counts


def preview_organiser_message(
    event: Event, subject: str, body: str, audience: Collection[Audience], *,
    subject_en: str = "", body_en: str = "",
) -> OrganiserMessagePreview:
    """Render each version for a sample participant (no real manage link is shown to the
    organiser) and count who gets it. Nothing is queued."""
    versions = _check_message(subject, body, audience, subject_en, body_en)
    registrations = audience_registrations(event, audience)
    counts = _language_counts(registrations, versions)
    placeholder = f"{current_app.config['BASE_URL']}/r/…"
    rendered_versions = []
    for language, texts in versions.items():
        with force_locale(language):
            sample_name = _("Participant's name")
        values = message_context(event, language, sample_name, placeholder,
                                 calendar_method=None, **texts)
        rendered = render_email(MessageKind.ORGANISER_MESSAGE.value, language,
                                texts["subject"], values)
        rendered_versions.append(PreviewVersion(language, rendered.subject, rendered.text,
                                                rendered.html, counts[language]))
    return OrganiserMessagePreview(
        versions=rendered_versions,
        recipients=sum(counts.values()),
        without_email=[r for r in registrations if not r.email],
    )


def send_organiser_message(
    event: Event,
    subject: str,
    body: str,
    audience: Collection[Audience],
    *,
    subject_en: str = "",
    body_en: str = "",
    user_id: int | None = None,
    actor: str = "",
) -> int:
    """Queue the message to every participant in ``audience`` with e-mail, each in their
    language when it is written in it (else in Estonian), and log it in the audit log; returns
    the number queued. People without e-mail get call tasks the same way. Flushes."""
    versions = _check_message(subject, body, audience, subject_en, body_en)
    registrations = audience_registrations(event, audience)
    english = versions.get("en", {})
    queued = 0
    for registration in registrations:
        if notify(registration, MessageKind.ORGANISER_MESSAGE, versions=versions):
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
        subject=versions["et"]["subject"],
        body=versions["et"]["body"],
        subject_en=english.get("subject", ""),
        body_en=english.get("body", ""),
    )
    db.session.flush()
    return queued
