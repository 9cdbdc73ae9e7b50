"""Keeping a study trip's itinerary: its days and each day's stops (how it reads is in
``events.trip_view``).

A stop's time is the wall-clock time where the stop is (the host in Stockholm says 10:00),
so each stop carries its country, which gives the zone. Who may change an itinerary is the
caller's check; functions flush, never commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.errors import InvalidFields
from koosloome.events.models import Event, StepFree, TripDay, TripStop
from koosloome.events.trip_view import trip_dates
from koosloome.extensions import db
from koosloome.i18n import format_day


class InvalidItinerary(InvalidFields):
    """A day or stop breaks a rule; ``errors`` maps field names to translated messages."""


# --- Days of the trip ---------------------------------------------------------------------


def day_choices(event: Event, keep: TripDay | None = None) -> list[tuple[str, str]]:
    """The trip's days not yet in the itinerary (and ``keep``'s own), for the day form."""
    taken = {day.day for day in event.itinerary if day is not keep}
    return [(day.isoformat(), format_day(day)) for day in trip_dates(event) if day not in taken]


def _chosen_day(event: Event, text: str, keep: TripDay | None) -> date:
    try:
        chosen = date.fromisoformat(text)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in trip_dates(event):
        raise InvalidItinerary({"day": [_("Choose one of the trip's days")]})
    if any(day.day == chosen for day in event.itinerary if day is not keep):
        raise InvalidItinerary({"day": [_("This day is in the itinerary already")]})
    return chosen


def save_day(event: Event, values: dict[str, Any], user: User,
             day: TripDay | None = None) -> TripDay:
    """Add a day to the itinerary, or change ``day``; ``InvalidItinerary`` for a day outside
    the trip or one already there."""
    chosen = _chosen_day(event, str(values.get("day") or ""), day)
    if day is None:
        day = TripDay(day=chosen)
        event.itinerary.append(day)
    day.day = chosen
    for name in ("title_et", "title_en", "overnight_et", "overnight_en"):
        setattr(day, name, (values.get(name) or "").strip())
    db.session.flush()
    audit.record("event.itinerary.day", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, day=chosen.isoformat())
    return day


def remove_day(event: Event, day: TripDay, user: User) -> None:
    """Take a day, with its stops, off the itinerary."""
    event.itinerary.remove(day)
    db.session.flush()
    audit.record("event.itinerary.day_removed", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, day=day.day.isoformat())


def save_stop(event: Event, day: TripDay, values: dict[str, Any], user: User,
              stop: TripStop | None = None) -> TripStop:
    """Add a stop to ``day`` (or change ``stop``, moving it to ``day``)."""
    if day.event_id != event.id:
        raise InvalidItinerary({"day": [_("Choose one of the trip's days")]})
    if stop is None:
        stop = TripStop()
    for name, value in values.items():
        setattr(stop, name, value.strip() if isinstance(value, str) else value)
    stop.step_free = StepFree(values.get("step_free") or StepFree.UNKNOWN)
    if stop not in day.stops:
        if stop.trip_day is not None:
            stop.trip_day.stops.remove(stop)
        day.stops.append(stop)
    db.session.flush()
    audit.record("event.itinerary.stop", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, place=stop.place_et)
    return stop


def remove_stop(event: Event, stop: TripStop, user: User) -> None:
    """Take a stop off its day."""
    stop.trip_day.stops.remove(stop)
    db.session.flush()
    audit.record("event.itinerary.stop_removed", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, place=stop.place_et)


def find_day(event: Event, day_id: int) -> TripDay | None:
    """One of the event's days, or None."""
    return next((day for day in event.itinerary if day.id == day_id), None)


def find_stop(event: Event, stop_id: int) -> TripStop | None:
    """One of the event's stops, or None."""
    return next((stop for day in event.itinerary for stop in day.stops if stop.id == stop_id),
                None)


