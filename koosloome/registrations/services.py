"""Registering, and changing a registration: the person's details, cancellation, organisers'
decisions.

Used by the HTML form, the JSON API and the back office alike. Every function that decides
about seats first locks the event (``seating.lifecycle.lock_event``), then counts, and moves
a registration between statuses only through the lifecycle's table. Functions flush, never
commit. What we hold about a person, and erasing it, is in ``personal_data``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.accounts.services import normalise_email
from koosloome.db import utcnow
from koosloome.errors import DomainError, InvalidFields
from koosloome.events.models import Event, QuestionKind
from koosloome.extensions import db
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import OutgoingEmail
from koosloome.messaging.notify import notify
from koosloome.registrations.choices import MUNICIPALITIES
from koosloome.registrations.fields import PERSON_FIELDS, person_values
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.registrations.summary import Recap, stored_answer
from koosloome.seating.counts import (
    RegistrationState,
    registration_state,
    waiting_count,
    waitlist_position,
)
from koosloome.seating.lifecycle import (
    TransitionNotAllowed,
    allowed,
    change,
    give_seat,
    invite_refresh,
    lock_event,
    move,
    promote_waiting,
    seats_taken,
    status_for_new,
    tell,
)
from koosloome.seating.offers import Acceptance, accept_offer
from koosloome.seating.quotas import (
    QuotaFull,
    QuotaRoom,
    fits_after_change,
    partner_after,
    partners_of,
)

Status = RegistrationStatus


# --- Errors -----------------------------------------------------------------------------------


class RegistrationClosed(DomainError):
    """The event takes no registrations now (not yet open, closed, past, cancelled, draft)."""

    code = "registration_closed"

    def __init__(self, state: RegistrationState) -> None:
        super().__init__(state.value)
        self.state = state

    def describe(self) -> str:
        """Says which state, for the API's programs."""
        return _("This event takes no registrations now (%(state)s)", state=self.state.value)


class AlreadyRegistered(DomainError):
    """This e-mail address has an active registration for the event already."""

    code = "already_registered"
    message = _l("This e-mail address is already registered for this event")

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.id)
        self.registration = registration


class InvalidRegistration(InvalidFields):
    """The details break a rule; ``errors`` maps field names to translated messages."""


class EventFull(DomainError):
    """No seat is free for this registration."""

    code = "event_full"
    message = _l("There is no free seat. Raise the number of seats first.")


# --- Data -------------------------------------------------------------------------------------


@dataclass
class RegistrationData:
    """What a person tells us, from the form, the API or an organiser on the phone."""

    name: str
    email: str | None = None
    phone: str | None = None
    organisation_name: str = ""
    sector: str | None = None
    county: str | None = None
    municipality: str | None = None
    language: str = "et"
    needs: set[str] = field(default_factory=set)
    needs_note: str = ""
    companion: bool = False
    companion_name: str = ""
    companion_needs: str = ""
    allergies: str = ""
    transport_needed: bool = False
    transport_pickup: str = ""
    transport_wheelchair: bool = False
    phone_me: bool = False
    gender: str | None = None
    age_band: str | None = None
    has_disability: bool | None = None
    consent_privacy: bool = False
    consent_health: bool = False
    consent_photos: bool = False
    consent_future_events: bool = False
    #: question id → answer (str, list[str], bool or date)
    answers: dict[int, Any] = field(default_factory=dict)

    @property
    def seats(self) -> int:
        """The participant's seat plus the companion's."""
        return 2 if self.companion else 1

    def has_health_data(self) -> bool:
        """Needs, diets, allergies or transport details: health data under GDPR art. 9."""
        return bool(
            self.needs
            or self.needs_note.strip()
            or self.allergies.strip()
            or self.companion_needs.strip()
            or self.transport_needed
            or self.transport_wheelchair
        )


@dataclass(frozen=True)
class Outcome:
    """What happened to a new registration, for the confirmation page and the API."""

    registration: Registration
    token: str
    waitlist_position: int | None


# --- Lookups ---------------------------------------------------------------------------------


def active_registration(event_id: int, email: str) -> Registration | None:
    """The active registration of this e-mail for the event, if any."""
    query = select(Registration).where(
        Registration.event_id == event_id,
        Registration.email == normalise_email(email),
        Registration.status.in_(ACTIVE_STATUSES),
    )
    return db.session.scalars(query).first()


# --- Rules ------------------------------------------------------------------------------------


