"""The boards' JSON API (/api/v1/boards), documented in ``openapi.py``.

Staff authenticate with their API token; participants with the token they get when joining
(both as ``Authorization: Bearer <token>``). The same services as the pages decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.accounts.models import User
from koosloome.accounts.permissions import can_facilitate_board, can_link_board_to_event
from koosloome.boards import facilitation, services
from koosloome.boards.identity import api_participant, participant_rate_key
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea
from koosloome.boards.queries import BoardView, load_board
from koosloome.db import MAX_ID
from koosloome.events.models import Event
from koosloome.extensions import csrf, db, limiter
from koosloome.json_api import ApiProblem, api_user, json_error, token_required
from koosloome.ratelimits import limit_board_joins, limit_code_lookups

bp = Blueprint("boards_api", __name__, url_prefix="/api/v1/boards")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())
# A refused action (``DomainError``) answers as every API refusal does (``errors``).

def _body() -> dict[str, Any]:
    """The JSON object sent; no body at all is an empty one, anything else is a 400."""
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        raise ApiProblem(400, "bad_request", _("Send a JSON object"))
    return data


def _invalid(fields: dict[str, list[str]]) -> ResponseReturnValue:
    return json_error(422, "invalid", _("Some fields are missing or not valid."), fields)


def _board(code: str) -> Board | None:
    try:
        return services.board_by_code(code)
    except services.UnknownJoinCode:
        return None


def _not_found() -> ResponseReturnValue:
    return json_error(404, "not_found", _("There is no board with this code. Check the code "
                                          "and try again."))


def _facilitates(board: Board) -> bool:
    user = api_user()
    return user is not None and can_facilitate_board(user, board)


def _board_json(view: BoardView, participant: BoardParticipant | None) -> dict[str, Any]:
    board = view.board
    return {
        "code": board.join_code,
        "title": board.title,
        "question": board.question,
        "intro": {"et": board.intro_et, "en": board.intro_en},
        "phase": board.phase.value,
        "revision": board.revision,
        "event_id": board.event_id,
        "settings": {
            "allow_anonymous": board.allow_anonymous,
            "votes_per_participant": board.votes_per_participant,
            "multiple_votes_per_idea": board.multiple_votes_per_idea,
            "hide_others_while_collecting": board.hide_others_while_collecting,
            "results_only_when_closed": board.results_only_when_closed,
        },
        "participant_count": view.participant_count,
        "votes_left": view.votes_left,
        "columns": [
            {"id": column.id, "title": column.title,
             "ideas": [_idea_json(card) for card in column.ideas]}
            for column in view.columns
        ],
        "themes": [
            {"id": theme.id, "name": theme.title, "idea_ids": [card.id for card in theme.ideas]}
            for theme in view.themes
        ],
    }


def _idea_json(card: Any) -> dict[str, Any]:
    return {
        "id": card.id, "column_id": card.column_id, "theme_id": card.theme_id,
        "text": card.text, "author": card.author or None, "paper_note": card.is_paper,
        "pinned": card.pinned, "hidden": card.hidden, "votes": card.votes,
        "my_votes": card.my_votes, "comments": card.comments, "mine": card.mine,
        "merged_texts": card.merged_texts,
    }


def _int(data: dict[str, Any], key: str, fields: dict[str, list[str]],
         required: bool = True) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        fields[key] = [_("Give a whole number.")]
        return None
    return value


# --- boards ------------------------------------------------------------------------------


#: The board's yes/no settings in the API, with their defaults.
_BOARD_SWITCHES = (("allow_anonymous", True), ("multiple_votes_per_idea", False),
                   ("hide_others_while_collecting", False), ("results_only_when_closed", False))


@bp.post("")
@token_required
def create_board() -> ResponseReturnValue:
    """Create a board (staff token)."""
    data = _body()
    fields: dict[str, list[str]] = {}
    for key, limit in (("title", 200), ("question", 300)):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            fields[key] = [_("Give a text of 1 to %(max)d characters.", max=limit)]
    votes = data.get("votes_per_participant", 3)
    if isinstance(votes, bool) or not isinstance(votes, int) or not 0 <= votes <= 50:
        fields["votes_per_participant"] = [_("Give a whole number from 0 to 50.")]
    user = api_user()
    assert user is not None
    event_id = data.get("event_id")
    event = db.session.get(Event, event_id) if (
        isinstance(event_id, int) and not isinstance(event_id, bool) and 0 <= event_id <= MAX_ID
    ) else None
    if event_id is not None and event is None:
        fields["event_id"] = [_("There is no event with this id.")]
    elif event is not None and not can_link_board_to_event(user, event):
        fields["event_id"] = [_("You can link a board only to an event of your own partner.")]
    columns = data.get("columns") or []
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        fields["columns"] = [_("Give a list of column titles.")]
    for key in ("intro_et", "intro_en"):
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > 2000:
            fields[key] = [_("Give a text of at most %(max)d characters.", max=2000)]
    switches = {key: data.get(key, default) for key, default in _BOARD_SWITCHES}
    for key, value in switches.items():
        if not isinstance(value, bool):
            fields[key] = [_("Must be true or false")]
    if fields:
        return _invalid(fields)
    settings = services.BoardSettings(
        title=data["title"], question=data["question"],
        intro_et=data.get("intro_et", ""), intro_en=data.get("intro_en", ""),
        event_id=event_id, votes_per_participant=votes, **switches,
    )
    board = services.create_board(user, settings, columns)
    return _board_json(load_board(board, facilitator=True), None), 201


@bp.get("/<code>")
@limit_code_lookups
def get_board(code: str) -> ResponseReturnValue:
    """The board: columns, ideas with vote counts, phase (participant or staff token)."""
    board = _board(code)
    if board is None:
        return _not_found()
    participant = api_participant(board)
    facilitator = _facilitates(board)
    if participant is None and not facilitator and board.phase is not BoardPhase.CLOSED:
        return json_error(401, "unauthorized", _("Join the board first: send the participant "
                                                 "token you got when joining."))
    view = load_board(board, participant, facilitator=facilitator)
    return _board_json(view, participant)


@bp.post("/<code>/participants")
@limiter.limit("30 per minute; 300 per hour")
@limit_board_joins(201)
def join(code: str) -> ResponseReturnValue:
    """Join the board; the answer carries the participant's token (shown once)."""
    board = _board(code)
    if board is None:
        return _not_found()
    name = _body().get("display_name")
    name = "" if name is None else name
    if not isinstance(name, str):
        return _invalid({"display_name": [_("Give a text.")]})
    participant, token = services.join_board(board, name)
    return {
        "participant": {"id": participant.id, "display_name": participant.display_name},
        "token": token,
        "votes_left": board.votes_per_participant,
    }, 201


