"""Calls instead of e-mails: every message a person without an e-mail address would have
received becomes a task on the event's call list, with the words to read to them.

Made by ``notify`` in the caller's transaction, like an outbox row: a change that rolls back
leaves no task, and one change makes one task. The words are put together when the list is
shown, in the person's language, from what was decided then and the event as it is now.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import CALLS_TO_MAKE, CallTask
from koosloome.registrations.models import Registration, RegistrationSource

#: What a person is called about (a thank-you, a changed detail or a link are not worth a call).
CALL_KINDS = frozenset({
    MessageKind.CONFIRMED, MessageKind.WAITLISTED, MessageKind.PROMOTED,
    MessageKind.APPLICATION_RECEIVED, MessageKind.APPLICATION_ACCEPTED,
    MessageKind.APPLICATION_REJECTED, MessageKind.APPLICATION_RESERVE,
    MessageKind.REGISTRATION_DECLINED,
    MessageKind.CANCELLED, MessageKind.EVENT_CHANGED, MessageKind.EVENT_CANCELLED,
    MessageKind.REMINDER, MessageKind.ARRANGEMENT_IMPOSSIBLE, MessageKind.ORGANISER_MESSAGE,
    MessageKind.OFFER_MADE, MessageKind.OFFER_ACCEPTED, MessageKind.OFFER_LAPSED,
})
#: Said by the staff member during the call in which they registered the person.
TOLD_WHILE_REGISTERING = frozenset({MessageKind.CONFIRMED, MessageKind.WAITLISTED,
                                    MessageKind.APPLICATION_RECEIVED})


def queue_call(registration: Registration, kind: MessageKind, language: str,
               context: dict[str, Any]) -> CallTask | None:
    """A call task for ``registration``, when the message is worth a call and there is a
    number to call; flushes."""
    if kind not in CALL_KINDS or not registration.phone:
        return None
    if registration.source is RegistrationSource.PHONE and kind in TOLD_WHILE_REGISTERING:
        return None
    task = CallTask(kind=kind.value, registration_id=registration.id,
                    event_id=registration.event_id, language=language, context=dict(context))
    db.session.add(task)
    db.session.flush()
    return task


def call_script(task: CallTask, registration: Registration, values: dict[str, Any]) -> str:
    """The words to read to the person, in their language. ``values`` are the event's as
    ``content.message_context`` gives them."""
    with force_locale(task.language):
        text = render_template("calls/script.txt", kind=task.kind, language=task.language,
                               **{**values, **task.context})
    return " ".join(text.split())


def calls_to_make_per_event(event_ids: list[int]) -> dict[int, int]:
    """Calls still to make per event."""
    rows = db.session.execute(
        select(CallTask.event_id, func.count()).where(CallTask.event_id.in_(event_ids),
                                                      CallTask.outcome.in_(CALLS_TO_MAKE))
        .group_by(CallTask.event_id))
    return {event_id: count for event_id, count in rows}
