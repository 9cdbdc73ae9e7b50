"""Reading a board for its pages and the API: a fixed number of SQL queries per board,
however many ideas and votes it holds, assembled into plain data the templates cannot
lazy-load from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from koosloome.accounts.models import User
from koosloome.accounts.permissions import can_facilitate_board
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
from koosloome.extensions import db


@dataclass
class IdeaCard:
    """One idea as a reader sees it."""

    id: int
    column_id: int
    theme_id: int | None
    text: str
    #: The author's display name; empty when anonymous.
    author: str
    is_paper: bool
    mine: bool
    pinned: bool
    hidden: bool
    hidden_reason: str
    #: Total votes, or None when the board shows results only once closed.
    votes: int | None
    my_votes: int
    comments: int
    created_at: datetime
    merged_texts: list[str] = field(default_factory=list)
    theme_name: str = ""
    column_title: str = ""


@dataclass
class Group:
    """A column or a theme with its ideas."""

    id: int
    title: str
    ideas: list[IdeaCard]


@dataclass
class BoardView:
    """Everything a board page shows."""

    board: Board
    columns: list[Group]
    themes: list[Group]
    participant_count: int
    idea_count: int
    show_counts: bool
    votes_left: int | None = None
    votes_used: int = 0
    #: While collecting with "hide others' ideas": how many ideas of others are not shown.
    hidden_from_me: int = 0
    ideas: dict[int, IdeaCard] = field(default_factory=dict)

    def top(self, group: Group, limit: int = 3) -> list[IdeaCard]:
        """The first ``limit`` ideas of a group by votes."""
        return sorted(group.ideas, key=_rank_key)[:limit]


def _rank_key(card: IdeaCard) -> tuple[int, int, int]:
    return (-(card.votes or 0), 0 if card.pinned else 1, card.id)


def _board_key(card: IdeaCard) -> tuple[int, int]:
    return (0 if card.pinned else 1, card.id)


def _counts(query: Select[tuple[int, int]]) -> dict[int, int]:
    """``{id: count}`` from a select of (id, count) rows."""
    return {key: count for key, count in db.session.execute(query)}


def load_board(
    board: Board,
    participant: BoardParticipant | None = None,
    facilitator: bool = False,
    ranked: bool | None = None,
    show_counts: bool | None = None,
) -> BoardView:
    """The board's columns, themes and visible ideas with their counts (7 queries at most).

    Facilitators see hidden ideas and every count; participants see what the board's settings
    allow. ``ranked`` orders ideas by votes (default: when the board is closed);
    ``show_counts`` overrides whether vote totals are included.
    """
    closed = board.phase is BoardPhase.CLOSED
    if ranked is None:
        ranked = closed
    if show_counts is None:
        show_counts = facilitator or closed or not board.results_only_when_closed
    hide_others = (
        not facilitator and board.phase is BoardPhase.COLLECTING
        and board.hide_others_while_collecting
    )
    me = participant.id if participant else None

    columns = db.session.scalars(
        select(BoardColumn).where(BoardColumn.board_id == board.id).order_by(BoardColumn.position)
    ).all()
    themes = db.session.scalars(
        select(Theme).where(Theme.board_id == board.id).order_by(Theme.position, Theme.id)
    ).all()
    rows = db.session.execute(
        select(
            Idea.id, Idea.column_id, Idea.theme_id, Idea.text, Idea.anonymous, Idea.hidden,
            Idea.hidden_reason, Idea.pinned, Idea.merged_into_id, Idea.participant_id,
            Idea.created_at, BoardParticipant.display_name, BoardParticipant.proxy,
        )
        .outerjoin(BoardParticipant, BoardParticipant.id == Idea.participant_id)
        .where(Idea.board_id == board.id)
        .order_by(Idea.id)
    ).all()
    votes = _counts(
        select(Vote.idea_id, func.count(Vote.id)).where(Vote.board_id == board.id)
        .group_by(Vote.idea_id)
    )
    mine = _counts(
        select(Vote.idea_id, func.count(Vote.id)).where(Vote.participant_id == me)
        .group_by(Vote.idea_id)
    ) if me else {}
    comment_filter = [Idea.board_id == board.id]
    if not facilitator:
        comment_filter.append(IdeaComment.hidden.is_(False))
    comments = _counts(
        select(IdeaComment.idea_id, func.count(IdeaComment.id)).join(Idea)
        .where(*comment_filter).group_by(IdeaComment.idea_id)
    )
    participant_count = db.session.scalar(
        select(func.count(BoardParticipant.id)).where(
            BoardParticipant.board_id == board.id, BoardParticipant.proxy.is_(False)
        )
    ) or 0

    column_titles = {column.id: column.title for column in columns}
    theme_names = {theme.id: theme.name for theme in themes}
    cards: dict[int, IdeaCard] = {}
    merged: list[tuple[int, str]] = []
    hidden_from_me = 0
    for row in rows:
        if row.merged_into_id is not None:
            merged.append((row.merged_into_id, row.text))
            continue
        if row.hidden and not facilitator:
            continue
        own = me is not None and row.participant_id == me
        if hide_others and not own:
            hidden_from_me += 1
            continue
        cards[row.id] = IdeaCard(
            id=row.id,
            column_id=row.column_id,
            theme_id=row.theme_id,
            text=row.text,
            author="" if row.anonymous or row.proxy else (row.display_name or ""),
            is_paper=bool(row.proxy),
            mine=own,
            pinned=row.pinned,
            hidden=row.hidden,
            hidden_reason=row.hidden_reason if facilitator else "",
            votes=votes.get(row.id, 0) if show_counts else None,
            my_votes=mine.get(row.id, 0),
            comments=comments.get(row.id, 0),
            created_at=row.created_at,
            theme_name=theme_names.get(row.theme_id, "") if row.theme_id else "",
            column_title=column_titles.get(row.column_id, ""),
        )
    for target, text in merged:
        if target in cards:
            cards[target].merged_texts.append(text)

    key = _rank_key if ranked else _board_key
    ordered = sorted(cards.values(), key=key)
    used = sum(mine.values())
    return BoardView(
        board=board,
        columns=[Group(c.id, c.title, [i for i in ordered if i.column_id == c.id])
                 for c in columns],
        themes=[Group(t.id, t.name, [i for i in ordered if i.theme_id == t.id]) for t in themes],
        participant_count=participant_count,
        idea_count=sum(1 for card in cards.values() if not card.hidden),
        show_counts=show_counts,
        votes_left=max(board.votes_per_participant - used, 0) if participant else None,
        votes_used=used,
        hidden_from_me=hidden_from_me,
        ideas=cards,
    )


@dataclass
class CommentView:
    """A comment as shown under its idea."""

    id: int
    text: str
    author: str
    hidden: bool
    created_at: datetime


def load_comments(idea: Idea, facilitator: bool = False) -> list[CommentView]:
    """The idea's comments, oldest first (hidden ones for facilitators only)."""
    query = (
        select(IdeaComment.id, IdeaComment.text, IdeaComment.hidden, IdeaComment.created_at,
               BoardParticipant.display_name)
        .outerjoin(BoardParticipant, BoardParticipant.id == IdeaComment.participant_id)
        .where(IdeaComment.idea_id == idea.id)
        .order_by(IdeaComment.id)
    )
    if not facilitator:
        query = query.where(IdeaComment.hidden.is_(False))
    return [
        CommentView(row.id, row.text, row.display_name or "", row.hidden, row.created_at)
        for row in db.session.execute(query)
    ]


def boards_for_user(user: User) -> list[Board]:
    """The boards ``user`` may facilitate, newest first."""
    query = (
        select(Board).options(selectinload(Board.event))
        .order_by(Board.created_at.desc(), Board.id.desc())
    )
    return [board for board in db.session.scalars(query) if can_facilitate_board(user, board)]