def _unauthorized_participant() -> ResponseReturnValue:
    return json_error(401, "unauthorized", _("Join the board first: send the participant "
                                             "token you got when joining."))


@bp.post("/<code>/ideas")
@limiter.limit("20 per minute; 200 per hour", key_func=participant_rate_key)
def post_idea(code: str) -> ResponseReturnValue:
    """Post an idea (participant token); a facilitator's staff token posts a paper note."""
    board = _board(code)
    if board is None:
        return _not_found()
    participant = api_participant(board)
    user = api_user() if participant is None else None
    if participant is None and not (user is not None and can_facilitate_board(user, board)):
        return _unauthorized_participant()
    data = _body()
    fields: dict[str, list[str]] = {}
    column_id = _int(data, "column_id", fields)
    text = data.get("text")
    if not isinstance(text, str):
        fields["text"] = [_("Write your idea")]
    if not isinstance(data.get("anonymous", False), bool):
        fields["anonymous"] = [_("Must be true or false")]
    if fields:
        return _invalid(fields)
    if participant is not None:
        idea = services.post_idea(board, participant, column_id, text or "",
                                  bool(data.get("anonymous")))
    else:
        assert user is not None
        idea = facilitation.post_on_behalf(board, user, column_id, text or "")
    return {"id": idea.id, "column_id": idea.column_id, "text": idea.text}, 201


@bp.post("/<code>/votes")
@limiter.limit("60 per minute", key_func=participant_rate_key)
def vote(code: str) -> ResponseReturnValue:
    """Give one vote to an idea (participant token)."""
    board = _board(code)
    if board is None:
        return _not_found()
    participant = api_participant(board)
    if participant is None:
        return _unauthorized_participant()
    fields: dict[str, list[str]] = {}
    idea_id = _int(_body(), "idea_id", fields)
    if fields:
        return _invalid(fields)
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.board_id != board.id:
        return json_error(404, "not_found", _("There is no such idea on this board."))
    new_vote, left = services.cast_vote(board, participant, idea)
    return {"id": new_vote.id, "idea_id": idea.id, "votes_left": left}, 201


@bp.delete("/<code>/votes/<int:vote_id>")
@limiter.limit("60 per minute", key_func=participant_rate_key)
def take_back_vote(code: str, vote_id: int) -> ResponseReturnValue:
    """Take back one's vote (participant token)."""
    board = _board(code)
    if board is None:
        return _not_found()
    participant = api_participant(board)
    if participant is None:
        return _unauthorized_participant()
    left = services.take_back_vote(board, participant, vote_id=vote_id)
    return {"votes_left": left}


