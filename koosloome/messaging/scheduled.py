"""Scheduled messages: each reminder and thank-you goes to a participant exactly once, however
often ``reminders send`` runs (a row of ``registration_notice`` per message and kind)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from koosloome.events.models import Event, EventStatus
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import RegistrationNotice
from koosloome.messaging.notify import notify
from koosloome.registrations.models import Registration, RegistrationStatus

#: Thank-yous go out for events that ended within this time (not for old events when the
#: scheduler is first switched on).
THANK_YOU_WINDOW = timedelta(days=7)


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
            # Those without e-mail are called instead (``calls``).
            or_(Registration.email.is_not(None), Registration.phone.is_not(None)),
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
