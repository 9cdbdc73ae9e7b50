"""Rules of the idea boards: joining, posting, voting and the board's lifecycle.

Services flush, never commit; the request commits once. Every change raises the board's
``revision`` so that polling clients see it (and get a 304 when nothing changed).
Facilitator-only actions (moderation, merging, columns, themes) live in ``facilitation.py``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Select, and_, bindparam, func, select, update

from koosloome.accounts.models import User
from koosloome.accounts.permissions import can_link_board_to_event
from koosloome.boards.models import (
    Board,
    BoardColumn,
    BoardParticipant,
    BoardPhase,
    Idea,
    IdeaComment,
    IdeaRevision,
    Vote,
)
from koosloome.db import utcnow
from koosloome.errors import DomainError, NotAllowed
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import ACTIVE_STATUSES, Registration
from koosloome.tokens import hash_token, new_token

#: No 0/O, 1/I/l/L: a code read aloud or from a projector is not mistaken.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
DEFAULT_COLUMNS = ("Vajadused", "Ideed", "Ressursid", "Järgmised sammud")
IDEA_MAX_LENGTH = 500
NAME_MAX_LENGTH = 80
MAX_VOTES_PER_PARTICIPANT = 50
#: Transitions a facilitator may make; a closed board can be reopened for voting.
PHASE_TRANSITIONS = {
    BoardPhase.COLLECTING: {BoardPhase.VOTING, BoardPhase.CLOSED},
    BoardPhase.VOTING: {BoardPhase.COLLECTING, BoardPhase.CLOSED},
    BoardPhase.CLOSED: {BoardPhase.VOTING, BoardPhase.COLLECTING},
}


class BoardError(DomainError):
    """A board rule refused the action."""

    status = 422
    code = "invalid"


class UnknownJoinCode(BoardError):
    """No board has that join code."""

    status = 404
    code = "not_found"
    message = _l("There is no board with this code. Check the code and try again.")


class NameRequired(BoardError):
    """This board does not allow anonymous participants."""

    code = "name_required"
    message = _l("Enter your name: this board does not allow anonymous participants.")


class WrongPhase(BoardError):
    """The action is not possible in the board's current phase."""

    status = 409
    code = "wrong_phase"
    message = _l("This is not possible in the board's current phase.")
    BY_PHASE = {
        BoardPhase.COLLECTING: _l("Voting has not started yet. You can post ideas now."),
        BoardPhase.VOTING: _l("Ideas cannot be posted or changed now: the board is in the "
                              "voting phase."),
    }

    def __init__(self, phase: BoardPhase) -> None:
        super().__init__(phase.value)
        self.phase = phase

    def describe(self) -> str:
        """What the phase allows instead."""
        return str(self.BY_PHASE.get(self.phase, self.message))


class BoardClosed(WrongPhase):
    """A closed board is read-only."""

    code = "board_closed"
    message = _l("This board is closed. Its results can be read but nothing can be changed.")

    def describe(self) -> str:
        """Closed, whatever the phase."""
        return str(self.message)


class InvalidText(BoardError):
    """Empty or longer than allowed."""

    code = "invalid_text"
    message = _l("Write your idea in at most 500 characters.")


class IdeaNotVotable(BoardError):
    """Hidden, merged or from another board."""

    status = 409
    code = "idea_not_votable"
    message = _l("This idea cannot be voted for or commented on.")


class BudgetExhausted(BoardError):
    """The participant has used every vote."""

    status = 409
    code = "budget_exhausted"
    message = _l("You have used all your votes. Take a vote back from another idea to vote "
                 "for this one.")


class AlreadyVoted(BoardError):
    """This board allows one vote per idea and the participant has given it."""

    status = 409
    code = "already_voted"
    message = _l("You have already voted for this idea. On this board each idea can get one "
                 "vote from you.")


class NoVoteToTakeBack(BoardError):
    """The participant has no vote on that idea."""

    status = 404
    code = "no_vote"
    message = _l("You have no vote on this idea to take back.")


# --- creating and configuring boards -------------------------------------------------------


@dataclass
class BoardSettings:
    """What a facilitator chooses when creating or editing a board."""

    title: str
    question: str
    intro_et: str = ""
    intro_en: str = ""
    event_id: int | None = None
    allow_anonymous: bool = True
    votes_per_participant: int = 3
    multiple_votes_per_idea: bool = False
    hide_others_while_collecting: bool = False
    results_only_when_closed: bool = False


def normalise_join_code(code: str) -> str:
    """Upper-case, without spaces or hyphens: ``kuv r24`` → ``KUVR24``."""
    return "".join(char for char in code.upper() if char.isalnum())