# --- facilitator actions (staff token) ---------------------------------------------------


@dataclass
class Act:
    """What a facilitator action works on; it adds to ``fields`` when the body is not valid."""

    board: Board
    idea: Idea | None
    user: User
    data: dict[str, Any]
    fields: dict[str, list[str]]

    @property
    def the_idea(self) -> Idea:
        """The idea of an idea action (always set for those routes)."""
        assert self.idea is not None
        return self.idea


FacilitatorAction = Callable[[Act], Any]


def _facilitator_action(
    code: str, idea_id: int | None, action: FacilitatorAction
) -> ResponseReturnValue:
    """Common frame: staff token, board, optional idea, validation, service, commit."""
    user = api_user()
    if user is None:
        return json_error(401, "unauthorized", _("A valid API token is required."))
    board = _board(code)
    if board is None:
        return _not_found()
    if not can_facilitate_board(user, board):
        return json_error(403, "forbidden", _("You do not facilitate this board."))
    idea = None
    if idea_id is not None:
        idea = db.session.get(Idea, idea_id)
        if idea is None or idea.board_id != board.id:
            return json_error(404, "not_found", _("There is no such idea on this board."))
    fields: dict[str, list[str]] = {}
    result = action(Act(board, idea, user, _body(), fields))
    if fields:
        return _invalid(fields)
    if isinstance(result, tuple):
        return result
    return _board_json(load_board(board, facilitator=True), None)


@bp.post("/<code>/phase")
def set_phase(code: str) -> ResponseReturnValue:
    """Move the board to another phase: collecting, voting or closed."""
    def act(a: Act) -> None:
        try:
            phase = BoardPhase(a.data.get("phase"))
        except ValueError:
            a.fields["phase"] = [_("Give one of: collecting, voting, closed.")]
            return
        services.set_phase(a.board, phase)
    return _facilitator_action(code, None, act)


@bp.post("/<code>/ideas/<int:idea_id>/hide")
def hide_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Hide an idea from participants, with a reason."""
    def act(a: Act) -> None:
        reason = a.data.get("reason")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 300:
            a.fields["reason"] = [_("Give a reason for hiding the idea")]
            return
        facilitation.hide_idea(a.the_idea, a.user, reason)
    return _facilitator_action(code, idea_id, act)


@bp.post("/<code>/ideas/<int:idea_id>/unhide")
def unhide_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Show a hidden idea again."""
    def act(a: Act) -> None:
        facilitation.unhide_idea(a.the_idea, a.user)
    return _facilitator_action(code, idea_id, act)


@bp.post("/<code>/ideas/<int:idea_id>/merge")
def merge_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Merge this idea into ``into_idea_id``; votes move over, extra votes are returned."""
    def act(a: Act) -> Any:
        target = _int(a.data, "into_idea_id", a.fields)
        if a.fields:
            return None
        returned = facilitation.merge_ideas(a.the_idea, a.user, target)
        return {"merged_into": target, "votes_returned": returned}, 200
    return _facilitator_action(code, idea_id, act)


@bp.post("/<code>/ideas/<int:idea_id>/move")
def move_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Move an idea to another column."""
    def act(a: Act) -> None:
        column_id = _int(a.data, "column_id", a.fields)
        if a.fields:
            return
        facilitation.move_idea(a.the_idea, a.user, column_id)
    return _facilitator_action(code, idea_id, act)


@bp.post("/<code>/ideas/<int:idea_id>/theme")
def set_theme(code: str, idea_id: int) -> ResponseReturnValue:
    """Group an idea under a theme (``theme_id``), or none (``null``)."""
    def act(a: Act) -> None:
        theme_id = _int(a.data, "theme_id", a.fields, required="theme_id" not in a.data)
        if a.fields:
            return
        facilitation.set_theme(a.the_idea, a.user, theme_id)
    return _facilitator_action(code, idea_id, act)


@bp.post("/<code>/themes")
def add_theme(code: str) -> ResponseReturnValue:
    """Add a theme; the answer is the new theme."""
    def act(a: Act) -> Any:
        name = a.data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            a.fields["name"] = [_("Give a text of 1 to %(max)d characters.", max=100)]
            return None
        theme = facilitation.add_theme(a.board, name)
        db.session.flush()
        return {"id": theme.id, "name": theme.name}, 201
    return _facilitator_action(code, None, act)
