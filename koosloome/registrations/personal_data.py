"""What Koosloome holds about a person in a registration, and the person's rights over it:
a copy (GDPR art. 15), withdrawing consent to health data (art. 7(3), art. 9), erasure
(art. 17)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from koosloome import audit
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from koosloome.messaging.notify import notify_erased
from koosloome.registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from koosloome.seating.lifecycle import change, lock_event, promote_waiting


def withdraw_health_consent(registration: Registration) -> None:
    """Withdrawing consent deletes the health data at once (GDPR art. 7(3), art. 9)."""
    registration.needs = []
    registration.needs_note = ""
    registration.allergies = ""
    registration.transport_needed = False
    registration.transport_pickup = ""
    registration.transport_wheelchair = False
    registration.consent_health_at = None
    db.session.flush()


def personal_data(registration: Registration) -> dict[str, Any]:
    """Everything we hold about the person in this registration (GDPR art. 15), as JSON data."""
    event = registration.event
    return {
        "event": {"title": event.title_et, "starts_at": event.starts_at.isoformat(),
                  "venue": event.venue_name},
        "status": registration.status.value,
        "registered_at": registration.created_at.isoformat(),
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "organisation": registration.organisation_name,
        "sector": registration.sector,
        "county": registration.county,
        "municipality": registration.municipality,
        "language": registration.language,
        "needs": sorted(registration.need_codes),
        "needs_note": registration.needs_note,
        "companion": registration.companion,
        "companion_name": registration.companion_name,
        "allergies": registration.allergies,
        "transport": {"needed": registration.transport_needed,
                      "pickup": registration.transport_pickup,
                      "wheelchair_vehicle": registration.transport_wheelchair},
        "phone_me": registration.phone_me,
        "gender": registration.gender,
        "age_band": registration.age_band,
        "has_disability": registration.has_disability,
        "consents": {
            "privacy": registration.consent_privacy_at.isoformat()
            if registration.consent_privacy_at else None,
            "health": registration.consent_health_at.isoformat()
            if registration.consent_health_at else None,
            "photos": registration.consent_photos,
            "future_events": registration.consent_future_events,
        },
        "answers": {answer.question.label_et: answer.value for answer in registration.answers},
        "checked_in_at": registration.checked_in_at.isoformat()
        if registration.checked_in_at else None,
    }


def erase(registration: Registration) -> list[Registration]:
    """Erase the registration at the person's request (GDPR art. 17): its seats go to the
    waiting list first, the person is told (their invitation withdrawn), then the row and
    everything hanging from it is deleted. Returns the promoted registrations."""
    event_id = registration.event_id
    promoted: list[Registration] = []
    if registration.status in ACTIVE_STATUSES:
        event = lock_event(event_id)
        db.session.refresh(registration)
        change(registration, RegistrationStatus.CANCELLED)
        promoted = promote_waiting(event)
    # A message not yet rendered could only fail once the registration is gone (and an
    # invitation that never left needs no cancelling).
    db.session.execute(delete(OutgoingEmail).where(
        OutgoingEmail.registration_id == registration.id, OutgoingEmail.pending.is_not(None)))
    notify_erased(registration)
    audit.record("registration.erase", actor="participant", object_type="registration",
                 object_id=registration.id, event_id=event_id)
    db.session.delete(registration)
    db.session.flush()
    return promoted
