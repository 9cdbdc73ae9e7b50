"""Keeping venues: their facts are stated once and shown on every event held there."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.errors import InvalidFields
from koosloome.extensions import db
from koosloome.venues.models import VENUE_FIELDS, Entrance, Venue


class InvalidVenue(InvalidFields):
    """The facts break a rule; ``errors`` maps field names to translated messages."""


def check_venue_rules(values: dict[str, Any]) -> dict[str, list[str]]:
    """Rules across the facts (applied to the venue as it would be after a change)."""
    errors: dict[str, list[str]] = {}
    if values.get("entrance") is Entrance.STEPS and not values.get("entrance_steps"):
        errors["entrance_steps"] = [_("Say how many steps there are")]
    if values.get("facts_checked_on") and not (values.get("facts_checked_by") or "").strip():
        errors["facts_checked_by"] = [_("Say who checked the facts")]
    return errors


def venues() -> list[Venue]:
    """Every venue, by name."""
    return list(db.session.scalars(select(Venue).order_by(func.lower(Venue.name_et))))


def event_counts() -> dict[int, int]:
    """How many events each venue has (all states)."""
    query = select(Venue.id, func.count()).join(Venue.events).group_by(Venue.id)
    return {venue_id: count for venue_id, count in db.session.execute(query)}


def venue_choices() -> list[tuple[str, str]]:
    """(id, "name, address") for choosing an event's venue."""
    return [(str(venue.id), ", ".join(p for p in (venue.name_et, venue.address) if p))
            for venue in venues()]


def _current(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in VENUE_FIELDS}


def create_venue(values: dict[str, Any], user: User) -> Venue:
    """A new venue; the caller commits."""
    errors = check_venue_rules(values)
    if errors:
        raise InvalidVenue(errors)
    venue = Venue(**{name: value for name, value in values.items() if name in VENUE_FIELDS})
    db.session.add(venue)
    db.session.flush()
    audit.record("venue.create", user_id=user.id, object_type="venue", object_id=venue.id,
                 name=venue.name_et)
    return venue


def update_venue(venue: Venue, values: dict[str, Any], user: User) -> set[str]:
    """Change a venue's facts, for every event held there; returns the fields changed."""
    current = _current(venue)
    values = {name: value for name, value in values.items() if name in VENUE_FIELDS}
    errors = check_venue_rules({**current, **values})
    if errors:
        raise InvalidVenue(errors)
    changed = {name for name, value in values.items() if current[name] != value}
    for name in changed:
        setattr(venue, name, values[name])
    if changed:
        db.session.flush()
        audit.record("venue.update", user_id=user.id, object_type="venue", object_id=venue.id,
                     fields=sorted(changed))
    return changed
