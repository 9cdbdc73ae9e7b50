"""What participants are told, when, and with which calendar: messages queued into the outbox.

Every function here adds rows to the caller's transaction (flush, never commit): a change that
rolls back sends nothing. Messages are rendered in the registration's language and always
carry the participant's manage link.

Calendar rules (iTIP, RFC 5546): one UID per registration for ever; SEQUENCE follows the
event's revision and never goes down for that UID, so a cancellation (and any invitation after
it) outranks everything sent before.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.bilingual import localised
from koosloome.boards.models import Board
from koosloome.errors import DomainError
from koosloome.events.calendar import event_url, location_text
from koosloome.events.models import Event, EventStatus
from koosloome.events.venue import Fact, venue_facts
from koosloome.extensions import db
from koosloome.feedback.services import feedback_open_for
from koosloome.i18n import format_long_date, format_time
from koosloome.invites import build_calendar, calendar_sequence, had_invite
from koosloome.mail import RenderedEmail, header_text, render_email
from koosloome.outbox import OutgoingEmail, RegistrationNotice, init_renderer, queue_email
from koosloome.registrations.links import manage_url
from koosloome.registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus


class MessageKind(enum.StrEnum):
    """Every message a participant can get; the value names the templates in ``email/``."""

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


SUBJECTS = {
    MessageKind.CONFIRMED: _l("You are registered: %(title)s"),
    MessageKind.WAITLISTED: _l("You are on the waiting list: %(title)s"),
    MessageKind.PROMOTED: _l("A seat is yours: %(title)s"),
    MessageKind.APPLICATION_RECEIVED: _l("We have received your application: %(title)s"),
    MessageKind.APPLICATION_ACCEPTED: _l("Your application is accepted: %(title)s"),
    MessageKind.APPLICATION_REJECTED: _l("About your application: %(title)s"),
    MessageKind.CHANGED: _l("Your registration details were changed: %(title)s"),
    MessageKind.CANCELLED: _l("Your registration is cancelled: %(title)s"),
    MessageKind.LOST_LINK: _l("Your registration link: %(title)s"),
    MessageKind.EVENT_CHANGED: _l("New time or place: %(title)s"),
    MessageKind.EVENT_CANCELLED: _l("The event is cancelled: %(title)s"),
    MessageKind.REMINDER: _l("Reminder: %(title)s on %(date)s"),
    MessageKind.THANK_YOU: _l("Thank you for taking part: %(title)s"),
}

#: Kinds that always carry an invitation (METHOD:REQUEST).
INVITE_KINDS = frozenset(
    {MessageKind.CONFIRMED, MessageKind.PROMOTED, MessageKind.APPLICATION_ACCEPTED}
)
#: Kinds that carry an updated invitation when the registration holds a confirmed seat.
UPDATE_KINDS = frozenset({MessageKind.CHANGED, MessageKind.EVENT_CHANGED})
#: Kinds that withdraw the invitation (METHOD:CANCEL), when one was ever sent.
CANCEL_KINDS = frozenset({MessageKind.CANCELLED, MessageKind.EVENT_CANCELLED})

#: Thank-yous go out for events that ended within this time (not for old events when the
#: scheduler is first switched on).
THANK_YOU_WINDOW = timedelta(days=7)


class InvalidMessage(DomainError):
    """An organiser's message lacks a subject, a text or recipients (the argument is a lazy
    string, translated where the view shows it)."""


# --- Building blocks --------------------------------------------------------------------------


def calendar_method(registration: Registration, kind: MessageKind) -> str | None:
    """REQUEST, CANCEL or None: which calendar a message of ``kind`` carries."""
    if kind in INVITE_KINDS:
        return "REQUEST"
    if kind in UPDATE_KINDS and registration.status is RegistrationStatus.CONFIRMED:
        return "REQUEST"
    if kind in CANCEL_KINDS and had_invite(registration):
        # Only withdraw what we sent: a waiting-list place never had an invitation.
        return "CANCEL"
    return None


def _board_links(event: Event) -> list[str]:
    base = current_app.config["BASE_URL"]
    boards = db.session.scalars(select(Board).where(Board.event_id == event.id).order_by(Board.id))
    return [f"{base}/b/{board.join_code}/results" for board in boards]


def message_context(
    event: Event, language: str, name: str, manage_link: str, **extra: Any
) -> dict[str, Any]:
    """What every e-mail template gets: the event in ``language``, the links, the contacts."""
    config = current_app.config
    with force_locale(language):
        facts: list[Fact] = venue_facts(event, language)
        context = {
            "event": event,
            "name": name,
            "title": localised(event, "title", language),
            "summary": localised(event, "summary", language),
            "access_notes": localised(event, "access_notes", language),
            "date": format_long_date(event.starts_at, language),
            "start_time": format_time(event.starts_at),
            "end_time": format_time(event.ends_at),
            "end_date": format_long_date(event.ends_at, language),
            "same_day": format_long_date(event.ends_at, language)
            == format_long_date(event.starts_at, language),
            "location": location_text(event),
            "facts": facts,
            "event_url": event_url(event),
            "manage_url": manage_link,
            "organiser": event.organisation.name,
            "contact_email": event.organisation.email or config["CONTACT_EMAIL"],
            "contact_phone": event.access_contact_phone or event.organisation.phone
            or config["CONTACT_PHONE"],
        }
    context.update(extra)
    return context


def _subject(kind: MessageKind, language: str, context: dict[str, Any]) -> str:
    if kind is MessageKind.ORGANISER_MESSAGE:
        return header_text(context["subject"])
    with force_locale(language):
        return str(SUBJECTS[kind]) % {"title": context["title"], "date": context["date"]}


# --- notify ---------------------------------------------------------------------------------


def _agenda(event: Event, language: str) -> list[tuple[str, str, str]]:
    """The programme for the reminder: (time, title, speaker and room)."""
    with force_locale(language):
        return [
            (format_time(item.starts_at), localised(item, "title", language),
             ", ".join(part for part in (item.speaker, item.room) if part))
            for item in event.agenda
        ]


def notify(
    registration: Registration, kind: MessageKind, *, defer: bool = False, **context: Any
) -> OutgoingEmail | None:
    """Queue a message of ``kind`` to the participant, with the right calendar; flushes.

    Returns None for a registration without e-mail (registered by phone). ``WAITLISTED``
    takes ``position=``; ``ORGANISER_MESSAGE`` takes ``subject=`` and ``body=``.
    ``defer=True`` decides everything (recipient, calendar method and SEQUENCE) but leaves the
    rendering to the outbox worker (``render_pending_email``): for the registration rush,
    where it keeps the locked part of a registration short. ``context`` must then be JSON.
    """
    if not registration.email:
        return None
    if registration.id is None:  # the UID and the outbox row need it: a new registration
        db.session.flush()
    kind = MessageKind(kind)
    language = registration.language if registration.language in _languages() else "et"
    method = calendar_method(registration, kind)
    if defer:
        return queue_email(
            kind=kind.value,
            to_address=registration.email,
            to_name=registration.name,
            language=language,
            subject="",
            body_text="",
            calendar_method=method,
            calendar_sequence=calendar_sequence(registration, method) if method else None,
            event_id=registration.event_id,
            registration_id=registration.id,
            pending=dict(context),
        )
    sequence = calendar_sequence(registration, method) if method else None
    rendered, calendar = _render(registration, kind, language, method, sequence, context)
    return queue_email(
        kind=kind.value,
        to_address=registration.email,
        to_name=registration.name,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        calendar=calendar,
        calendar_method=method,
        calendar_sequence=sequence,
        event_id=registration.event_id,
        registration_id=registration.id,
    )


def _render(
    registration: Registration,
    kind: MessageKind,
    language: str,
    method: str | None,
    sequence: int | None,
    context: dict[str, Any],
) -> tuple[RenderedEmail, bytes | None]:
    """The message of ``kind`` for ``registration`` and its calendar (when ``method``)."""
    event = registration.event
    values = message_context(event, language, registration.name, manage_url(registration))
    values.update(context)
    if kind is MessageKind.THANK_YOU:
        values.setdefault("board_links", _board_links(event))
        # Our own survey (one answer per registration, through the personal link) comes first.
        personal = feedback_open_for(registration)
        values.setdefault("feedback_url", f"{manage_url(registration)}/feedback" if personal
                          else event.feedback_url)
    if kind is MessageKind.REMINDER:
        values.setdefault("agenda", _agenda(event, language))
    values.setdefault("position", None)
    values["calendar_method"] = method
    rendered = render_email(kind.value, language, _subject(kind, language, values), values)
    calendar = None
    if method is not None and sequence is not None:
        calendar = build_calendar(registration, method, language, sequence)
    return rendered, calendar


def render_pending_email(email: OutgoingEmail) -> dict[str, Any]:
    """The content of a message queued with ``notify(defer=True)`` (the outbox's renderer)."""
    registration = (
        db.session.get(Registration, email.registration_id)
        if email.registration_id is not None else None
    )
    if registration is None:
        raise LookupError("the registration of this message no longer exists")
    rendered, calendar = _render(
        registration, MessageKind(email.kind), email.language, email.calendar_method,
        email.calendar_sequence, dict(email.pending or {}),
    )
    return {"subject": rendered.subject, "body_text": rendered.text,
            "body_html": rendered.html, "calendar": calendar}


def init_app(app: Flask) -> None:
    """Let the app's outbox render the messages queued here unrendered."""
    init_renderer(app, render_pending_email)


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _registrations(event: Event, statuses: Collection[RegistrationStatus]) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(list(statuses)))
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def notify_event_changed(event: Event) -> int:
    """Tell everyone active that the time or place changed (updated invitation to those with a
    seat); returns the number queued. Raise ``event.revision`` first."""
    queued = [notify(r, MessageKind.EVENT_CHANGED) for r in _registrations(event, ACTIVE_STATUSES)]
    return sum(1 for email in queued if email is not None)