def check_rules(
    data: RegistrationData, source: RegistrationSource = RegistrationSource.WEB,
    *, in_group: bool = False,
) -> dict[str, list[str]]:
    """Rules across fields; each broken rule yields a translated message under a field name.

    Walk-ins registered at the door need no contact details, nor does a group's member (the
    group's contact is theirs).
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    no_contact = not (data.email or "").strip() and not (data.phone or "").strip()
    if no_contact and source is not RegistrationSource.WALK_IN and not in_group:
        add("email", _("Enter an e-mail address or a phone number, so that we can reach you"))
    # At the door the person signs the attendance sheet; being told of the notice is enough.
    if not data.consent_privacy and source is not RegistrationSource.WALK_IN:
        add("consent_privacy", _("Agree to the privacy notice to register"))
    if data.has_health_data() and not data.consent_health:
        add(
            "consent_health",
            _("You told us about your needs, diet or transport: agree that we may use this "
              "information, or remove it"),
        )
    if data.transport_needed and not data.transport_pickup.strip():
        add("transport_pickup", _("Tell us where to pick you up"))
    known = MUNICIPALITIES.get(data.county or "")
    if data.municipality and known is not None and data.municipality not in known:
        add("municipality", _("Choose a municipality of the county you chose"))
    return errors


def _apply(registration: Registration, data: RegistrationData) -> None:
    """Copy the person's details onto the registration (needs and answers replaced)."""
    for detail in PERSON_FIELDS:
        setattr(registration, detail.name, detail.clean(getattr(data, detail.name)))
    registration.email = normalise_email(data.email) if data.email else None
    # Details that only make sense with their yes: a companion's name, a pick-up's place.
    if not registration.companion:
        registration.companion_name = ""
        registration.companion_needs = ""
    if not registration.transport_needed:
        registration.transport_pickup = ""
        registration.transport_wheelchair = False
    registration.seats = data.seats
    now = utcnow()
    if data.consent_privacy and registration.consent_privacy_at is None:
        registration.consent_privacy_at = now
    if data.has_health_data():
        registration.consent_health_at = registration.consent_health_at or now
    else:
        registration.consent_health_at = now if data.consent_health else None
    _replace_needs(registration, data.needs)
    _replace_answers(registration, data.answers)


def _replace_needs(registration: Registration, codes: Iterable[str]) -> None:
    wanted = set(codes)
    registration.needs = [need for need in registration.needs if need.code in wanted]
    present = {need.code for need in registration.needs}
    for code in sorted(wanted - present):
        registration.needs.append(RegistrationNeed(code=code))


def _replace_answers(registration: Registration, answers: dict[int, Any]) -> None:
    if not answers and not registration.answers:
        return  # nothing to add or remove: skip loading the event's questions
    by_question = {answer.question_id: answer for answer in registration.answers}
    for question in registration.event.questions:
        value = answers.get(question.id)
        empty = value is None or value == "" or value == []
        if question.kind is QuestionKind.YES_NO and value is False:
            empty = False
        existing = by_question.get(question.id)
        if empty:
            if existing is not None:
                registration.answers.remove(existing)
        elif existing is not None:
            existing.value = stored_answer(value)
        else:
            registration.answers.append(Answer(question=question, value=stored_answer(value)))


# --- Workflows --------------------------------------------------------------------------------


_OPEN_STATES = frozenset({RegistrationState.OPEN})
_STAFF_STATES = _OPEN_STATES | {RegistrationState.NOT_YET_OPEN, RegistrationState.CLOSED}
_OPEN_STATES_FOR = {
    RegistrationSource.PHONE: _STAFF_STATES,
    RegistrationSource.WALK_IN: _STAFF_STATES,
}


def register(
    event: Event, data: RegistrationData, source: RegistrationSource = RegistrationSource.WEB
) -> Outcome:
    """Register a person (and companion) for ``event``: confirmed, waitlisted or pending.

    Raises ``RegistrationClosed``, ``AlreadyRegistered`` or ``InvalidRegistration``.
    Organisers (phone, walk-in) may register outside the registration window.
    """
    event = _open_and_valid(event, data, source)
    if data.email and (existing := active_registration(event.id, data.email)):
        raise AlreadyRegistered(existing)
    return _create(event, data, source)


def _open_and_valid(event: Event, data: RegistrationData, source: RegistrationSource) -> Event:
    """Lock the event; raise if it takes no registration now or ``data`` breaks a rule."""
    event = lock_event(event.id)
    state = registration_state(event)
    if state not in _OPEN_STATES_FOR.get(source, _OPEN_STATES):
        raise RegistrationClosed(state)
    # Every rule before the address is looked at: a request that cannot succeed must not
    # tell whether the address is registered (409 against 422 would).
    errors = check_rules(data, source)
    if errors:
        raise InvalidRegistration(errors)
    return event


