"""Idea boards: columns, participants, ideas, themes and votes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column, utcnow
from koosloome.extensions import db

if TYPE_CHECKING:
    from koosloome.accounts.models import Organisation
    from koosloome.events.models import Event


class BoardPhase(enum.StrEnum):
    """Collecting ideas → voting → closed (read-only results)."""

    COLLECTING = "collecting"
    VOTING = "voting"
    CLOSED = "closed"


class Board(TimestampMixin, Base):
    """A workshop's idea board, joined by a short code."""

    __tablename__ = "board"
    __table_args__ = (CheckConstraint("votes_per_participant >= 0", name="votes_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The guiding question, e.g. "Kuidas me saaksime…?"
    question: Mapped[str] = mapped_column(String(300))
    intro_et: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[BoardPhase] = mapped_column(
        enum_column(BoardPhase), default=BoardPhase.COLLECTING
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    allow_anonymous: Mapped[bool] = mapped_column(default=True)
    votes_per_participant: Mapped[int] = mapped_column(default=3)
    multiple_votes_per_idea: Mapped[bool] = mapped_column(default=False)
    hide_others_while_collecting: Mapped[bool] = mapped_column(default=False)
    results_only_when_closed: Mapped[bool] = mapped_column(default=False)
    #: Raised on every change; the ETag that lets polling clients get a cheap 304.
    revision: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None]

    event: Mapped[Event | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    columns: Mapped[list[BoardColumn]] = relationship(
        back_populates="board", order_by="BoardColumn.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="board", order_by="Theme.position", cascade="all, delete-orphan"
    )
    ideas: Mapped[list[Idea]] = relationship(back_populates="board", cascade="all, delete-orphan")
    participants: Mapped[list[BoardParticipant]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )


class BoardColumn(Base):
    """A column of the board (Vajadused, Ideed, Ressursid, Järgmised sammud by default)."""

    __tablename__ = "board_column"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(100))

    board: Mapped[Board] = relationship(back_populates="columns")


class Theme(Base):
    """A named group of ideas, made by the facilitator while clustering."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))

    board: Mapped[Board] = relationship(back_populates="themes")


class BoardParticipant(Base):
    """Someone who joined a board, identified by a signed cookie; no account needed."""

    __tablename__ = "board_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL")
    )
    #: True for the stand-in a facilitator uses to enter paper notes and votes.
    proxy: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: SHA-256 of the participant's secret (kept in their signed cookie or API client).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Where to tell them what comes of the ideas, with their consent (given at joining) and
    #: language; the nonce keys the link that stops it. All empty once they stop.
    updates_email: Mapped[str | None] = mapped_column(String(254))
    updates_language: Mapped[str] = mapped_column(String(5), default="et")
    updates_consent_at: Mapped[datetime | None]
    updates_nonce: Mapped[str | None] = mapped_column(String(32))

    board: Mapped[Board] = relationship(back_populates="participants")


class Idea(TimestampMixin, Base):
    """An idea posted into a column (at most 500 characters)."""

    __tablename__ = "idea"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(ForeignKey("board_column.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_participant.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    anonymous: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    pinned: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="SET NULL"))

    board: Mapped[Board] = relationship(back_populates="ideas")
    column: Mapped[BoardColumn] = relationship()
    theme: Mapped[Theme | None] = relationship()
    participant: Mapped[BoardParticipant | None] = relationship()
    votes: Mapped[list[Vote]] = relationship(back_populates="idea", cascade="all, delete-orphan")
    comments: Mapped[list[IdeaComment]] = relationship(
        back_populates="idea", order_by="IdeaComment.id", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[IdeaRevision]] = relationship(
        back_populates="idea", order_by="IdeaRevision.id", cascade="all, delete-orphan"
    )


class IdeaRevision(Base):
    """An earlier text of an edited idea: edits by participants and facilitators keep history."""

    __tablename__ = "idea_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    #: The text as it was before this edit.
    text: Mapped[str] = mapped_column(String(500))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    edited_by_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_participant.id", ondelete="SET NULL")
    )

    idea: Mapped[Idea] = relationship(back_populates="revisions")


class IdeaComment(Base):
    """A comment that builds on an idea."""

    __tablename__ = "idea_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_participant.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(String(500))
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="comments")
    participant: Mapped[BoardParticipant | None] = relationship()


class Vote(Base):
    """One dot of a participant's voting budget, placed on an idea."""

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint("idea_id", "participant_id", "slot"),
        CheckConstraint("slot >= 0", name="slot_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("board_participant.id", ondelete="CASCADE"), index=True
    )
    #: 0 for the first vote on an idea; boards that allow several votes per idea count up.
    slot: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="votes")


def boards_open_to_event(event_id: int) -> list[Board]:
    """Boards of the event that participants can still join (not closed): what a
    registrant's own page offers."""
    query = select(Board).where(Board.event_id == event_id, Board.phase != BoardPhase.CLOSED)
    return list(db.session.scalars(query.order_by(Board.id)))
