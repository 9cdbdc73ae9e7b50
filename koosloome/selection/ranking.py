"""Applications side by side: each with its reviewers' mean score per criterion, a weighted
total out of 100, its rank, and what the balance of the chosen group counts (partner,
county, sector, target-group organisation, first time with the project)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from koosloome.db import utcnow
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Registration,
    RegistrationStatus,
)
from koosloome.seating.quotas import partners_of, quotas
from koosloome.selection.models import ApplicationReview, ApplicationScore, SelectionCriterion
from koosloome.selection.settings import criteria


@dataclass
class Applicant:
    """One application as the selection sees it."""

    registration: Registration
    review: ApplicationReview | None
    partner_id: int | None
    first_timer: bool
    #: criterion id → the mean of the reviewers' scores (None: nobody scored it yet)
    means: dict[int, float | None]
    #: criterion id → this reviewer's own score
    mine: dict[int, int]
    reviewers: int
    #: Weighted mean score as a share of the best possible, 0–100 (None: not scored).
    total: float | None
    rank: int = 0

    @property
    def shortlisted(self) -> bool:
        """Chosen, before the decisions are sent."""
        return bool(self.review and self.review.shortlisted)

    @property
    def target_group_org(self) -> bool | None:
        """Whether their organisation works with the target groups (None: not assessed)."""
        return self.review.target_group_org if self.review else None

    @property
    def in_chosen_group(self) -> bool:
        """Holds a seat, or is shortlisted for one."""
        status = self.registration.status
        return status in SEAT_STATUSES or (
            status is RegistrationStatus.PENDING and self.shortlisted)


def weighted_total(means: dict[int, float | None],
                   event_criteria: list[SelectionCriterion]) -> float | None:
    """The weighted mean as a share of the best possible score (0–100); None until every
    criterion has a score."""
    if not event_criteria or any(means.get(c.id) is None for c in event_criteria):
        return None
    best = sum(c.max_score * c.weight for c in event_criteria)
    got = sum(min(means[c.id] or 0, c.max_score) * c.weight for c in event_criteria)
    return round(100 * got / best, 1)


def _first_timers(event: Event, registrations: list[Registration]) -> set[int]:
    """The applicants who have not yet taken part in the project: no confirmed place at an
    event that has already begun (matched by e-mail or phone; anonymised old registrations
    no longer match)."""
    emails = {r.email for r in registrations if r.email}
    phones = {r.phone for r in registrations if r.phone}
    if not emails and not phones:
        return {r.id for r in registrations}
    earlier = db.session.execute(
        select(Registration.email, Registration.phone).join(Event).where(
            Registration.event_id != event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.starts_at < min(utcnow(), event.starts_at),
            or_(Registration.email.in_(emails), Registration.phone.in_(phones)))).all()
    seen_emails = {email for email, _ in earlier if email}
    seen_phones = {phone for _, phone in earlier if phone}
    return {r.id for r in registrations
            if r.email not in seen_emails and r.phone not in seen_phones}


def applicants(event: Event, reviewer_id: int | None = None,
               only: set[int] | None = None) -> list[Applicant]:
    """The event's active applications, best first (ties: who applied first), ranked."""
    query = (select(Registration)
             .where(Registration.event_id == event.id,
                    Registration.status.in_(ACTIVE_STATUSES))
             .options(selectinload(Registration.answers))
             .order_by(Registration.created_at, Registration.id))
    registrations = list(db.session.scalars(query))
    event_criteria = criteria(event.id)
    ids = [r.id for r in registrations]
    reviews = {review.registration_id: review for review in db.session.scalars(
        select(ApplicationReview).where(ApplicationReview.registration_id.in_(ids)))}
    scores: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    mine: dict[int, dict[int, int]] = defaultdict(dict)
    reviewers: dict[int, set[int]] = defaultdict(set)
    for score in db.session.scalars(select(ApplicationScore).where(
            ApplicationScore.registration_id.in_(ids))):
        scores[score.registration_id][score.criterion_id].append(score.score)
        reviewers[score.registration_id].add(score.reviewer_id)
        if score.reviewer_id == reviewer_id:
            mine[score.registration_id][score.criterion_id] = score.score
    partner = partners_of(registrations)
    new = _first_timers(event, registrations)
    result = []
    for registration in registrations:
        given = scores[registration.id]
        means = {c.id: (sum(given[c.id]) / len(given[c.id]) if given[c.id] else None)
                 for c in event_criteria}
        result.append(Applicant(registration, reviews.get(registration.id),
                                partner[registration.id], registration.id in new, means,
                                mine[registration.id], len(reviewers[registration.id]),
                                weighted_total(means, event_criteria)))
    # Best first, the not yet scored last; sorting is stable, so ties stay first-applied first.
    result.sort(key=lambda a: (a.total is None, -(a.total or 0)))
    for rank, applicant in enumerate(result, start=1):
        applicant.rank = rank
    if only is not None:
        result = [a for a in result if a.registration.id in only]
    return result


@dataclass
class Balance:
    """Who the chosen group (seats held and shortlisted) is made of."""

    people: int
    seats: int
    capacity: int
    #: partner id (None: no partner) → seats held or shortlisted
    partner_seats: Counter[int | None] = field(default_factory=Counter)
    quotas: dict[int, int] = field(default_factory=dict)
    counties: Counter[str | None] = field(default_factory=Counter)
    sectors: Counter[str | None] = field(default_factory=Counter)
    #: True / False / None (not assessed) → people
    target_group: Counter[bool | None] = field(default_factory=Counter)
    first_timers: int = 0


def balance(event: Event, everyone: list[Applicant]) -> Balance:
    """The balance of the chosen group, from ``applicants(event)``."""
    chosen = [a for a in everyone if a.in_chosen_group]
    result = Balance(len(chosen), sum(a.registration.seats for a in chosen), event.capacity,
                     quotas=quotas(event.id))
    for applicant in chosen:
        registration = applicant.registration
        result.partner_seats[applicant.partner_id] += registration.seats
        result.counties[registration.county] += 1
        result.sectors[registration.sector] += 1
        result.target_group[applicant.target_group_org] += 1
        result.first_timers += applicant.first_timer
    return result
