"""Actions in the JSON API: anyone reads a board's actions without their owners (the public
page's facts); its facilitators (staff tokens) read them whole, add, change and remove them."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.accounts.permissions import can_facilitate_board
from koosloome.boards import services as boards
from koosloome.boards.models import Board
from koosloome.extensions import csrf
from koosloome.json_api import ApiProblem, api_user, json_object, unknown_keys, wrong_types
from koosloome.outcomes import services
from koosloome.outcomes.models import Action, ActionStatus, FundingSource, TargetGroup
from koosloome.ratelimits import limit_code_lookups

bp = Blueprint("outcomes_api", __name__, url_prefix="/api/v1/boards")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

TEXTS = {"title": 300, "description": 5000, "owner": 200, "dropped_reason": 500,
         "next_step": 500}
TYPES = {**{name: (str,) for name in TEXTS}, "target_group": (str,), "status": (str,),
         "funding": (str,), "next_step_on": (str,), "owner_user_id": (int,),
         "partner_id": (int,), "idea_ids": (list,)}
CHOICES = {"target_group": TargetGroup, "status": ActionStatus, "funding": FundingSource}


def action_json(action: Action, *, internal: bool) -> dict[str, Any]:
    """An action as JSON; its owner only for the board's facilitators."""
    body: dict[str, Any] = {
        "id": action.id, "title": action.title, "description": action.description,
        "target_group": action.target_group.value, "status": action.status.value,
        "dropped_reason": action.dropped_reason, "next_step": action.next_step,
        "next_step_on": action.next_step_on.isoformat() if action.next_step_on else None,
        "funding": action.funding.value if action.funding else None,
        "partner_id": action.partner_id,
        "status_changed_at": action.status_changed_at.isoformat(),
        "idea_ids": [idea.id for idea in action.ideas if not idea.hidden],
    }
    if internal:
        body.update(owner=action.owner, owner_user_id=action.owner_user_id)
    return body


def _board(code: str) -> Board:
    try:
        return boards.board_by_code(code)
    except boards.UnknownJoinCode:
        raise ApiProblem(404, "not_found", _("No such board")) from None


def _facilitated(code: str) -> Board:
    board = _board(code)
    user = api_user()
    if user is None:
        raise ApiProblem(401, "unauthorized", _("Sign in with a staff token"))
    if not can_facilitate_board(user, board):
        raise ApiProblem(403, "forbidden", _("You may not do this"))
    return board


def _values(payload: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], list[int] | None]:
    errors = unknown_keys(payload, TYPES)
    errors.update(wrong_types(payload, TYPES))
    for name in (*TEXTS, "target_group", "status", "idea_ids"):  # these are never null
        if name in payload and payload[name] is None:
            errors[name] = [_("Has the wrong type")]
    if errors:  # the checks below read the values as their documented types
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    values: dict[str, Any] = {}
    for name, most in TEXTS.items():
        if isinstance(payload.get(name), str):
            if len(payload[name]) > most:
                errors[name] = [_("Too long")]
            values[name] = payload[name]
    if (creating or "title" in payload) and not (payload.get("title") or "").strip():
        errors["title"] = [_("This field is required")]
    for name, kind in CHOICES.items():
        if name in payload and name not in errors:
            value = payload[name]
            if value is None and name == "funding":
                values[name] = None
            elif value not in {member.value for member in kind}:
                errors[name] = [_("Not one of the choices")]
            else:
                values[name] = value
    if isinstance(payload.get("next_step_on"), str):
        try:
            values["next_step_on"] = date.fromisoformat(payload["next_step_on"])
        except ValueError:
            errors["next_step_on"] = [_("Enter the date as YYYY-MM-DD")]
    elif "next_step_on" in payload and payload["next_step_on"] is None:
        values["next_step_on"] = None
    for name in ("owner_user_id", "partner_id"):  # null: none
        if name in payload and name not in errors:
            values[name] = payload[name]
    idea_ids = payload.get("idea_ids")
    if idea_ids is not None and not all(isinstance(i, int) and not isinstance(i, bool)
                                        for i in idea_ids):
        errors["idea_ids"] = [_("A list of idea ids")]
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    return values, idea_ids


@bp.get("/<code>/actions")
@limit_code_lookups
def list_actions(code: str) -> ResponseReturnValue:
    """What the board's ideas became, once it is closed (owners only for its facilitators,
    who see them at any time)."""
    board = _board(code)
    user = api_user()
    internal = user is not None and can_facilitate_board(user, board)
    return jsonify({"code": board.join_code, "actions": [
        action_json(action, internal=internal)
        for action in services.public_actions(board, internal)]})


@bp.post("/<code>/actions")
def add_action(code: str) -> ResponseReturnValue:
    """Turn ideas into an action (the board's facilitators)."""
    board = _facilitated(code)
    values, idea_ids = _values(json_object(), creating=True)
    user = api_user()
    assert user is not None
    action = services.save_action(board, values, idea_ids or [], user)
    return jsonify(action_json(action, internal=True)), 201


def _action(board: Board, action_id: int) -> Action:
    action = services.find_action(board, action_id)
    if action is None:
        raise ApiProblem(404, "not_found", _("No such action"))
    return action


@bp.patch("/<code>/actions/<int:action_id>")
def change_action(code: str, action_id: int) -> ResponseReturnValue:
    """Change an action (what is left out stays): its status, next step, funding…"""
    board = _facilitated(code)
    action = _action(board, action_id)
    values, idea_ids = _values(json_object(), creating=False)
    user = api_user()
    assert user is not None
    services.save_action(board, values, idea_ids, user, action)
    return jsonify(action_json(action, internal=True))


@bp.delete("/<code>/actions/<int:action_id>")
def delete_action(code: str, action_id: int) -> ResponseReturnValue:
    """Take back an action entered by mistake."""
    board = _facilitated(code)
    action = _action(board, action_id)
    user = api_user()
    assert user is not None
    services.remove_action(action, user)
    return "", 204
