"""What only a board's facilitators may do: moderate, edit, move, merge, group, pin, paper votes,
and arrange columns and themes. Access is checked by the caller (``can_facilitate_board``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.boards.models import (
    Board,
    BoardColumn,
    BoardParticipant,
    BoardPhase,
    Idea,
    IdeaComment,
    Theme,
    Vote,
)
from koosloome.boards.services import (
    BoardClosed,
    BoardError,
    _lock_participant,
    clean_text,
    column_of,
    proxy_participant,
    record_revision,
    touch,
)
from koosloome.errors import NotAllowed
from koosloome.extensions import db

NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 300
MAX_PAPER_VOTES = 500


class CannotMerge(BoardError):
    """An idea cannot be merged into itself, a merged idea or another board's idea."""

    status = 409
    code = "cannot_merge"
    message = _l("These ideas cannot be merged. Choose another idea.")


class ColumnNotEmpty(BoardError):
    """A column that still holds ideas cannot be removed."""

    message = _l("Move the ideas out of this column before removing it.")


class LastColumn(BoardError):
    """A board needs at least one column."""

    message = _l("A board needs at least one column.")


def _open(board: Board) -> None:
    """Facilitators too leave a closed board as it is: reopen it first."""
    if board.phase is BoardPhase.CLOSED:
        raise BoardClosed(board.phase)


def _name(text: str, limit: int = NAME_MAX_LENGTH) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned or len(cleaned) > limit:
        raise BoardError("name")
    return cleaned


def _idea_of(board: Board, idea_id: int | None) -> Idea:
    idea = db.session.get(Idea, idea_id) if idea_id else None
    if idea is None or idea.board_id != board.id:
        raise NotAllowed("idea")
    return idea


def _audit(user: User, action: str, idea: Idea, **details: object) -> None:
    audit.record(f"board.{action}", user_id=user.id, object_type="idea", object_id=idea.id,
                 event_id=idea.board.event_id, **details)


# --- ideas -------------------------------------------------------------------------------


def post_on_behalf(board: Board, user: User, column_id: int | None, text: str) -> Idea:
    """Enter a paper note from someone without a device (posted by the board's stand-in)."""
    _open(board)
    idea = Idea(board=board, column=column_of(board, column_id),
                participant=proxy_participant(board), text=clean_text(text), anonymous=True)
    db.session.add(idea)
    touch(board)
    _audit(user, "post_on_behalf", idea)
    return idea


def edit_idea(idea: Idea, user: User, text: str) -> None:
    """Reword an idea; the earlier text is kept as history."""
    _open(idea.board)
    cleaned = clean_text(text)
    if cleaned != idea.text:
        record_revision(idea, user=user)
        idea.text = cleaned
        touch(idea.board)
        _audit(user, "edit", idea)


def hide_idea(idea: Idea, user: User, reason: str) -> None:
    """Hide an idea from participants; the reason is kept."""
    _open(idea.board)
    idea.hidden = True
    idea.hidden_reason = _name(reason, REASON_MAX_LENGTH)
    touch(idea.board)
    _audit(user, "hide", idea, reason=idea.hidden_reason)


def unhide_idea(idea: Idea, user: User) -> None:
    """Show a hidden idea again (the last reason stays on record in the audit log)."""
    _open(idea.board)
    idea.hidden = False
    touch(idea.board)
    _audit(user, "unhide", idea)


def set_pinned(idea: Idea, user: User, pinned: bool) -> None:
    """Pin an idea to the top of its column, or unpin it."""
    _open(idea.board)
    idea.pinned = pinned
    touch(idea.board)


def move_idea(idea: Idea, user: User, column_id: int | None) -> None:
    """Move an idea (and what was merged into it) to another column."""
    _open(idea.board)
    column = column_of(idea.board, column_id)
    idea.column = column
    db.session.execute(
        update(Idea).where(Idea.merged_into_id == idea.id).values(column_id=column.id)
        .execution_options(synchronize_session=False)
    )
    touch(idea.board)
    _audit(user, "move", idea, column_id=column.id)


def set_theme(idea: Idea, user: User, theme_id: int | None) -> None:
    """Group an idea under a theme, or take it out of any theme (``None``)."""
    _open(idea.board)
    theme = None
    if theme_id:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.board_id != idea.board_id:
            raise NotAllowed("theme")
    idea.theme = theme
    touch(idea.board)


