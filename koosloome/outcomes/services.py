"""Turning a board's ideas into actions and following them: rules and their audit. Functions
flush, never commit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.accounts.models import Organisation, User
from koosloome.boards.models import Board, BoardPhase, Idea, Vote
from koosloome.db import utcnow
from koosloome.errors import InvalidFields
from koosloome.extensions import db
from koosloome.outcomes.models import Action, ActionStatus, FundingSource, TargetGroup
from koosloome.outcomes.updates import tell_of_change

#: The fields of an action a form or the API sets (ideas apart).
ACTION_FIELDS = ("title", "description", "owner", "owner_user_id", "partner_id",
                 "target_group", "status", "dropped_reason", "next_step", "next_step_on",
                 "funding")


def actions_of(board: Board) -> list[Action]:
    """The board's actions, newest first, with their ideas."""
    return list(db.session.scalars(select(Action).where(Action.board_id == board.id)
                                   .options(selectinload(Action.ideas))
                                   .order_by(Action.id.desc())))


def public_actions(board: Board, facilitator: bool) -> list[Action]:
    """What anyone may read of the board's actions: nothing before the board is closed (its
    ideas and results are held back until then), except for its facilitators."""
    if board.phase is not BoardPhase.CLOSED and not facilitator:
        return []
    return actions_of(board)


def find_action(board: Board, action_id: int) -> Action | None:
    """One of the board's actions."""
    action = db.session.get(Action, action_id)
    return action if action is not None and action.board_id == board.id else None


def idea_choices(board: Board) -> list[tuple[Idea, int]]:
    """The board's visible ideas with their votes, most voted first (the usual sources of
    actions)."""
    votes = func.count(Vote.id)
    rows = db.session.execute(
        select(Idea, votes).outerjoin(Vote, Vote.idea_id == Idea.id)
        .where(Idea.board_id == board.id, Idea.hidden.is_(False), Idea.merged_into_id.is_(None))
        .group_by(Idea.id).order_by(votes.desc(), Idea.id)).all()
    return [(idea, count) for idea, count in rows]


def action_rules(board: Board, values: dict[str, Any],
                 idea_ids: list[int]) -> dict[str, list[str]]:
    """What is wrong with an action's values: a drop without its reason, ideas of another
    board or hidden ones."""
    errors: dict[str, list[str]] = {}
    if values.get("status") == ActionStatus.DROPPED.value and \
            not (values.get("dropped_reason") or "").strip():
        errors["dropped_reason"] = [_("Say why the action was dropped")]
    allowed = {idea.id for idea, _votes in idea_choices(board)}
    if set(idea_ids) - allowed:
        errors["ideas"] = [_("Choose ideas of this board")]
    partner_id, owner_id = values.get("partner_id"), values.get("owner_user_id")
    if partner_id is not None and db.session.get(Organisation, partner_id) is None:
        errors["partner_id"] = [_("Not a partner organisation")]
    owner = db.session.get(User, owner_id) if owner_id is not None else None
    if owner_id is not None and (owner is None or not owner.active):
        errors["owner_user_id"] = [_("Not a staff member")]
    return errors


def _apply(action: Action, values: dict[str, Any]) -> None:
    for name in ("title", "description", "owner", "dropped_reason", "next_step"):
        if name in values:
            setattr(action, name, (values[name] or "").strip())
    for name in ("owner_user_id", "partner_id", "next_step_on"):
        if name in values:
            setattr(action, name, values[name] or None)
    if "target_group" in values:
        action.target_group = TargetGroup(values["target_group"])
    if "funding" in values:
        action.funding = FundingSource(values["funding"]) if values["funding"] else None
    if "status" in values and ActionStatus(values["status"]) is not action.status:
        action.status = ActionStatus(values["status"])
        action.status_changed_at = utcnow()
    if action.status is not ActionStatus.DROPPED:  # taken up again: no reason to drop it
        action.dropped_reason = ""


def save_action(board: Board, values: dict[str, Any], idea_ids: list[int] | None, by: User,
                action: Action | None = None) -> Action:
    """Create (or change) an action of ``board``; ``InvalidFields`` when a rule fails (nothing
    is saved then). ``idea_ids`` None keeps the ideas as they are."""
    merged = dict(values)
    if action is not None:  # the rules see the action as it will be
        merged.setdefault("status", action.status.value)
        merged.setdefault("dropped_reason", action.dropped_reason)
    errors = action_rules(board, merged, idea_ids or [])
    if errors:
        raise InvalidFields(errors)
    created = action is None
    if action is None:
        action = Action(board_id=board.id, status=ActionStatus.PLANNED)
    before = None if created else action.status
    _apply(action, values)
    if idea_ids is not None:
        # Ideas hidden or merged since are not offered on the form: their links stay.
        offered = {idea.id for idea, _votes in idea_choices(board)}
        kept = [idea.id for idea in action.ideas if idea.id not in offered]
        action.ideas = list(db.session.scalars(select(Idea).where(
            Idea.id.in_([*idea_ids, *kept])).order_by(Idea.id)))
    db.session.add(action)
    db.session.flush()
    told = tell_of_change(board, action, before)
    audit.record("outcome.action.create" if created else "outcome.action.update",
                 user_id=by.id, object_type="action", object_id=action.id,
                 board_id=board.id, status_from=before.value if before else None,
                 status_to=action.status.value, told=told)
    return action


def remove_action(action: Action, by: User) -> None:
    """Take back an action entered by mistake (one that was dropped stays, with why)."""
    db.session.delete(action)
    db.session.flush()
    audit.record("outcome.action.remove", user_id=by.id, object_type="action",
                 object_id=action.id, board_id=action.board_id)


@dataclass(frozen=True)
class ActionCounts:
    """Actions counted the ways the LEADER report asks."""

    total: int
    by_status: Counter[ActionStatus]
    by_target_group: Counter[TargetGroup]
    by_funding: Counter[FundingSource | None]


def count_actions(actions: list[Action]) -> ActionCounts:
    """The counts of ``actions``."""
    return ActionCounts(len(actions), Counter(a.status for a in actions),
                        Counter(a.target_group for a in actions),
                        Counter(a.funding for a in actions))
