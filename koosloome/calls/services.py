"""Reading the call list and recording what came of each call."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.accounts.permissions import managed_by
from koosloome.db import utcnow
from koosloome.errors import DomainError
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.content import call_words
from koosloome.messaging.models import CALLS_TO_MAKE, CallOutcome, CallTask
from koosloome.registrations.models import Registration

#: Outcomes a caller records (``open`` is where every task starts).
RECORDED = (CallOutcome.REACHED, CallOutcome.NO_ANSWER, CallOutcome.MESSAGE_LEFT,
            CallOutcome.WRONG_NUMBER)


@dataclass(frozen=True)
class Call:
    """One task on the list, with whom to call and what to say."""

    task: CallTask
    registration: Registration
    event: Event
    words: str

    @property
    def to_make(self) -> bool:
        return self.task.outcome in CALLS_TO_MAKE


def _calls(query: object) -> list[Call]:
    rows = db.session.execute(query).all()
    return [Call(task, registration, registration.event, call_words(task, registration))
            for task, registration in rows]


def _base() -> object:
    return (select(CallTask, Registration)
            .join(Registration, Registration.id == CallTask.registration_id)
            .options(joinedload(Registration.event).joinedload(Event.organisation)))


def event_calls(event: Event, *, done_too: bool = True) -> list[Call]:
    """The event's call list: calls to make first (oldest first), then those done."""
    query = _base().where(CallTask.event_id == event.id)
    if not done_too:
        query = query.where(CallTask.outcome.in_(CALLS_TO_MAKE))
    calls = _calls(query.order_by(CallTask.created_at, CallTask.id))
    return sorted(calls, key=lambda call: not call.to_make)


def calls_to_make(user: User) -> list[Call]:
    """Every call still to make about the events ``user`` manages, by event date."""
    query = (_base().join(Event, Event.id == CallTask.event_id)
             .where(CallTask.outcome.in_(CALLS_TO_MAKE), managed_by(user))
             .order_by(Event.starts_at, CallTask.created_at, CallTask.id))
    return _calls(query)


class InvalidOutcome(DomainError):
    """Not something a call can come to (a call cannot be made "to call" again)."""

    status = 422
    code = "invalid"
    message = _l("Choose what came of the call")

    def __init__(self) -> None:
        super().__init__()
        self.fields = {"outcome": [str(self.message)]}


def call_of(task: CallTask) -> Call:
    """One task as it is shown on the list."""
    return Call(task, task.registration, task.event, call_words(task, task.registration))


def record_outcome(task: CallTask, outcome: str, note: str, user: User) -> None:
    """What came of a call (a value of ``RECORDED``); "no answer" keeps it on the list. The
    caller commits."""
    if outcome not in {recorded.value for recorded in RECORDED}:
        raise InvalidOutcome
    task.outcome = CallOutcome(outcome)
    task.note = note
    task.attempts += 1
    task.last_call_at = utcnow()
    task.last_call_by_id = user.id
    audit.record("call.outcome", user_id=user.id, object_type="registration",
                 object_id=task.registration_id, event_id=task.event_id,
                 status_to=outcome)
