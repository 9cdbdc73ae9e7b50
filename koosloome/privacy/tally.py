"""Counts of health data kept after the data itself is deleted.

The retention purge deletes every registration's health data (needs, pick-up, the
self-declared disability) some days after the event. The LEADER report still has to say how
many participants with a disability took part and which accommodations were provided. So,
just before the purge clears the participants of an event that took place, their answers are
added to per-event counts here: numbers with no link to any person.

A registration whose health data is gone this way has ``health_purged_at`` set; the report
counts those from here and the others from their rows. Withdrawing consent clears the data at
once but leaves ``health_purged_at`` empty: the purge then counts the person as "not stated".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from koosloome.db import Base
from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus

#: Dimensions counted: the self-declared disability ("yes", "no", "unsaid") and the needs
#: (a need code, or "transport" for a pick-up).
DISABILITY = "has_disability"
NEED = "need"
TRANSPORT = "transport"
#: Whether the person is of the project's target groups: 65 or older, or disabled ("yes" or
#: "no"); kept so that the indicator survives the purge of the disability answer.
TARGET_GROUP = "target_group"
OLDER_AGE_BANDS = frozenset({"65_74", "75_84", "85_plus"})


def in_target_group(age_band: str | None, has_disability: bool | None) -> bool:
    """65 or older by the age band given, or a self-declared disability."""
    return age_band in OLDER_AGE_BANDS or has_disability is True


class HealthTally(Base):
    """How many participants of an event gave one answer: no person behind it."""

    __tablename__ = "health_tally"
    __table_args__ = (UniqueConstraint("event_id", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    dimension: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    #: everyone who took part; and of them, those checked in (the report counts only those
    #: where the event used check-in)
    count: Mapped[int] = mapped_column(default=0)
    checked_in: Mapped[int] = mapped_column(default=0)


def took_part(registration: Registration) -> bool:
    """Counted by the LEADER report: confirmed, or a walk-in who was checked in."""
    return registration.status is RegistrationStatus.CONFIRMED or (
        registration.source is RegistrationSource.WALK_IN
        and registration.checked_in_at is not None
    )


def disability_value(value: bool | None) -> str:
    """The tally's word for a self-declared answer."""
    return {True: "yes", False: "no"}.get(value, "unsaid")  # type: ignore[arg-type]


def _answers(registration: Registration) -> Iterable[tuple[str, str]]:
    yield DISABILITY, disability_value(registration.has_disability)
    yield TARGET_GROUP, ("yes" if in_target_group(registration.age_band,
                                                  registration.has_disability) else "no")
    for code in sorted(registration.need_codes):
        yield NEED, code
    if registration.transport_needed:
        yield NEED, TRANSPORT


def add_to_tally(registrations: Iterable[Registration]) -> None:
    """Count the health answers of those who took part, before they are cleared (flushes)."""
    counts: Counter[tuple[int, str, str]] = Counter()
    checked_in: Counter[tuple[int, str, str]] = Counter()
    for registration in registrations:
        if took_part(registration):
            for dimension, value in _answers(registration):
                key = (registration.event_id, dimension, value)
                counts[key] += 1
                checked_in[key] += registration.checked_in_at is not None
    if not counts:
        return
    event_ids = {event_id for event_id, _dimension, _value in counts}
    existing = {
        (row.event_id, row.dimension, row.value): row
        for row in db.session.scalars(
            select(HealthTally).where(HealthTally.event_id.in_(event_ids)))
    }
    for key, count in counts.items():
        row = existing.get(key)
        if row is None:
            event_id, dimension, value = key
            db.session.add(HealthTally(event_id=event_id, dimension=dimension, value=value,
                                       count=count, checked_in=checked_in[key]))
        else:
            row.count += count
            row.checked_in += checked_in[key]
    db.session.flush()


def tallies(event_ids: Iterable[int]) -> list[HealthTally]:
    """The counts kept for these events."""
    ids = list(event_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(HealthTally).where(HealthTally.event_id.in_(ids))
        .order_by(HealthTally.event_id, HealthTally.dimension, HealthTally.value)))
