"""Reviewing an application (scores, partner, target-group organisation, shortlist) and
sending the decisions: the shortlisted get their seat (as an offer to accept when the event
makes offers), the rest go on the reserve list in the order of their scores. Functions flush,
never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, select

from koosloome import audit
from koosloome.accounts.models import Organisation, User
from koosloome.db import utcnow
from koosloome.errors import DomainError, InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import SEAT_STATUSES, Registration, RegistrationStatus
from koosloome.seating.counts import waitlist_position
from koosloome.seating.deadlines import offer_deadline
from koosloome.seating.lifecycle import (
    Effect,
    change,
    give_seat,
    lock_event,
    move,
    promote_waiting,
    seats_taken,
    tell,
)
from koosloome.seating.quotas import default_partner, fits_after_change, quotas, seats_held
from koosloome.selection.models import ApplicationReview, ApplicationScore
from koosloome.selection.ranking import Applicant, applicants
from koosloome.selection.settings import criteria

Status = RegistrationStatus
#: What a review may set; any left out stays as it is.
REVIEW_FIELDS = ("scores", "partner_id", "target_group_org", "shortlisted", "note")


def review_of(registration: Registration) -> ApplicationReview | None:
    """The organisers' review of an application, if any."""
    return db.session.scalars(select(ApplicationReview).where(
        ApplicationReview.registration_id == registration.id)).first()


