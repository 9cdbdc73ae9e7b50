"""A registration's lifecycle: which status may follow which, and what each change tells the
person and does to the entry in their calendar — one table, so that no status, present or
future, can forget its message or leave an invitation behind.

Seat decisions lock the event first (``lock_event``), then count: never an in-process lock,
since production runs several processes. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from koosloome.db import take_write_lock, utcnow
from koosloome.errors import DomainError
from koosloome.events.models import Event, RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.notify import notify
from koosloome.registrations.models import (
    ACTIVE_STATUSES,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.seating.counts import RegistrationState, registration_state
from koosloome.seating.deadlines import offer_deadline
from koosloome.seating.quotas import QuotaRoom, partners_of
from koosloome.unit_of_work import insert_now

Status = RegistrationStatus
Kind = MessageKind
Calendar = CalendarAction


@dataclass(frozen=True)
class Effect:
    """What a change of status tells the person, and what it does to their calendar."""

    message: MessageKind
    calendar: CalendarAction
    #: The message instead of ``message`` when the event takes applications.
    for_application: MessageKind | None = None

    def message_for(self, event: Event) -> MessageKind:
        """The message for a registration of ``event``."""
        if self.for_application and event.registration_mode is RegistrationMode.APPLICATION:
            return self.for_application
        return self.message


#: (from, to) → effect; ``None`` as "from" is a new registration. A pair that is not here is
#: not allowed. Invariant (tested): REQUEST exactly when the change gives a seat, CANCEL
#: exactly when it takes one away.
TRANSITIONS: dict[tuple[Status | None, Status], Effect] = {
    (None, Status.CONFIRMED): Effect(Kind.CONFIRMED, Calendar.REQUEST),
    (None, Status.WAITLISTED): Effect(Kind.WAITLISTED, Calendar.NONE),
    (None, Status.PENDING): Effect(Kind.APPLICATION_RECEIVED, Calendar.NONE),
    (Status.WAITLISTED, Status.CONFIRMED): Effect(Kind.PROMOTED, Calendar.REQUEST),
    (Status.PENDING, Status.CONFIRMED): Effect(Kind.APPLICATION_ACCEPTED, Calendar.REQUEST),
    (Status.PENDING, Status.REJECTED): Effect(Kind.APPLICATION_REJECTED, Calendar.NONE),
    # Not chosen, but next in line (``selection``): the reserve list is the waiting list.
    (Status.PENDING, Status.WAITLISTED): Effect(Kind.APPLICATION_RESERVE, Calendar.NONE),
    (Status.WAITLISTED, Status.REJECTED): Effect(
        Kind.REGISTRATION_DECLINED, Calendar.NONE, for_application=Kind.APPLICATION_REJECTED),
    (Status.CONFIRMED, Status.REJECTED): Effect(
        Kind.REGISTRATION_DECLINED, Calendar.CANCEL, for_application=Kind.APPLICATION_REJECTED),
    (Status.PENDING, Status.CANCELLED): Effect(Kind.CANCELLED, Calendar.NONE),
    (Status.WAITLISTED, Status.CANCELLED): Effect(Kind.CANCELLED, Calendar.NONE),
    (Status.CONFIRMED, Status.CANCELLED): Effect(Kind.CANCELLED, Calendar.CANCEL),
    # Offers (events with ``offer_hours``): the seat is held, the invitation comes with the yes.
    (Status.WAITLISTED, Status.OFFERED): Effect(Kind.OFFER_MADE, Calendar.NONE),
    (Status.PENDING, Status.OFFERED): Effect(Kind.OFFER_MADE, Calendar.NONE),
    (Status.OFFERED, Status.CONFIRMED): Effect(Kind.OFFER_ACCEPTED, Calendar.REQUEST),
    (Status.OFFERED, Status.LAPSED): Effect(Kind.OFFER_LAPSED, Calendar.NONE),
    (Status.OFFERED, Status.CANCELLED): Effect(Kind.CANCELLED, Calendar.NONE),
    (Status.OFFERED, Status.REJECTED): Effect(
        Kind.REGISTRATION_DECLINED, Calendar.NONE, for_application=Kind.APPLICATION_REJECTED),
}
#: Erasure is no status (the row goes): it confirms, and withdraws any invitation.
ERASURE = Effect(Kind.ERASED, Calendar.CANCEL)


class TransitionNotAllowed(DomainError):
    """The registration cannot move from its status to the one asked for."""

    code = "not_allowed"
    message = _l("The registration cannot change to that status")


def allowed(current: Status, new: Status) -> bool:
    """Whether a registration may move from ``current`` to ``new``."""
    return (current, new) in TRANSITIONS


def invite_refresh(registration: Registration) -> CalendarAction:
    """The calendar action of a message that changes no status (details, time or place):
    an updated invitation for whoever holds a seat."""
    return Calendar.REQUEST if registration.status is Status.CONFIRMED else Calendar.NONE


def _stamp(registration: Registration, status: Status) -> None:
    now = utcnow()
    registration.status = status
    if status is Status.CONFIRMED:
        registration.confirmed_at = now
    elif status is Status.WAITLISTED:
        registration.waitlisted_at = now
    elif status is Status.CANCELLED:
        registration.cancelled_at = now
    if status is not Status.OFFERED:
        registration.offer_expires_at = None


def change(registration: Registration, new: Status) -> Effect:
    """Set the status and its timestamp (a new registration, not yet flushed, has none to
    leave); flushes. ``TransitionNotAllowed`` for a pair that is not in the table. Call
    ``tell`` with the effect, or use ``move`` for both."""
    current = None if registration.id is None else registration.status
    effect = TRANSITIONS.get((current, new))
    if effect is None:
        raise TransitionNotAllowed(f"{current} → {new.value}")
    _stamp(registration, new)
    if current is None:
        insert_now(registration)  # the hot path of a registration rush: one plain INSERT
    else:
        db.session.add(registration)
    db.session.flush()
    return effect


def tell(registration: Registration, effect: Effect, *, first: bool = False,
         **context: Any) -> None:
    """Queue the message and calendar action of ``effect`` to the registrant (``first``: a
    registration created in this transaction, see ``notify``)."""
    notify(registration, effect.message_for(registration.event), calendar=effect.calendar,
           first=first, **context)


def move(registration: Registration, new: Status) -> Effect:
    """Change the status and queue what the change causes; flushes."""
    effect = change(registration, new)
    tell(registration, effect)
    return effect


# --- Locking and counting ---------------------------------------------------------------------


def lock_event(event_id: int) -> Event:
    """Take the database lock that serialises seat decisions for one event, and reload it.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the event row. SQLite has one writer at a time; the
    transaction must have started with ``BEGIN IMMEDIATE`` (requests that may write do, see
    ``koosloome.db.write_intent``; ``late_write_lock`` views begin it here), so nobody can
    write between our count and our insert.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not take_write_lock(db.session):
            raise RuntimeError("seat decisions on SQLite need a write transaction (write_intent)")
        event = db.session.get(Event, event_id, populate_existing=True)
    else:
        # OF event: the venue comes along in an outer join, which cannot be locked (nor needs
        # to be).
        query = select(Event).where(Event.id == event_id).with_for_update(of=Event)
        event = db.session.scalars(query.execution_options(populate_existing=True)).first()
    if event is None:
        raise LookupError(event_id)
    return event


