"""Travel details: asked of those who hold a place on a trip that needs them, seen only by
the trip's organisers (every view and export is audited by the caller), deleted by
``privacy purge`` some days after the trip (``TRAVEL_DETAILS_RETENTION_DAYS``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from sqlalchemy import select

from koosloome.db import utcnow
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.trips.models import (
    DocumentType,
    RoomChoice,
    TravelDetails,
    travel_of,
)


class InvalidTravel(InvalidFields):
    """The details break a rule; ``errors`` maps field names to translated messages."""


def travel_rules(event: Event, values: dict[str, Any], today: date | None = None) -> (
        dict[str, list[str]]):
    """Rules across fields and the trip, checked with the form's own in one pass."""
    today = today or to_user_timezone(utcnow()).date()
    errors: dict[str, list[str]] = {}
    born, expires = values.get("date_of_birth"), values.get("document_expiry")
    if not isinstance(born, date):
        errors["date_of_birth"] = [_("Enter your date of birth")]
    elif born >= today:
        errors["date_of_birth"] = [_("The date of birth must be in the past")]
    last_day = to_user_timezone(event.ends_at).date()
    if not isinstance(expires, date):
        errors["document_expiry"] = [_("Enter the date until which the document is valid")]
    elif expires < last_day:
        errors["document_expiry"] = [_("The document must be valid until the trip ends, "
                                       "%(date)s", date=last_day.strftime("%d.%m.%Y"))]
    if event.travel_document_number and not (values.get("document_number") or "").strip():
        errors["document_number"] = [_("The carrier needs the document's number: enter it")]
    if values.get("room") == RoomChoice.SINGLE.value and (values.get("room_with") or "").strip():
        errors["room_with"] = [_("You chose a single room: leave this empty, or choose a "
                                 "shared room")]
    return errors


def save_travel(registration: Registration, values: dict[str, Any],
                today: date | None = None) -> TravelDetails:
    """Store (or replace) the person's travel details; ``InvalidTravel`` when a rule fails.
    The document number is kept only when the trip's carrier needs it."""
    event = registration.event
    errors = travel_rules(event, values, today)
    if errors:
        raise InvalidTravel(errors)
    details = travel_of(registration) or TravelDetails(registration_id=registration.id,
                                                       event_id=registration.event_id)
    details.document_name = values["document_name"].strip()
    details.date_of_birth = values["date_of_birth"]
    details.document_type = DocumentType(values["document_type"])
    details.document_expiry = values["document_expiry"]
    details.document_number = ((values.get("document_number") or "").strip()
                               if event.travel_document_number else "")
    details.emergency_name = values["emergency_name"].strip()
    details.emergency_phone = values["emergency_phone"].strip()
    details.ehic = values.get("ehic")
    details.room = RoomChoice(values.get("room") or RoomChoice.EITHER)
    details.room_with = ((values.get("room_with") or "").strip()
                         if details.room is not RoomChoice.SINGLE else "")
    details.bus_needs = (values.get("bus_needs") or "").strip()
    details.diet = (values.get("diet") or "").strip()
    db.session.add(details)
    db.session.flush()
    return details


@dataclass(frozen=True)
class Traveller:
    """A person going on the trip, with their details if given."""

    registration: Registration
    details: TravelDetails | None


def travellers(event: Event) -> list[Traveller]:
    """Everyone with a confirmed place, in name order, with their travel details."""
    people = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.name, Registration.id)).all()
    details = {d.registration_id: d for d in db.session.scalars(
        select(TravelDetails).where(TravelDetails.event_id == event.id))}
    return [Traveller(person, details.get(person.id)) for person in people]
