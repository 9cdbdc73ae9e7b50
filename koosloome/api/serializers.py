"""JSON shapes of events and registrations (pure functions of model objects)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from koosloome.events.models import Event
from koosloome.registrations.fields import RECORD_TIMES, person_values
from koosloome.registrations.models import Registration
from koosloome.seating.counts import SeatCount
from koosloome.venues.serializers import venue_json


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the offset of Estonian time (what people there read)."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).isoformat()


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


#: What an event says about access beyond its venue's facts.
EVENT_ACCESS_FIELDS = ("catering_et", "catering_en", "access_notes_et", "access_notes_en",
                       "access_contact_name", "access_contact_phone")


def event_json(event: Event, seats: SeatCount) -> dict[str, Any]:
    """An event as the API shows it."""
    return {
        "id": event.id,
        "slug": event.slug,
        "kind": event.kind.value,
        "status": event.status.value,
        "title_et": event.title_et,
        "title_en": event.title_en,
        "summary_et": event.summary_et,
        "summary_en": event.summary_en,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "venue": venue_json(event.venue) if event.venue is not None else None,
        **{name: getattr(event, name) for name in EVENT_ACCESS_FIELDS},
        "capacity": event.capacity,
        "seats_taken": seats.taken,
        "waiting_count": seats.waiting,
        "registration_mode": event.registration_mode.value,
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_closes_at),
        "offer_hours": event.offer_hours,
        "offer_cutoff_at": iso(event.offer_cutoff_at),
        "travel_details": event.travel_details,
        "cost_per_person": str(event.cost_per_person) if event.cost_per_person is not None
        else None,
        "own_contribution": str(event.own_contribution) if event.own_contribution is not None
        else None,
        "travel_document_number": event.travel_document_number,
        "revision": event.revision,
        "url": f"{current_app.config['BASE_URL']}/events/{event.slug}",
    }


def registration_json(
    registration: Registration, position: int | None, with_needs: bool
) -> dict[str, Any]:
    """A registration; health data (needs, answers, …) only for those allowed to see it."""
    body: dict[str, Any] = {
        "id": registration.id,
        "event_id": registration.event_id,
        "status": registration.status.value,
        "source": registration.source.value,
        "waitlist_position": position,
        "seats": registration.seats,
        **person_values(registration, with_health=with_needs),
        **{name: iso(getattr(registration, name)) for name in RECORD_TIMES},
    }
    if with_needs:
        body["needs"] = sorted(registration.need_codes)
        body["answers"] = {str(a.question_id): a.value for a in registration.answers}
    return body