def new_join_code() -> str:
    """A join code not used by any board yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalars(select(Board.id).where(Board.join_code == code)).first() is None:
            return code


def board_by_code(code: str) -> Board:
    """The board with this join code (typed in any case, with spaces), or ``UnknownJoinCode``."""
    normalised = normalise_join_code(code)
    board = None
    if len(normalised) == JOIN_CODE_LENGTH:
        board = db.session.scalars(select(Board).where(Board.join_code == normalised)).first()
    if board is None:
        raise UnknownJoinCode(code)
    return board


def add_default_columns(board: Board) -> None:
    """Give a new board the four standard columns."""
    for position, title in enumerate(DEFAULT_COLUMNS):
        board.columns.append(BoardColumn(position=position, title=title))


def _apply_settings(board: Board, settings: BoardSettings) -> None:
    if not 0 <= settings.votes_per_participant <= MAX_VOTES_PER_PARTICIPANT:
        raise BoardError("votes_per_participant")
    board.title = settings.title.strip()
    board.question = settings.question.strip()
    board.intro_et = settings.intro_et.strip()
    board.intro_en = settings.intro_en.strip()
    board.event = db.session.get(Event, settings.event_id) if settings.event_id else None
    board.allow_anonymous = settings.allow_anonymous
    board.votes_per_participant = settings.votes_per_participant
    board.multiple_votes_per_idea = settings.multiple_votes_per_idea
    board.hide_others_while_collecting = settings.hide_others_while_collecting
    board.results_only_when_closed = settings.results_only_when_closed


def _check_event_link(user: User, settings: BoardSettings, board: Board | None = None) -> None:
    """``NotAllowed`` when the settings link the board to an event ``user`` may not link it to
    (a link that is already there may stay)."""
    if settings.event_id is None or (board is not None and settings.event_id == board.event_id):
        return
    event = db.session.get(Event, settings.event_id)
    if event is None or not can_link_board_to_event(user, event):
        raise NotAllowed("event")


def create_board(
    user: User, settings: BoardSettings, column_titles: Iterable[str] | None = None
) -> Board:
    """A new board of the user's organisation, in the collecting phase, with a fresh code."""
    _check_event_link(user, settings)
    board = Board(join_code=new_join_code(), organisation_id=user.organisation_id,
                  created_by_id=user.id)
    _apply_settings(board, settings)
    titles = [title.strip() for title in (column_titles or []) if title.strip()]
    if titles:
        board.columns = [BoardColumn(position=i, title=t[:100]) for i, t in enumerate(titles)]
    else:
        add_default_columns(board)
    db.session.add(board)
    db.session.flush()
    return board


def update_settings(board: Board, settings: BoardSettings, user: User) -> None:
    """Change a board's texts and settings (``user`` makes the change)."""
    _check_event_link(user, settings, board)
    _apply_settings(board, settings)
    touch(board)


def set_phase(board: Board, phase: BoardPhase) -> None:
    """Move the board to ``phase`` (collecting → voting → closed, or back)."""
    if phase == board.phase:
        return
    if phase not in PHASE_TRANSITIONS[board.phase]:
        raise WrongPhase(board.phase)
    board.phase = phase
    board.closed_at = utcnow() if phase is BoardPhase.CLOSED else None
    touch(board)


