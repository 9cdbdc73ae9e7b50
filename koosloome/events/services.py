"""Rules about events as a whole: what is public, and whether registration is open."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from koosloome.db import utcnow
from koosloome.events.models import Event, EventStatus, RegistrationMode
from koosloome.extensions import db
from koosloome.registrations.capacity import SeatCount, seat_counts


class RegistrationState(enum.StrEnum):
    """Whether the form is offered, and if not, why."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    PAST = "past"
    CANCELLED = "cancelled"
    DRAFT = "draft"


@dataclass(frozen=True)
class Availability:
    """What a visitor needs to know about seats before registering."""

    state: RegistrationState
    capacity: int
    seats: SeatCount

    @property
    def seats_left(self) -> int:
        """Free seats (never negative, even if capacity was lowered below the seats taken)."""
        return max(self.capacity - self.seats.taken, 0)

    @property
    def full(self) -> bool:
        """No seat left: new registrations join the waiting list."""
        return self.seats_left == 0


def registration_state(event: Event, now: datetime | None = None) -> RegistrationState:
    """Whether registration for ``event`` is open at ``now``."""
    now = now or utcnow()
    if event.status is EventStatus.DRAFT:
        return RegistrationState.DRAFT
    if event.status is EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.ends_at <= now:
        return RegistrationState.PAST
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    closes_at = event.registration_closes_at or event.starts_at
    if now >= closes_at:
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


def availability(events: list[Event], now: datetime | None = None) -> dict[int, Availability]:
    """Registration state and seats for each event, with one counting query for all."""
    counts = seat_counts(event.id for event in events)
    return {
        event.id: Availability(registration_state(event, now), event.capacity, counts[event.id])
        for event in events
    }


def upcoming_events(now: datetime | None = None) -> list[Event]:
    """Published events that have not ended yet, soonest first."""
    now = now or utcnow()
    query = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query))


def public_event(slug: str) -> Event | None:
    """A published or cancelled event by slug; drafts are not public."""
    query = (
        select(Event)
        .where(Event.slug == slug, Event.status != EventStatus.DRAFT)
        .options(selectinload(Event.organisation), selectinload(Event.co_organiser))
    )
    return db.session.scalars(query).first()


def is_application(event: Event) -> bool:
    """Registrations wait for an organiser's decision."""
    return event.registration_mode is RegistrationMode.APPLICATION