def notify_event_cancelled(event: Event) -> int:
    """Tell everyone active that the event is cancelled (withdrawing their invitations)."""
    queued = [
        notify(r, MessageKind.EVENT_CANCELLED) for r in _registrations(event, ACTIVE_STATUSES)
    ]
    return sum(1 for email in queued if email is not None)


# --- Scheduled messages -------------------------------------------------------------------------


def _lock(event: Event) -> None:
    """Take the event's row lock, so two scheduler runs queue one event's notices in turn
    (PostgreSQL; on SQLite the caller's write transaction already serialises them)."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _without_notice(event: Event, kind: MessageKind) -> Any:
    noticed = select(RegistrationNotice.registration_id).where(RegistrationNotice.kind == kind)
    return (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.email.is_not(None),
            Registration.id.not_in(noticed),
        )
        .order_by(Registration.id)
    )


def _queue_notices(registrations: list[Registration], kind: MessageKind, now: datetime) -> int:
    for registration in registrations:
        db.session.add(RegistrationNotice(registration_id=registration.id, kind=kind.value,
                                          queued_at=now))
        notify(registration, kind)
    db.session.flush()
    return len(registrations)


def reminder_due_at(event: Event) -> datetime | None:
    """When the event's reminder goes out (``reminder_days`` before; 0 means no reminder)."""
    if event.reminder_days <= 0:
        return None
    return event.starts_at - timedelta(days=event.reminder_days)


