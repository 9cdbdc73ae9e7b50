"""What an event's applicants are chosen by: its criteria and the partners' seat quotas."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from koosloome import audit
from koosloome.accounts.models import Organisation, User
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.seating.lifecycle import lock_event
from koosloome.selection.models import ApplicationScore, PartnerQuota, SelectionCriterion

CRITERION_TEXTS = ("name_et", "name_en", "description_et", "description_en")


def criteria(event_id: int) -> list[SelectionCriterion]:
    """The event's criteria in their order."""
    return list(db.session.scalars(select(SelectionCriterion).where(
        SelectionCriterion.event_id == event_id)
        .order_by(SelectionCriterion.position, SelectionCriterion.id)))


def find_criterion(event: Event, criterion_id: int) -> SelectionCriterion | None:
    """One of the event's criteria."""
    criterion = db.session.get(SelectionCriterion, criterion_id)
    return criterion if criterion is not None and criterion.event_id == event.id else None


def _fill(criterion: SelectionCriterion, values: dict[str, Any]) -> None:
    """Texts as given; points and weight as given, else as they were (5 and 1 for a new one)."""
    for name in CRITERION_TEXTS:
        setattr(criterion, name, (values.get(name) or "").strip())
    criterion.max_score = int(values.get("max_score") or criterion.max_score or 5)
    criterion.weight = int(values.get("weight") or criterion.weight or 1)


def _highest_scores(criterion_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        select(ApplicationScore.criterion_id, func.max(ApplicationScore.score))
        .where(ApplicationScore.criterion_id.in_(criterion_ids))
        .group_by(ApplicationScore.criterion_id)).all())


def add_criterion(event: Event, values: dict[str, Any], user: User) -> SelectionCriterion:
    """A new criterion, after the others."""
    existing = criteria(event.id)
    criterion = SelectionCriterion(event_id=event.id,
                                   position=max((c.position for c in existing), default=-1) + 1)
    _fill(criterion, values)
    db.session.add(criterion)
    db.session.flush()
    audit.record("selection.criterion.add", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, criterion=criterion.id)
    return criterion


def scores_given(criterion: SelectionCriterion) -> int:
    """How many scores were given on the criterion (they go with it)."""
    return int(db.session.scalar(select(func.count(ApplicationScore.id)).where(
        ApplicationScore.criterion_id == criterion.id)) or 0)


def remove_criterion(event: Event, criterion: SelectionCriterion, user: User) -> None:
    """Drop a criterion and every score given on it."""
    db.session.delete(criterion)
    db.session.flush()
    audit.record("selection.criterion.remove", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, criterion=criterion.id)


def replace_criteria(event: Event, rows: list[dict[str, Any]], user: User) -> None:
    """Make the event's criteria these (API): rows with the ``id`` of a criterion update it
    (its scores stay), rows without one are new, criteria not named go with their scores."""
    existing = {c.id: c for c in criteria(event.id)}
    unknown = [row["id"] for row in rows if row.get("id") is not None
               and row["id"] not in existing]
    if unknown:
        raise InvalidFields({"criteria": [_("Not a criterion of this event: %(ids)s",
                                            ids=", ".join(map(str, unknown)))]})
    highest = _highest_scores(list(existing))
    too_low = [str(row["id"]) for row in rows if row.get("id") in highest
               and row.get("max_score") is not None and row["max_score"] < highest[row["id"]]]
    if too_low:  # the points already given would be more than the most possible
        raise InvalidFields({"criteria": [_(
            "Scores already given are higher than the new most points of criteria %(ids)s",
            ids=", ".join(too_low))]})
    kept = {row["id"] for row in rows if row.get("id") is not None}
    for criterion_id, criterion in existing.items():
        if criterion_id not in kept:
            db.session.delete(criterion)
    for position, row in enumerate(rows):
        criterion = existing.get(row.get("id")) or SelectionCriterion(event_id=event.id)
        _fill(criterion, row)
        criterion.position = position
        db.session.add(criterion)
    db.session.flush()
    audit.record("selection.criteria.replace", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, criteria=len(rows))


def partners() -> list[Organisation]:
    """The organisations whose applicants may have a share of the seats."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))


def quota_rules(event: Event, shares: dict[int, int | None]) -> dict[str, list[str]]:
    """What is wrong with these shares (organisation id → seats, None for none agreed)."""
    agreed = sum(seats for seats in shares.values() if seats is not None)
    if agreed > event.capacity:
        return {"quotas": [_("The shares add up to %(agreed)s seats, more than the %(capacity)s "
                             "the trip has", agreed=agreed, capacity=event.capacity)]}
    return {}


def set_quotas(event: Event, shares: dict[int, int | None], user: User) -> None:
    """Agree (or take back, with None) the partners' shares of the event's seats. Seats held
    already are kept even past a smaller share; the share binds the next decisions."""
    event = lock_event(event.id)  # two saves at once would both delete, then both insert
    errors = quota_rules(event, shares)
    if errors:
        raise InvalidFields(errors)
    db.session.execute(delete(PartnerQuota).where(PartnerQuota.event_id == event.id))
    for organisation_id, seats in shares.items():
        if seats is not None:
            db.session.add(PartnerQuota(event_id=event.id, organisation_id=organisation_id,
                                        seats=seats))
    db.session.flush()
    audit.record("selection.quotas", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, **{str(k): v for k, v in shares.items()})
