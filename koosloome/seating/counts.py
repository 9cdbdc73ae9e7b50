"""Whether an event takes registrations now, and counting its seats and waiting list (reads
only; seat decisions lock first, see ``lifecycle``)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from koosloome.db import utcnow
from koosloome.events.models import Event, EventStatus
from koosloome.extensions import db
from koosloome.registrations.models import SEAT_STATUSES, Registration, RegistrationStatus


@dataclass(frozen=True)
class SeatCount:
    """Seats held (by confirmed registrations and open offers), and waiting-list and pending
    sizes."""

    taken: int = 0
    waiting: int = 0
    pending: int = 0
    #: confirmed registrations (people, not seats)
    confirmed: int = 0
    #: open offers (people), whose seats are in ``taken`` until they lapse
    offered: int = 0


def seat_counts(event_ids: Iterable[int]) -> dict[int, SeatCount]:
    """Seat counts for many events in one query (missing events count zero)."""
    ids = list(event_ids)
    if not ids:
        return {}
    status = Registration.status
    rows = db.session.execute(
        select(
            Registration.event_id,
            func.coalesce(
                func.sum(case((status.in_(SEAT_STATUSES), Registration.seats))), 0
            ),
            func.count(case((status == RegistrationStatus.WAITLISTED, 1))),
            func.count(case((status == RegistrationStatus.PENDING, 1))),
            func.count(case((status == RegistrationStatus.CONFIRMED, 1))),
            func.count(case((status == RegistrationStatus.OFFERED, 1))),
        )
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id)
    )
    counts = {event_id: SeatCount() for event_id in ids}
    for event_id, taken, waiting, pending, confirmed, offered in rows:
        counts[event_id] = SeatCount(int(taken), int(waiting), int(pending), int(confirmed),
                                     int(offered))
    return counts


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


def kept_availability(event: Event, now: datetime | None = None) -> Availability:
    """Registration state and free seats from the figure kept on the event (as loaded; no
    count): for a page that shows only whether seats are left, such as the form, which every
    visitor of a registration rush opens. Waiting and pending sizes are not counted here."""
    return Availability(registration_state(event, now), event.capacity,
                        SeatCount(taken=event.seats_taken))


def waiting_count(event_id: int) -> int:
    """How many registrations wait for a seat at the event."""
    return int(db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    ) or 0)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waiting list."""
    if (registration.status is not RegistrationStatus.WAITLISTED
            or registration.waitlisted_at is None):
        return None
    ahead = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            (Registration.waitlisted_at < registration.waitlisted_at)
            | (
                (Registration.waitlisted_at == registration.waitlisted_at)
                & (Registration.id < registration.id)
            ),
        )
    )
    return int(ahead or 0) + 1