def seats_taken(event: Event) -> int:
    """Seats held by confirmed registrations and open offers (call with the event locked).

    Read from the event's row, which the database keeps (``registrations.seat_counter``), not
    from ``event``: this transaction's own changes since the lock are in the row only."""
    return db.session.scalar(select(Event.seats_taken).where(Event.id == event.id)) or 0


def status_for_new(event: Event, seats: int, source: RegistrationSource) -> Status:
    """Confirmed, waitlisted or pending for a new registration of ``seats`` (event locked)."""
    # Someone standing at the door needs no application round.
    if (event.registration_mode is RegistrationMode.APPLICATION
            and source is not RegistrationSource.WALK_IN):
        return Status.PENDING
    if seats_taken(event) + seats <= event.capacity:
        return Status.CONFIRMED
    return Status.WAITLISTED


def promote_waiting(event: Event) -> list[Registration]:
    """Give freed seats to the first waiting registrations whose seats fit (event locked):
    at once, or as offers to accept by a deadline when the event makes offers (whose
    lapsed offers go first, so their seats pass on too), within each partner's agreed share.

    Nobody is promoted for an event that is over or cancelled, and no offer is made past the
    event's cut-off (the organisers decide then).
    """
    if registration_state(event) in (RegistrationState.PAST, RegistrationState.CANCELLED):
        return []
    now = utcnow()
    if event.offer_hours:
        lapse_expired_offers(event, now)
    free = event.capacity - seats_taken(event)
    promoted: list[Registration] = []
    if free <= 0:
        return promoted
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    ).all()
    room = QuotaRoom(event)
    partner = partners_of(waiting) if room.limits else {}
    for registration in waiting:
        # Someone whose partner's share is full waits; the seat goes to the next who fits.
        if registration.seats <= free and room.fits(partner.get(registration.id),
                                                    registration.seats):
            if not give_seat(registration, event, now):
                break
            free -= registration.seats
            room.take(partner.get(registration.id), registration.seats)
            promoted.append(registration)
            if free == 0:
                break
    return promoted


def give_seat(registration: Registration, event: Event, now: datetime) -> bool:
    """Confirm ``registration``, or offer it the seat when ``event`` makes offers; False when
    an offer would end at once (the cut-off has passed). Event locked."""
    if not event.offer_hours:
        move(registration, Status.CONFIRMED)
        return True
    deadline = offer_deadline(event, now)
    if deadline is None:
        return False
    registration.offer_expires_at = deadline
    effect = change(registration, Status.OFFERED)
    tell(registration, effect, deadline=deadline.isoformat())
    return True


def lapse_expired_offers(event: Event, now: datetime) -> list[Registration]:
    """Offers of ``event`` not accepted by their deadline lapse (event locked); the person is
    told. Their seats are free again for ``promote_waiting``."""
    expired = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.OFFERED,
               Registration.offer_expires_at <= now)
        .order_by(Registration.offer_expires_at, Registration.id)
    ).all()
    for registration in expired:
        move(registration, Status.LAPSED)
    return list(expired)


# --- Whole events -----------------------------------------------------------------------------


def _active(event: Event) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def tell_event_changed(event: Event) -> int:
    """Tell everyone active that the time or place changed (an updated invitation to those
    with a seat); returns the number queued. Raise ``event.revision`` first."""
    queued = [notify(registration, Kind.EVENT_CHANGED, calendar=invite_refresh(registration))
              for registration in _active(event)]
    return sum(1 for email in queued if email is not None)


def tell_event_cancelled(event: Event) -> int:
    """Tell everyone active that the event is cancelled, withdrawing their invitations."""
    queued = [notify(registration, Kind.EVENT_CANCELLED, calendar=Calendar.CANCEL)
              for registration in _active(event)]
    return sum(1 for email in queued if email is not None)