def _create(event: Event, data: RegistrationData, source: RegistrationSource) -> Outcome:
    return create_registration(event, data, source, status_for_new(event, data.seats, source))


def create_registration(event: Event, data: RegistrationData, source: RegistrationSource,
                        status: Status, *, group: RegistrationGroup | None = None,
                        announce: bool = True) -> Outcome:
    """A new registration of valid ``data`` with ``status`` for ``event``, which the caller
    has locked and decided the status under. ``announce`` tells the person (or queues their
    call); a group's contact is told of members without e-mail in the group's message."""
    registration = Registration(event=event, source=source, status=Status.PENDING,
                                group_id=group.id if group is not None else None)
    _apply(registration, data)
    token = assign_manage_token(registration)
    effect = change(registration, status)
    position = waitlist_position(registration)
    if announce:
        tell(registration, effect, first=True, position=position)
    return Outcome(registration, token, position)


@dataclass(frozen=True)
class Receipt:
    """How a public registration is answered, whether the address was new or registered.

    Built from what was submitted, so the answer tells nobody who attends. ``outcome`` is
    there only for a new registration: code that shows it to the public must not branch on
    it for a registration with an e-mail address.
    """

    status: Status
    waitlist_position: int | None
    recap: Recap
    email: str | None
    outcome: Outcome | None


#: One "you are already registered" message per registration in this time, however often
#: someone submits the form again with the address.
ALREADY_REGISTERED_QUIET = timedelta(minutes=10)


def register_in_public(event: Event, data: RegistrationData, source: RegistrationSource) -> (
    Receipt
):
    """Register from the public form or API without revealing registered addresses.

    An address with an active registration is answered as a new one would be (the status
    and waiting-list place a new registration would get now); its owner gets their link by
    e-mail instead. Raises ``RegistrationClosed`` or ``InvalidRegistration``.
    """
    recap = _recap(data, event)
    event = _open_and_valid(event, data, source)
    existing = active_registration(event.id, data.email) if data.email else None
    if existing is not None:
        # Not raised as ``AlreadyRegistered``: a refusal rolls the request back, and the
        # owner's message must be sent.
        status = status_for_new(event, data.seats, source)
        position = waiting_count(event.id) + 1 if status is Status.WAITLISTED else None
        send_link_again(existing)
        return Receipt(status, position, recap, data.email, None)
    outcome = _create(event, data, source)
    return Receipt(outcome.registration.status, outcome.waitlist_position, recap, data.email,
                   outcome)


def _recap(data: RegistrationData, event: Event) -> Recap:
    """What was submitted, as the confirmation repeats it (answers in the questions' order)."""
    answers = tuple((question, stored_answer(data.answers[question.id]))
                    for question in event.questions
                    if data.answers.get(question.id) not in (None, "", []))
    return Recap(event, person_values(data), frozenset(data.needs), answers)


def send_link_again(registration: Registration) -> None:
    """E-mail the owner their link (once in ``ALREADY_REGISTERED_QUIET``): someone gave
    their address again."""
    recent = db.session.scalar(
        select(OutgoingEmail.id).where(
            OutgoingEmail.registration_id == registration.id,
            OutgoingEmail.kind == MessageKind.ALREADY_REGISTERED.value,
            OutgoingEmail.created_at > utcnow() - ALREADY_REGISTERED_QUIET,
        ).limit(1)
    )
    if recent is None:
        notify(registration, MessageKind.ALREADY_REGISTERED)


def cancel(registration: Registration) -> list[Registration]:
    """Cancel a registration, free its seats and promote from the waiting list.

    Returns the promoted registrations. Cancelling twice changes nothing.
    """
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status not in ACTIVE_STATUSES:
        return []
    move(registration, Status.CANCELLED)
    return promote_waiting(event)


