"""An action: something a workshop's ideas became, followed until it is done or dropped."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.boards.models import Idea
from koosloome.db import Base, TimestampMixin, enum_column, utcnow


class ActionStatus(enum.StrEnum):
    """Where an action stands: planned → started → running → done, or dropped (with why)."""

    PLANNED = "planned"
    STARTED = "started"
    RUNNING = "running"
    DONE = "done"
    DROPPED = "dropped"


class FundingSource(enum.StrEnum):
    """Where the money comes from: the seed's lesson is that services mix funds."""

    LEADER = "leader"
    ESF = "esf"
    MUNICIPALITY = "municipality"
    OWN = "own"
    OTHER = "other"


class TargetGroup(enum.StrEnum):
    """Whom the action is for."""

    OLDER = "older"
    DISABLED = "disabled"
    BOTH = "both"
    COMMUNITY = "community"


action_idea = Table(
    "action_idea",
    Base.metadata,
    Column("action_id", ForeignKey("outcome_action.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True),
)


class Action(TimestampMixin, Base):
    """One action of a board: what, who owns it, for whom, its funding and its next step."""

    __tablename__ = "outcome_action"
    __table_args__ = (
        CheckConstraint("status != 'dropped' OR dropped_reason != ''",
                        name="dropped_says_why"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"),
                                          index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Who answers for it: an organisation or a person, as the workshop named them.
    owner: Mapped[str] = mapped_column(String(200), default="")
    #: Or a staff member of the partners.
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"))
    target_group: Mapped[TargetGroup] = mapped_column(enum_column(TargetGroup),
                                                      default=TargetGroup.BOTH)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus),
                                                 default=ActionStatus.PLANNED)
    dropped_reason: Mapped[str] = mapped_column(String(500), default="")
    next_step: Mapped[str] = mapped_column(String(500), default="")
    next_step_on: Mapped[date | None]
    funding: Mapped[FundingSource | None] = mapped_column(enum_column(FundingSource))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    ideas: Mapped[list[Idea]] = relationship(secondary=action_idea, order_by="Idea.id")