def queue_due_reminders(now: datetime) -> int:
    """Queue each due reminder exactly once (recorded in ``registration_notice``); flushes."""
    events = db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
        .options(selectinload(Event.organisation))
        .order_by(Event.starts_at, Event.id)
    )
    count = 0
    for event in events:
        due_at = reminder_due_at(event)
        if due_at is None or due_at > now:
            continue
        _lock(event)
        query = _without_notice(event, MessageKind.REMINDER).where(
            # Someone who got their confirmation after the reminder time has just read it all.
            func.coalesce(Registration.confirmed_at, Registration.created_at) <= due_at
        )
        count += _queue_notices(list(db.session.scalars(query)), MessageKind.REMINDER, now)
    return count


def queue_thank_yous(now: datetime) -> int:
    """Queue a thank-you once to each participant of events that ended in the last week;
    when attendance was taken, only to those who came. Flushes."""
    events = db.session.scalars(
        select(Event)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at <= now,
            Event.ends_at > now - THANK_YOU_WINDOW,
        )
        .order_by(Event.ends_at, Event.id)
    )
    count = 0
    for event in events:
        _lock(event)
        query = _without_notice(event, MessageKind.THANK_YOU)
        if _attendance_taken(event):
            query = query.where(Registration.checked_in_at.is_not(None))
        count += _queue_notices(list(db.session.scalars(query)), MessageKind.THANK_YOU, now)
    return count


def _attendance_taken(event: Event) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Registration.event_id == event.id, Registration.checked_in_at.is_not(None)
                )
            )
        )
    )


# --- Organisers' messages to participants ------------------------------------------------------


class Audience(enum.StrEnum):
    """Whom an organiser's message goes to."""

    CONFIRMED = "confirmed"
    #: On the waiting list or awaiting a decision on their application.
    WAITING = "waiting"


_AUDIENCE_STATUSES = {
    Audience.CONFIRMED: (RegistrationStatus.CONFIRMED,),
    Audience.WAITING: (RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING),
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
    return _registrations(event, statuses)


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
