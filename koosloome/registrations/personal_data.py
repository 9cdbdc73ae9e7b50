"""What Koosloome holds about a person in a registration, and the person's rights over it:
a copy (GDPR art. 15), withdrawing consent to health data (art. 7(3), art. 9), erasure
(art. 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from koosloome import audit
from koosloome.arrangements.models import Pickup
from koosloome.boards.models import BoardParticipant
from koosloome.extensions import db
from koosloome.groups.models import RegistrationGroup, group_of
from koosloome.messaging.models import OutgoingEmail, OutgoingSms
from koosloome.messaging.notify import notify_erased
from koosloome.messaging.outbox import forget_messages
from koosloome.registrations.fields import CLEARED_HEALTH_FIELDS, RECORD_TIMES, person_values
from koosloome.registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from koosloome.seating.lifecycle import change, lock_event, promote_waiting
from koosloome.selection.models import review_data
from koosloome.trips.models import travel_of, travel_values


def clear_health_data(registration: Registration, purged_at: datetime | None) -> None:
    """Delete the registration's health data (GDPR art. 9): access needs, diet, transport,
    the companion's name, "please phone me", the self-declared disability, answers to
    sensitive questions. The same for a withdrawn consent and for the end of the retention
    period; only the latter sets ``purged_at`` (its counts are then in ``privacy.tally``)."""
    registration.needs = []
    # The planned ride says who cannot travel alone: it goes with the rest.
    db.session.execute(delete(Pickup).where(Pickup.registration_id == registration.id))
    for detail in CLEARED_HEALTH_FIELDS:
        setattr(registration, detail.name, detail.empty())
    registration.answers = [answer for answer in registration.answers
                            if not answer.question.sensitive]
    registration.consent_health_at = None
    if purged_at is not None:
        registration.health_purged_at = purged_at


def withdraw_health_consent(registration: Registration) -> None:
    """Withdrawing consent deletes the health data at once (GDPR art. 7(3), art. 9), and the
    audit log keeps that it happened (not what was deleted)."""
    # Not counted for the report: the person withdrew their consent to its use.
    clear_health_data(registration, None)
    audit.record("registration.health_consent_withdrawn", actor="participant",
                 object_type="registration", object_id=registration.id,
                 event_id=registration.event_id)
    db.session.flush()


def personal_data(registration: Registration) -> dict[str, Any]:
    """Everything we hold about the person in this registration (GDPR art. 15), as JSON data:
    every detail of ``fields.PERSON_FIELDS``, the record's own times and notes included."""
    event = registration.event
    return {
        "event": {"title": event.title_et, "starts_at": event.starts_at.isoformat(),
                  "venue": event.venue_name},
        "status": registration.status.value,
        "source": registration.source.value,
        "seats": registration.seats,
        **person_values(registration),
        "needs": sorted(registration.need_codes),
        "consents": {
            "privacy": _when(registration.consent_privacy_at),
            "health": _when(registration.consent_health_at),
        },
        "answers": {answer.question.label_et: answer.value for answer in registration.answers},
        "registered_by": _group_contact(registration),
        **{name: _when(getattr(registration, name)) for name in RECORD_TIMES},
        "internal_note": registration.internal_note,
        "travel": _travel(registration),
        "selection": review_data(registration),
        "news_of_workshop_outcomes": [
            {"board": participant.board.title, "email": participant.updates_email,
             "consented_at": _when(participant.updates_consent_at)}
            for participant in db.session.scalars(select(BoardParticipant).where(
                BoardParticipant.registration_id == registration.id,
                BoardParticipant.updates_email.is_not(None)))],
    }


def _travel(registration: Registration) -> dict[str, object] | None:
    """The travel details given for a trip, as stored."""
    details = travel_of(registration)
    return travel_values(details) if details is not None else None


def _group_contact(registration: Registration) -> dict[str, Any] | None:
    """Who registered the person in a group, and what they declared."""
    group = group_of(registration)
    if group is None:
        return None
    return {"name": group.contact_name, "organisation": group.contact_organisation,
            "declaration": group.declaration, "declared_at": _when(group.declared_at)}


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _forget_on_boards(registration: Registration) -> None:
    """Ideas and votes stay with the workshop's results; the name they were given under goes,
    and so does the address for news of what came of the ideas (with its consent)."""
    db.session.execute(update(BoardParticipant).where(
        BoardParticipant.registration_id == registration.id).values(
            display_name="", updates_email=None, updates_consent_at=None, updates_nonce=None))


#: What other domains hold of a person through their registration and drop at its erasure
#: (the announcements' address row, say): called with the registration before it is deleted.
#: Registered by those domains, so that registrations need not know them.
ERASURE_HOOKS: list[Callable[[Registration], None]] = []


def _last_of_group(registration: Registration) -> RegistrationGroup | None:
    """The person's group, if nobody else is in it."""
    group = group_of(registration)
    if group is None or any(member is not registration for member in group.members):
        return None
    return group


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
    erased = notify_erased(registration)
    # Sent mail holds the person too (name, address, links, an ATTENDEE line), and so do the
    # messages to their group's contact, which name every member.
    forget_messages(registration.id, keep=erased.id if erased else None,
                    group_id=registration.group_id)
    db.session.execute(delete(OutgoingSms).where(OutgoingSms.registration_id == registration.id))
    _forget_on_boards(registration)
    for forget in ERASURE_HOOKS:
        forget(registration)
    # The last member to go takes the group (and its contact's details) with them.
    emptied = _last_of_group(registration)
    audit.record("registration.erase", actor="participant", object_type="registration",
                 object_id=registration.id, event_id=event_id)
    db.session.delete(registration)
    db.session.flush()
    if emptied is not None:
        db.session.delete(emptied)
        db.session.flush()
    return promoted
