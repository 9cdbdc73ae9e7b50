"""Figures for the back-office start page (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from koosloome.accounts.models import User
from koosloome.accounts.permissions import managed_by
from koosloome.arrangements import services as arrangements
from koosloome.arrangements.services import Progress
from koosloome.db import utcnow
from koosloome.events.models import Event, EventStatus
from koosloome.extensions import db
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.registrations.models import ACTIVE_STATUSES, Registration, RegistrationNeed
from koosloome.seating.counts import SeatCount, seat_counts


@dataclass(frozen=True)
class DashboardRow:
    """One coming event on the dashboard."""

    event: Event
    seats: SeatCount
    with_needs: int
    transport: int
    arrangements: Progress

    @property
    def fill_percent(self) -> int:
        """Seats taken as a percentage of the capacity."""
        return round(100 * self.seats.taken / self.event.capacity) if self.event.capacity else 0


def dashboard_rows(user: User) -> list[DashboardRow]:
    """Coming published events the user manages, soonest first."""
    query = select(Event).where(
        Event.status == EventStatus.PUBLISHED, Event.ends_at > utcnow(), managed_by(user)
    )
    events = list(db.session.scalars(query.order_by(Event.starts_at)))
    ids = [event.id for event in events]
    counts = seat_counts(ids)
    needs = _needs_counts(ids)
    lines = arrangements.lines_for(events)
    return [DashboardRow(event, counts[event.id], *needs.get(event.id, (0, 0)),
                         arrangements=arrangements.progress(lines[event.id]))
            for event in events]


def _needs_counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per event: active registrations with any access need or diet, and transport requests."""
    if not event_ids:
        return {}
    has_need = select(RegistrationNeed.registration_id).where(
        RegistrationNeed.registration_id == Registration.id).exists()
    with_needs = case((has_need | (Registration.needs_note != "")
                       | (Registration.allergies != ""), 1))
    rows = db.session.execute(
        select(Registration.event_id, func.count(with_needs),
               func.count(case((Registration.transport_needed.is_(True), 1))))
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.event_id)
    )
    return {event_id: (int(needs), int(transport)) for event_id, needs, transport in rows}


def failed_email_count() -> int:
    """Messages that could not be delivered (organisers follow them up by phone)."""
    query = select(func.count()).select_from(OutgoingEmail).where(
        OutgoingEmail.status == EmailStatus.FAILED)
    return int(db.session.scalar(query) or 0)
