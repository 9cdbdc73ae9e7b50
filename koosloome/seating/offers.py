"""Offers with a deadline: accepting one (the person, or an organiser on the phone), and
letting the expired ones lapse so that their seats pass to the next in line.

Offers are made by ``lifecycle.promote_waiting`` (a freed seat) and by organisers choosing an
application; both hold the seat at once, so offers and confirmations together never exceed
the capacity. Accepting and lapsing both lock the event first: whichever comes first at the
deadline decides, and an acceptance after the deadline is refused even if no sweep has run.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.seating.lifecycle import (
    lapse_expired_offers,
    lock_event,
    move,
    promote_waiting,
)

Status = RegistrationStatus


class Acceptance(enum.StrEnum):
    """What came of saying yes to an offer."""

    ACCEPTED = "accepted"
    #: Said yes before (a second click): nothing changes.
    ALREADY = "already"
    #: Too late: the offer lapsed (now, or before), and the seat passed on.
    LAPSED = "lapsed"
    #: There is no offer to accept (never made, cancelled, or the person is not waiting).
    NO_OFFER = "no_offer"


def accept_offer(registration: Registration, now: datetime | None = None) -> Acceptance:
    """Confirm ``registration``'s offer if its deadline has not passed; flushes. A late yes
    lapses the offer there and then and passes the seat on."""
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    now = now or utcnow()
    if registration.status is Status.CONFIRMED:
        return Acceptance.ALREADY
    if registration.status is Status.LAPSED:
        return Acceptance.LAPSED
    if registration.status is not Status.OFFERED or registration.offer_expires_at is None:
        return Acceptance.NO_OFFER
    if registration.offer_expires_at <= now:
        promote_waiting(event)  # lapses this offer (and any other due) and offers the seat on
        return Acceptance.LAPSED
    move(registration, Status.CONFIRMED)
    return Acceptance.ACCEPTED


def events_with_expired_offers(now: datetime) -> list[int]:
    """The events whose offers have passed their deadline unanswered."""
    return list(db.session.scalars(
        select(Registration.event_id).distinct()
        .where(Registration.status == Status.OFFERED, Registration.offer_expires_at <= now)
        .order_by(Registration.event_id)
    ))


def lapse_event(event_id: int) -> int:
    """Lapse the event's expired offers and offer their seats on (one event, locked);
    returns how many lapsed."""
    event = lock_event(event_id)
    lapsed = lapse_expired_offers(event, utcnow())
    promote_waiting(event)
    return len(lapsed)
