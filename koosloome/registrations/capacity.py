"""Counting seats: what each event has taken, and how many people wait."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select

from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class SeatCount:
    """Seats held by confirmed registrations, and waiting-list and pending sizes."""

    taken: int = 0
    waiting: int = 0
    pending: int = 0


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
                func.sum(case((status == RegistrationStatus.CONFIRMED, Registration.seats))), 0
            ),
            func.count(case((status == RegistrationStatus.WAITLISTED, 1))),
            func.count(case((status == RegistrationStatus.PENDING, 1))),
        )
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id)
    )
    counts = {event_id: SeatCount() for event_id in ids}
    for event_id, taken, waiting, pending in rows:
        counts[event_id] = SeatCount(int(taken), int(waiting), int(pending))
    return counts
