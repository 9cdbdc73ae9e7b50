"""A venue's JSON shape (a pure function of the model)."""

from __future__ import annotations

from datetime import date
from typing import Any

from koosloome.venues.models import VENUE_FIELDS, Venue


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def venue_json(venue: Venue) -> dict[str, Any]:
    """A venue and its accessibility facts (null where unknown), and when they were checked."""
    body: dict[str, Any] = {"id": venue.id}
    for name in VENUE_FIELDS:
        value = getattr(venue, name)
        body[name] = value.isoformat() if isinstance(value, date) else _plain(value)
    return body
