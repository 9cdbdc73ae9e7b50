"""Loading one event's registrations for sheets, exports and the needs overview.

Always a fixed number of queries, whatever the number of registrations: the registrations
themselves, then (only when asked) their needs and their answers, each in one query keyed by
the event. Relationship loading is switched off so that nothing lazy-loads row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import raiseload

from koosloome.events.models import Event, ExtraQuestion
from koosloome.extensions import db
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)


@dataclass
class EventRegistrations:
    """An event's registrations with their needs and answers, keyed by registration id."""

    event: Event
    registrations: list[Registration]
    needs: dict[int, set[str]] = field(default_factory=dict)
    answers: dict[int, dict[int, Any]] = field(default_factory=dict)
    questions: list[ExtraQuestion] = field(default_factory=list)


def attending_condition(event_id: int) -> Any:
    """Confirmed registrations, and walk-ins who were checked in at the door."""
    return and_(
        Registration.event_id == event_id,
        or_(
            Registration.status == RegistrationStatus.CONFIRMED,
            and_(
                Registration.source == RegistrationSource.WALK_IN,
                Registration.checked_in_at.is_not(None),
            ),
        ),
    )


def load(
    event: Event,
    *,
    attending_only: bool = False,
    statuses: Iterable[RegistrationStatus] | None = None,
    with_needs: bool = False,
    with_answers: bool = False,
) -> EventRegistrations:
    """The event's registrations ordered by name (1 query, +1 for needs, +2 for answers)."""
    if attending_only:
        condition = attending_condition(event.id)
    else:
        condition = Registration.event_id == event.id
        if statuses is not None:
            condition = and_(condition, Registration.status.in_(list(statuses)))
    query = (
        select(Registration)
        .where(condition)
        .options(raiseload("*"))
        .order_by(Registration.name, Registration.id)
    )
    data = EventRegistrations(event, list(db.session.scalars(query)))
    ids = select(Registration.id).where(condition)
    if with_needs:
        needs: dict[int, set[str]] = defaultdict(set)
        rows = db.session.execute(
            select(RegistrationNeed.registration_id, RegistrationNeed.code).where(
                RegistrationNeed.registration_id.in_(ids)
            )
        )
        for registration_id, code in rows:
            needs[registration_id].add(code)
        data.needs = dict(needs)
    if with_answers:
        data.questions = list(
            db.session.scalars(
                select(ExtraQuestion)
                .where(ExtraQuestion.event_id == event.id)
                .options(raiseload("*"))
                .order_by(ExtraQuestion.position, ExtraQuestion.id)
            )
        )
        answers: dict[int, dict[int, Any]] = defaultdict(dict)
        rows = db.session.execute(
            select(Answer.registration_id, Answer.question_id, Answer.value).where(
                Answer.registration_id.in_(ids)
            )
        )
        for registration_id, question_id, value in rows:
            answers[registration_id][question_id] = value
        data.answers = dict(answers)
    return data