def review_rules(registration: Registration, values: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a review's values (scores out of range, unknown partner…)."""
    errors: dict[str, list[str]] = {}
    by_id = {c.id: c for c in criteria(registration.event_id)}
    for criterion_id, score in (values.get("scores") or {}).items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            errors.setdefault("scores", []).append(
                _("Not a criterion of this event: %(id)s", id=criterion_id))
        elif score is not None and not 0 <= score <= criterion.max_score:
            errors.setdefault(f"score_{criterion_id}", []).append(
                _("Give from 0 to %(max)s points", max=criterion.max_score))
    partner_id = values.get("partner_id")
    if partner_id is not None and db.session.get(Organisation, partner_id) is None:
        errors["partner_id"] = [_("Not a partner organisation")]
    if values.get("shortlisted") and registration.status is not Status.PENDING:
        errors["shortlisted"] = [_("Only an application still to decide can be chosen")]
    return errors


def save_review(registration: Registration, reviewer: User,
                values: dict[str, Any]) -> ApplicationReview:
    """Record the reviewer's scores and the organisers' review; ``InvalidFields`` when a value
    breaks a rule (nothing is saved then). A score of None takes the reviewer's back."""
    event = lock_event(registration.event_id)  # against decisions being sent meanwhile
    db.session.refresh(registration)
    errors = review_rules(registration, values)
    if "partner_id" in values and registration.status in SEAT_STATUSES and not errors:
        partner = values["partner_id"] if values["partner_id"] is not None else \
            default_partner(registration)
        if not fits_after_change(event, registration, partner, registration.seats):
            errors["partner_id"] = [_("That partner's share of the seats is taken")]
    if errors:
        raise InvalidFields(errors)
    review = review_of(registration) or ApplicationReview(registration_id=registration.id)
    for name in ("partner_id", "target_group_org", "shortlisted", "note"):
        if name in values:
            setattr(review, name, values[name] if name != "note" else
                    (values[name] or "").strip())
    db.session.add(review)
    for criterion_id, score in (values.get("scores") or {}).items():
        _score(registration.id, criterion_id, reviewer.id, score)
    db.session.flush()
    audit.record("selection.review", user_id=reviewer.id, object_type="registration",
                 object_id=registration.id, event_id=registration.event_id,
                 fields=sorted(name for name in REVIEW_FIELDS if name in values))
    return review


def _score(registration_id: int, criterion_id: int, reviewer_id: int,
           score: int | None) -> None:
    mine = (ApplicationScore.registration_id == registration_id,
            ApplicationScore.criterion_id == criterion_id,
            ApplicationScore.reviewer_id == reviewer_id)
    if score is None:
        db.session.execute(delete(ApplicationScore).where(*mine))
        return
    existing = db.session.scalars(select(ApplicationScore).where(*mine)).first()
    if existing is None:
        db.session.add(ApplicationScore(registration_id=registration_id,
                                        criterion_id=criterion_id, reviewer_id=reviewer_id,
                                        score=score))
    else:
        existing.score = score


# --- Decisions --------------------------------------------------------------------------------


class DecisionsNotPossible(DomainError):
    """The shortlist does not fit the seats or a partner's share; ``problems`` say how."""

    code = "not_possible"
    message = _l("The decisions cannot be sent yet")

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems
        self.fields = {"decisions": problems}


@dataclass
class DecisionPlan:
    """What sending the decisions would do, and what stops it."""

    chosen: list[Applicant]
    reserve: list[Applicant]
    #: The chosen get offers to accept by a deadline (else their seats are confirmed).
    offers: bool
    problems: list[str]
    #: Seats no chosen one takes: they go to the first on the reserve list at once.
    left_free: int = 0
    #: Once sent: those of the reserve list the free seats went to.
    from_reserve: list[Registration] = field(default_factory=list)


def plan_decisions(event: Event) -> DecisionPlan:
    """The still-undecided applications split into the chosen and the reserve (rank order)."""
    undecided = [a for a in applicants(event) if a.registration.status is Status.PENDING]
    chosen = [a for a in undecided if a.shortlisted]
    reserve = [a for a in undecided if not a.shortlisted]
    offers = bool(event.offer_hours) and offer_deadline(event, utcnow()) is not None
    left_free = event.capacity - seats_taken(event) - sum(a.registration.seats for a in chosen)
    problems = _problems(event, chosen)
    unscored = [a for a in reserve if a.total is None]
    if unscored and criteria(event.id):  # the reserve list's order would not be the scores'
        problems.append(ngettext(
            "%(num)d application is not scored on every criterion yet: score it first, the "
            "reserve list is ordered by the scores.",
            "%(num)d applications are not scored on every criterion yet: score them first, the "
            "reserve list is ordered by the scores.", len(unscored)))
    return DecisionPlan(chosen, reserve, offers, problems, max(left_free, 0))


def _problems(event: Event, chosen: list[Applicant]) -> list[str]:
    if not chosen:
        return [_("Nobody is chosen yet: choose the applicants who get a place.")]
    problems = []
    wanted = sum(a.registration.seats for a in chosen)
    free = event.capacity - seats_taken(event)
    if wanted > free:
        problems.append(ngettext("The chosen need %(wanted)s seats, but %(num)d is free.",
                                 "The chosen need %(wanted)s seats, but %(num)d are free.",
                                 free, wanted=wanted))
    held = seats_held(event.id)
    for partner_id, limit in quotas(event.id).items():
        asked = sum(a.registration.seats for a in chosen if a.partner_id == partner_id)
        if asked and held[partner_id] + asked > limit:
            organisation = db.session.get(Organisation, partner_id)
            problems.append(ngettext(
                "%(partner)s: %(asked)s seats chosen and %(held)s already held, but its share "
                "is %(num)d seat.",
                "%(partner)s: %(asked)s seats chosen and %(held)s already held, but its share "
                "is %(num)d seats.", limit,
                partner=organisation.short_name if organisation else "", asked=asked,
                held=held[partner_id]))
    return problems


def send_decisions(event: Event, by: User) -> DecisionPlan:
    """Tell every undecided applicant (in their language): the chosen get their seat or an
    offer, the others a place on the reserve list in rank order, whose first get the seats
    left free (within the shares). ``DecisionsNotPossible``
    (nothing changes) when the chosen do not fit the seats or a partner's share."""
    event = lock_event(event.id)
    plan = plan_decisions(event)
    if plan.problems:
        raise DecisionsNotPossible(plan.problems)
    now = utcnow()
    for applicant in plan.chosen:
        if not (plan.offers and give_seat(applicant.registration, event, now)):
            move(applicant.registration, Status.CONFIRMED)
    placed = _to_reserve([a.registration for a in plan.reserve], now)
    # A seat nobody chosen takes is no seat kept back: the reserve list gets it, in its order.
    plan.from_reserve = promote_waiting(event)
    for registration, effect in placed:  # told after, with their place in what is left
        if registration.status is Status.WAITLISTED:
            tell(registration, effect, position=waitlist_position(registration))
    audit.record("selection.decisions", user_id=by.id, object_type="event", object_id=event.id,
                 event_id=event.id, chosen=[a.registration.id for a in plan.chosen],
                 reserve=[a.registration.id for a in plan.reserve],
                 from_reserve=[r.id for r in plan.from_reserve])
    return plan


def _to_reserve(registrations: list[Registration], now: datetime) -> list[tuple[Registration,
                                                                                Effect]]:
    """On the waiting list in this order (not told yet): its order is the order people were
    put on it, so each is put a microsecond after the one ranked above."""
    placed = []
    for index, registration in enumerate(registrations):
        effect = change(registration, Status.WAITLISTED)
        registration.waitlisted_at = now + timedelta(microseconds=index)
        placed.append((registration, effect))
    db.session.flush()
    return placed