def merge_ideas(source: Idea, user: User, target_id: int | None) -> int:
    """Merge ``source`` into another idea: votes and comments move over, source is folded in.

    A participant who voted on both keeps only what the board allows on one idea; the extra
    votes are returned to their budget. Returns how many votes were returned.
    """
    board = source.board
    _open(board)
    target = _idea_of(board, target_id)
    if target.id == source.id or target.merged_into_id is not None or source.merged_into_id:
        raise CannotMerge(source.id)
    returned = 0
    moving = db.session.scalars(
        select(Vote).where(Vote.idea_id == source.id).order_by(Vote.participant_id, Vote.slot)
    ).all()
    slots: dict[int, list[int]] = {}
    for participant_id, slot in db.session.execute(
        select(Vote.participant_id, Vote.slot).where(Vote.idea_id == target.id)
    ):
        slots.setdefault(participant_id, []).append(slot)
    # Paper votes stand for many people, so they all move over.
    proxy_id = db.session.scalar(select(BoardParticipant.id).where(
        BoardParticipant.board_id == board.id, BoardParticipant.proxy.is_(True)
    ).limit(1))
    for vote in moving:
        taken = slots.setdefault(vote.participant_id, [])
        if taken and not board.multiple_votes_per_idea and vote.participant_id != proxy_id:
            db.session.delete(vote)
            returned += 1
            continue
        vote.slot = max(taken, default=-1) + 1
        vote.idea_id = target.id
        taken.append(vote.slot)
    db.session.execute(
        update(IdeaComment).where(IdeaComment.idea_id == source.id).values(idea_id=target.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Idea).where(Idea.merged_into_id == source.id).values(merged_into_id=target.id)
        .execution_options(synchronize_session=False)
    )
    source.merged_into_id = target.id
    source.column_id = target.column_id
    source.pinned = False
    touch(board)
    db.session.expire(target)
    db.session.expire(source, ["votes", "comments"])
    _audit(user, "merge", source, into=target.id, votes_returned=returned)
    return returned


def set_paper_votes(idea: Idea, user: User, count: int) -> None:
    """Set how many dot votes from paper (people without a device) the idea has."""
    board = idea.board
    if board.phase is not BoardPhase.VOTING:
        raise BoardClosed(board.phase) if board.phase is BoardPhase.CLOSED else BoardError("phase")
    if not 0 <= count <= MAX_PAPER_VOTES or idea.hidden or idea.merged_into_id is not None:
        raise BoardError("count")
    proxy = proxy_participant(board)
    _lock_participant(proxy)
    slots = list(db.session.scalars(
        select(Vote.slot).where(Vote.idea_id == idea.id, Vote.participant_id == proxy.id)
        .order_by(Vote.slot)
    ))
    if count < len(slots):
        db.session.execute(delete(Vote).where(
            Vote.idea_id == idea.id, Vote.participant_id == proxy.id, Vote.slot >= count,
        ))
    for slot in range(len(slots), count):
        db.session.add(Vote(board_id=board.id, idea_id=idea.id, participant_id=proxy.id,
                            slot=slot))
    touch(board)
    _audit(user, "paper_votes", idea, count=count)


def paper_votes(idea: Idea) -> int:
    """How many paper votes the idea carries."""
    query = select(func.count(Vote.id)).join(
        BoardParticipant, BoardParticipant.id == Vote.participant_id
    ).where(Vote.idea_id == idea.id, BoardParticipant.proxy.is_(True))
    return db.session.scalar(query) or 0


def set_comment_hidden(comment: IdeaComment, user: User, hidden: bool) -> None:
    """Hide or show a comment."""
    _open(comment.idea.board)
    comment.hidden = hidden
    touch(comment.idea.board)


# --- columns and themes ------------------------------------------------------------------


def add_column(board: Board, title: str) -> BoardColumn:
    """Add a column at the end."""
    _open(board)
    column = BoardColumn(title=_name(title), position=len(board.columns))
    board.columns.append(column)
    touch(board)
    return column


def rename_column(column: BoardColumn, title: str) -> None:
    """Rename a column."""
    _open(column.board)
    column.title = _name(title)
    touch(column.board)


def move_column(column: BoardColumn, offset: int) -> None:
    """Move a column one place earlier (-1) or later (+1)."""
    board = column.board
    _open(board)
    columns = list(board.columns)
    index = columns.index(column)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(columns):
        return
    columns[index], columns[other] = columns[other], columns[index]
    for position, item in enumerate(columns):
        item.position = position
    board.columns.sort(key=lambda item: item.position)  # the loaded list follows the new order
    touch(board)


def delete_column(column: BoardColumn) -> None:
    """Remove an empty column."""
    board = column.board
    _open(board)
    if len(board.columns) <= 1:
        raise LastColumn()
    if db.session.scalar(select(func.count(Idea.id)).where(Idea.column_id == column.id)):
        raise ColumnNotEmpty(column.id)
    board.columns.remove(column)
    for position, item in enumerate(board.columns):
        item.position = position
    touch(board)


def add_theme(board: Board, name: str) -> Theme:
    """Add a named theme to group ideas under."""
    _open(board)
    theme = Theme(name=_name(name), position=len(board.themes))
    board.themes.append(theme)
    touch(board)
    return theme


def rename_theme(theme: Theme, name: str) -> None:
    """Rename a theme."""
    _open(theme.board)
    theme.name = _name(name)
    touch(theme.board)


def delete_theme(theme: Theme) -> None:
    """Remove a theme; its ideas stay, without a theme."""
    board = theme.board
    _open(board)
    db.session.execute(
        update(Idea).where(Idea.theme_id == theme.id).values(theme_id=None)
        .execution_options(synchronize_session=False)
    )
    board.themes.remove(theme)
    touch(board)