def touch(board: Board) -> None:
    """Raise the board's revision in the database (atomic, so parallel changes all count)."""
    db.session.flush()
    db.session.execute(
        update(Board)
        .where(Board.id == board.id)
        .values(revision=Board.revision + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(board, ["revision"])


# --- participants ------------------------------------------------------------------------


def join_board(
    board: Board, display_name: str, registration: Registration | None = None,
    updates_email: str | None = None, language: str = "et",
) -> tuple[BoardParticipant, str]:
    """Add a participant; returns it and its secret token (kept by the client, hash stored).
    ``updates_email``: they asked to hear what comes of the ideas (their consent)."""
    if board.phase is BoardPhase.CLOSED:
        raise BoardClosed(board.phase)
    name = " ".join(display_name.split())
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidText("display_name")
    if not name and not board.allow_anonymous:
        raise NameRequired()
    token = new_token()
    if registration is not None:
        # One registration, one participant: joining again (another browser, cleared
        # cookies) gets the same participant back, with its votes, not a fresh budget.
        earlier = db.session.scalars(select(BoardParticipant).where(
            BoardParticipant.board_id == board.id,
            BoardParticipant.registration_id == registration.id)).first()
        if earlier is not None:
            earlier.token_hash = hash_token(token)
            earlier.display_name = name or earlier.display_name
            _ask_for_updates(earlier, updates_email, language)
            return earlier, token
    participant = BoardParticipant(
        board=board,
        display_name=name,
        registration_id=registration.id if registration else None,
        token_hash=hash_token(token),
    )
    _ask_for_updates(participant, updates_email, language)
    db.session.add(participant)
    touch(board)
    return participant, token


def _ask_for_updates(participant: BoardParticipant, email: str | None, language: str) -> None:
    """Keep the address they gave for news of the actions, with the time of their consent and
    a fresh nonce for the link that stops it."""
    email = (email or "").strip()
    if not email:
        return
    participant.updates_email = email
    participant.updates_language = language
    participant.updates_consent_at = utcnow()
    participant.updates_nonce = secrets.token_hex(16)


def participant_for_token(board: Board, token: str | None) -> BoardParticipant | None:
    """The participant of ``board`` holding ``token``, if any."""
    if not token or len(token) > 200:
        return None
    query = select(BoardParticipant).where(
        BoardParticipant.board_id == board.id,
        BoardParticipant.token_hash == hash_token(token),
    )
    return db.session.scalars(query).first()


@dataclass(frozen=True)
class LiveState:
    """What a board's no-change poll compares: the board, its revision, who is asking."""

    board_id: int
    revision: int
    participant_id: int | None


@cache
def _live_state_query() -> Select[tuple[int, int, int | None]]:
    # Built once, on the tables (plain Core): the poll runs it every few seconds per reader.
    boards, participants = Board.__table__, BoardParticipant.__table__
    return (
        select(boards.c.id, boards.c.revision, participants.c.id)
        .outerjoin(participants, and_(participants.c.board_id == boards.c.id,
                                      participants.c.token_hash == bindparam("token_hash")))
        .where(boards.c.join_code == bindparam("code"))
    )


def live_state(code: str, token: str | None, connection: Connection | None = None
               ) -> LiveState | None:
    """The board with ``code`` and the participant holding ``token``, in one small query
    (three numbers, no objects): the poll every open board page sends every few seconds
    costs about as little as a request can. None for an unknown code. Read through
    ``connection`` when given (the poll's shortcut has no ORM session), else the session."""
    normalised = normalise_join_code(code)
    if len(normalised) != JOIN_CODE_LENGTH:
        return None
    token_hash = hash_token(token) if token and len(token) <= 200 else None
    parameters = {"code": normalised, "token_hash": token_hash}
    if connection is None:
        row = db.session.execute(_live_state_query(), parameters).first()
    else:
        row = connection.execute(_live_state_query(), parameters).first()
    return LiveState(row[0], row[1], row[2]) if row else None


def registration_for_board(board: Board, registration: Registration | None) -> bool:
    """True when ``registration`` is an active registration for the board's linked event."""
    return (
        registration is not None
        and board.event_id is not None
        and registration.event_id == board.event_id
        and registration.status in ACTIVE_STATUSES
    )


def proxy_participant(board: Board) -> BoardParticipant:
    """The stand-in that carries paper notes and paper votes (created on first use)."""
    query = select(BoardParticipant).where(
        BoardParticipant.board_id == board.id, BoardParticipant.proxy.is_(True)
    ).order_by(BoardParticipant.id)
    proxy = db.session.scalars(query).first()
    if proxy is None:
        proxy = BoardParticipant(board=board, proxy=True)
        db.session.add(proxy)
        db.session.flush()
    return proxy


# --- ideas and comments ------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Trimmed text, or ``InvalidText`` when empty or over 500 characters."""
    cleaned = (text or "").strip().replace("\r\n", "\n")
    if not cleaned or len(cleaned) > IDEA_MAX_LENGTH:
        raise InvalidText("text")
    return cleaned


def _require_phase(board: Board, *phases: BoardPhase) -> None:
    if board.phase is BoardPhase.CLOSED and BoardPhase.CLOSED not in phases:
        raise BoardClosed(board.phase)
    if board.phase not in phases:
        raise WrongPhase(board.phase)


def column_of(board: Board, column_id: int | None) -> BoardColumn:
    """The board's column with this id, or ``NotAllowed``."""
    column = db.session.get(BoardColumn, column_id) if column_id else None
    if column is None or column.board_id != board.id:
        raise NotAllowed("column")
    return column


def post_idea(
    board: Board,
    participant: BoardParticipant,
    column_id: int | None,
    text: str,
    anonymous: bool = False,
) -> Idea:
    """A participant posts an idea into a column while the board collects ideas."""
    _require_phase(board, BoardPhase.COLLECTING)
    if participant.board_id != board.id:
        raise NotAllowed("participant")
    idea = Idea(
        board=board,
        column=column_of(board, column_id),
        participant=participant,
        text=clean_text(text),
        anonymous=bool(anonymous and board.allow_anonymous) or not participant.display_name,
    )
    db.session.add(idea)
    touch(board)
    return idea


def _own_idea(idea: Idea, participant: BoardParticipant | None) -> None:
    if participant is None or idea.participant_id != participant.id or participant.proxy:
        raise NotAllowed("idea")


def record_revision(idea: Idea, user: User | None = None,
                    participant: BoardParticipant | None = None) -> None:
    """Keep the idea's current text as history before it changes."""
    idea.revisions.append(IdeaRevision(
        text=idea.text,
        edited_by_user_id=user.id if user else None,
        edited_by_participant_id=participant.id if participant else None,
    ))


def edit_own_idea(idea: Idea, participant: BoardParticipant | None, text: str) -> None:
    """A participant edits their own idea while the board collects ideas (history kept)."""
    _own_idea(idea, participant)
    _require_phase(idea.board, BoardPhase.COLLECTING)
    cleaned = clean_text(text)
    if cleaned != idea.text:
        record_revision(idea, participant=participant)
        idea.text = cleaned
        touch(idea.board)


def delete_own_idea(idea: Idea, participant: BoardParticipant | None) -> None:
    """A participant deletes their own idea while the board collects ideas."""
    _own_idea(idea, participant)
    board = idea.board
    _require_phase(board, BoardPhase.COLLECTING)
    db.session.delete(idea)
    touch(board)


def add_comment(idea: Idea, participant: BoardParticipant, text: str) -> IdeaComment:
    """Build on an idea with a comment, while collecting or voting."""
    _require_phase(idea.board, BoardPhase.COLLECTING, BoardPhase.VOTING)
    if idea.hidden or idea.merged_into_id is not None or participant.board_id != idea.board_id:
        raise IdeaNotVotable(idea.id)
    comment = IdeaComment(idea=idea, participant=participant, text=clean_text(text))
    db.session.add(comment)
    touch(idea.board)
    return comment


# --- votes -------------------------------------------------------------------------------


def _lock_participant(participant: BoardParticipant) -> None:
    """Lock the participant's row (PostgreSQL) so that parallel votes queue up here.

    SQLite ignores FOR UPDATE, but there every writing request already holds the database's
    write lock from BEGIN IMMEDIATE (see ``koosloome.db``).
    """
    db.session.execute(
        select(BoardParticipant.id).where(BoardParticipant.id == participant.id).with_for_update()
    )


def votes_used(participant: BoardParticipant) -> int:
    """How many votes the participant has placed (read fresh from the database)."""
    query = select(func.count(Vote.id)).where(Vote.participant_id == participant.id)
    return db.session.scalar(query) or 0


def votes_left(board: Board, participant: BoardParticipant) -> int:
    """The participant's remaining voting budget."""
    return max(board.votes_per_participant - votes_used(participant), 0)


def cast_vote(board: Board, participant: BoardParticipant, idea: Idea) -> tuple[Vote, int]:
    """Place one vote on ``idea`` within the budget; returns the vote and the votes left."""
    _require_phase(board, BoardPhase.VOTING)
    if participant.board_id != board.id or participant.proxy:
        raise NotAllowed("participant")
    if idea.board_id != board.id or idea.hidden or idea.merged_into_id is not None:
        raise IdeaNotVotable(idea.id)
    _lock_participant(participant)  # lock, then count
    used = votes_used(participant)
    if used >= board.votes_per_participant:
        raise BudgetExhausted(board.votes_per_participant)
    on_idea = db.session.scalars(
        select(Vote.slot).where(Vote.idea_id == idea.id, Vote.participant_id == participant.id)
    ).all()
    if on_idea and not board.multiple_votes_per_idea:
        raise AlreadyVoted(idea.id)
    vote = Vote(board_id=board.id, idea=idea, participant_id=participant.id,
                slot=max(on_idea, default=-1) + 1)
    db.session.add(vote)
    touch(board)
    return vote, board.votes_per_participant - used - 1


def take_back_vote(
    board: Board, participant: BoardParticipant, idea: Idea | None = None,
    vote_id: int | None = None,
) -> int:
    """Take back one of the participant's votes (the latest on ``idea``, or ``vote_id``)."""
    _require_phase(board, BoardPhase.VOTING)
    _lock_participant(participant)
    query = select(Vote).where(Vote.participant_id == participant.id, Vote.board_id == board.id)
    if vote_id is not None:
        query = query.where(Vote.id == vote_id)
    if idea is not None:
        query = query.where(Vote.idea_id == idea.id)
    vote = db.session.scalars(query.order_by(Vote.slot.desc())).first()
    if vote is None:
        raise NoVoteToTakeBack()
    db.session.delete(vote)
    touch(board)
    return max(board.votes_per_participant - votes_used(participant), 0)
