"""The trip report: written by the organisers after the trip, stop by stop; it goes into the
evidence pack and, once published, onto the trip's public "what we learned" page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.db import utcnow
from koosloome.events.models import Event, TripStop
from koosloome.extensions import db
from koosloome.trips.models import TripReport

REPORT_TEXTS = ("summary_et", "summary_en", "next_steps_et", "next_steps_en", "contacts")


def report_of(event: Event) -> TripReport | None:
    """The event's report, if written."""
    return db.session.scalars(select(TripReport).where(TripReport.event_id == event.id)).first()


def published_report(event: Event) -> TripReport | None:
    """The report, if published (the public page and API show only that)."""
    report = report_of(event)
    return report if report is not None and report.published_at is not None else None


def stops_of(event: Event) -> list[TripStop]:
    """Every stop of the itinerary, day by day."""
    return [stop for day in event.itinerary for stop in day.stops]


def save_report(event: Event, values: dict[str, Any], learned: dict[int, tuple[str, str]],
                user: User) -> TripReport:
    """Store the report and what was learned at each stop (stop id → (et, en)); publishing
    it (``values["publish"]``) makes the public page; unticking takes it down."""
    report = report_of(event) or TripReport(event_id=event.id)
    for name in REPORT_TEXTS:
        setattr(report, name, (values.get(name) or "").strip())
    if values.get("publish"):
        report.published_at = report.published_at or utcnow()
    else:
        report.published_at = None
    for stop in stops_of(event):
        if stop.id in learned:
            stop.learned_et, stop.learned_en = (text.strip() for text in learned[stop.id])
    db.session.add(report)
    db.session.flush()
    audit.record("trip.report.save", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, published=report.published_at is not None)
    return report
