"""Back-office work on registrations: finding them, notes, check-in at the door."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.db import utcnow
from koosloome.errors import DomainError
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus

Status = RegistrationStatus


class NotCheckedIn(DomainError):
    """Only confirmed registrations can be checked in."""


@dataclass(frozen=True)
class RegistrationFilter:
    """What the organiser looks for in an event's registrations."""

    status: Status | None = None
    search: str = ""
    checked_in: bool | None = None


def find_registrations(event: Event, chosen: RegistrationFilter) -> list[Registration]:
    """The event's registrations matching the filter, in registration order (one query for the
    rows and one for their needs, whatever their number)."""
    query = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.needs))
        .order_by(Registration.created_at, Registration.id)
    )
    if chosen.status is not None:
        query = query.where(Registration.status == chosen.status)
    if chosen.checked_in is not None:
        query = query.where(
            Registration.checked_in_at.is_not(None)
            if chosen.checked_in
            else Registration.checked_in_at.is_(None)
        )
    text = chosen.search.strip().lower()
    if text:
        # Searched for as typed: % and _ are letters here, not LIKE wildcards.
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(Registration.name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Registration.email, "")).like(pattern, escape="\\"),
                func.coalesce(Registration.phone, "").like(pattern, escape="\\"),
                func.lower(Registration.organisation_name).like(pattern, escape="\\"),
            )
        )
    return list(db.session.scalars(query))


def status_counts(event: Event) -> dict[Status, int]:
    """How many registrations the event has in each status."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    counts = dict.fromkeys(Status, 0)
    counts.update({status: int(count) for status, count in rows})
    return counts


def check_in(registration: Registration, user: User) -> None:
    """Record that the person arrived (idempotent: the first time counts)."""
    if registration.status is not Status.CONFIRMED:
        raise NotCheckedIn(registration.status.value)
    if registration.checked_in_at is None:
        registration.checked_in_at = utcnow()
        audit.record("registration.check_in", user_id=user.id, object_type="registration",
                     object_id=registration.id, event_id=registration.event_id)
    db.session.flush()


def undo_check_in(registration: Registration, user: User) -> None:
    """Take a check-in back (a tap on the wrong name)."""
    if registration.checked_in_at is not None:
        registration.checked_in_at = None
        audit.record("registration.check_in_undo", user_id=user.id,
                     object_type="registration", object_id=registration.id,
                     event_id=registration.event_id)
    db.session.flush()


def set_note(registration: Registration, note: str, user: User) -> None:
    """Replace the organisers' internal note (never shown to the participant)."""
    registration.internal_note = note.strip()
    audit.record("registration.note", user_id=user.id, object_type="registration",
                 object_id=registration.id, event_id=registration.event_id)
    db.session.flush()


def record_health_view(registration: Registration, user: User) -> None:
    """Who looked at someone's access needs is kept in the audit log."""
    audit.record("registration.view_health", user_id=user.id, object_type="registration",
                 object_id=registration.id, event_id=registration.event_id)
