"""The call list in the JSON API (event managers' tokens): GET /api/v1/events/<id>/calls and
PATCH /api/v1/calls/<id> for the outcome."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome import audit
from koosloome.accounts.permissions import can_manage_event
from koosloome.calls import services
from koosloome.calls.services import Call
from koosloome.extensions import csrf, db
from koosloome.json_api import (
    ApiProblem,
    api_user,
    json_object,
    managed_event,
    token_required,
    unknown_keys,
    wrong_types,
)
from koosloome.messaging.models import CallTask

bp = Blueprint("calls_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())


def call_json(call: Call) -> dict[str, Any]:
    """One call as JSON."""
    task = call.task
    return {"id": task.id, "event_id": task.event_id, "registration_id": task.registration_id,
            "name": call.registration.name, "phone": call.registration.phone,
            "language": task.language, "kind": task.kind, "words": call.words,
            "outcome": task.outcome.value, "attempts": task.attempts, "note": task.note,
            "last_call_at": task.last_call_at.isoformat() if task.last_call_at else None}


@bp.get("/events/<int:event_id>/calls")
@token_required
def list_calls(event_id: int) -> ResponseReturnValue:
    """The event's call list (calls to make first)."""
    event = managed_event(event_id)
    calls = services.event_calls(event)
    user = api_user()
    audit.record_access("view.calls", user_id=user.id if user else None, object_type="event",
                        object_id=event.id, event_id=event.id, people=len(calls))
    return jsonify({"calls": [call_json(call) for call in calls]})


@bp.patch("/calls/<int:task_id>")
@token_required
def record_outcome(task_id: int) -> ResponseReturnValue:
    """Note what came of a call."""
    task = db.session.get(CallTask, task_id)
    if task is None:
        raise ApiProblem(404, "not_found", _("No such call"))
    user = api_user()
    if user is None or not can_manage_event(user, task.event):
        raise ApiProblem(403, "forbidden", _("You may not manage this event"))
    payload = json_object()
    errors = {**unknown_keys(payload, ("outcome", "note")),
              **wrong_types(payload, {"outcome": (str,), "note": (str,)})}
    note = (payload.get("note") or "").strip()
    if len(note) > 500:
        errors["note"] = [_("At most %(num)d characters", num=500)]
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    services.record_outcome(task, payload.get("outcome") or "", note, user)
    return jsonify(call_json(services.call_of(task)))