def change_status(registration: Registration, new_status: Status, by: User) -> list[Registration]:
    """An organiser approves, promotes, rejects or cancels; returns any promoted in turn.

    Confirming needs a free seat (``EventFull`` otherwise) within the applicant's partner's
    share (``QuotaFull``); on an event that makes offers it
    offers the seat (to accept by the deadline), and confirming an offer accepts it for the
    person (``OfferLapsed`` after its deadline). Rejecting or cancelling a registration that
    holds a seat frees it for the waiting list. Every decision is in the audit log with who
    made it, whatever the path (page or API).
    """
    before = registration.status
    if new_status is Status.CANCELLED:
        promoted = cancel(registration)
        _audit_decision(registration, before, by)
        return promoted
    if new_status is Status.CONFIRMED and registration.status is Status.OFFERED:
        _accept_for(registration, by)
        return []
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    before = registration.status
    if registration.status is new_status:
        return []
    if not allowed(registration.status, new_status):
        raise TransitionNotAllowed(f"{registration.status.value} → {new_status.value}")
    freed = registration.status in SEAT_STATUSES
    if new_status is Status.CONFIRMED and \
            seats_taken(event) + registration.seats > event.capacity:
        raise EventFull(event.id)
    if new_status is Status.CONFIRMED and not QuotaRoom(event).fits(
            partners_of([registration])[registration.id], registration.seats):
        raise QuotaFull(event.id)
    if new_status is Status.CONFIRMED and event.offer_hours:
        if not give_seat(registration, event, utcnow()):
            raise OfferLapsed(registration.id)  # the cut-off has passed: no offer can run
    else:
        move(registration, new_status)
    _audit_decision(registration, before, by)
    return promote_waiting(event) if freed else []


class OfferLapsed(DomainError):
    """The offer's time is over (or the event's cut-off has passed): nothing to accept."""

    code = "offer_lapsed"
    message = _l("The time to accept this place is over")


def _accept_for(registration: Registration, by: User) -> None:
    """An organiser says yes for the person (on the phone) before the deadline."""
    before = registration.status
    outcome = accept_offer(registration)
    if outcome is Acceptance.LAPSED:
        raise OfferLapsed(registration.id)
    _audit_decision(registration, before, by)


def _audit_decision(registration: Registration, before: Status, by: User) -> None:
    if registration.status is before:
        return
    audit.record("registration.status", user_id=by.id, object_type="registration",
                 object_id=registration.id, event_id=registration.event_id,
                 status_from=before.value, status_to=registration.status.value)


def update_details(registration: Registration, data: RegistrationData) -> list[Registration]:
    """The participant (or an organiser) edits details, needs and answers.

    A companion added to a confirmed registration needs a free seat; a companion removed
    frees one for the waiting list. Returns any registrations promoted as a result.
    """
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status not in ACTIVE_STATUSES:
        raise TransitionNotAllowed(registration.status.value)
    errors = check_rules(data, registration.source, in_group=registration.group_id is not None)
    if data.email:
        other = active_registration(event.id, data.email)
        if other is not None and other.id != registration.id:
            errors.setdefault("email", []).append(
                _("Another registration for this event uses this e-mail address")
            )
    extra_seats = data.seats - registration.seats
    if (
        extra_seats > 0
        and registration.status in SEAT_STATUSES
        and seats_taken(event) + extra_seats > event.capacity
    ):
        errors.setdefault("companion", []).append(
            _("There is no free seat for a companion. Please call the organisers.")
        )
    elif registration.status in SEAT_STATUSES and (
            extra_seats > 0 or data.county != registration.county) and not fits_after_change(
            event, registration, partner_after(registration, data.county), data.seats):
        errors.setdefault("companion" if extra_seats > 0 else "county", []).append(
            _("The seats of your partner organisation's share are taken. Please call the "
              "organisers."))
    if errors:
        raise InvalidRegistration(errors)
    _apply(registration, data)
    db.session.flush()
    notify(registration, MessageKind.CHANGED, calendar=invite_refresh(registration))
    return promote_waiting(event) if extra_seats < 0 else []


def resend_links(email: str) -> int:
    """Send the manage links of this address's active registrations of coming events.

    The caller answers the same whatever the count, so nobody learns who is registered.
    """
    query = (
        select(Registration)
        .join(Event)
        .where(
            Registration.email == normalise_email(email),
            Registration.status.in_(ACTIVE_STATUSES),
            Event.ends_at > utcnow(),
        )
    )
    registrations = list(db.session.scalars(query))
    for registration in registrations:
        notify(registration, MessageKind.LOST_LINK)
    return len(registrations)


def data_from_registration(registration: Registration) -> RegistrationData:
    """The registration's details as ``RegistrationData`` (to pre-fill the edit form)."""
    return RegistrationData(
        **person_values(registration),
        needs=registration.need_codes,
        consent_privacy=registration.consent_privacy_at is not None,
        consent_health=registration.consent_health_at is not None,
        answers={answer.question_id: answer.value for answer in registration.answers},
    )
