"""The project as its funder knows it: name, code and period, the lead partner, each partner's
budget and funding split, the budget lines, the targets of its indicators, and the costs."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.accounts.models import Organisation
from koosloome.db import Base, TimestampMixin, enum_column
from koosloome.events.models import Event, EventKind
from koosloome.files.models import StoredFile


class Indicator(enum.StrEnum):
    """What the project counts itself by; actuals come from the data, targets are set."""

    EVENTS_HELD = "events_held"
    PARTICIPANTS = "participants"
    TARGET_GROUP_PARTICIPANTS = "target_group_participants"
    ORGANISATIONS = "organisations"
    ACTIONS_STARTED = "actions_started"
    SERVICES_LAUNCHED = "services_launched"


class Project(TimestampMixin, Base):
    """The cooperation project; the reports and the dashboard default to it."""

    __tablename__ = "project"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_et: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    #: The funder's number for it, when it has one.
    code: Mapped[str] = mapped_column(String(60), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    lead_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"))
    #: A word for the readers of the project page, e.g. where its targets come from.
    note_et: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")

    lead_partner: Mapped[Organisation | None] = relationship()
    partners: Mapped[list[ProjectPartner]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectPartner.id")
    targets: Mapped[list[IndicatorTarget]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorTarget.id")


class ProjectPartner(Base):
    """A partner's part: its budget, and how much of it is LEADER support (the rest is its
    own contribution)."""

    __tablename__ = "project_partner"
    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        CheckConstraint("leader_support IS NULL OR (leader_support >= 0 "
                        "AND leader_support <= budget)", name="support_within_budget"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    budget: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    #: None while the split is not known (the report then shows no shares).
    leader_support: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    project: Mapped[Project] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="partner", cascade="all, delete-orphan",
        order_by="(BudgetLine.position, BudgetLine.id)")

    @property
    def own_contribution(self) -> Decimal | None:
        """What the partner pays itself."""
        return None if self.leader_support is None else self.budget - self.leader_support


class BudgetLine(Base):
    """A line of a partner's budget (e.g. "inspiration seminars 5 000 €"). A line may name
    the kind of event its costs usually come from, so that a cost of such an event lands on
    it unless the organiser picks another."""

    __tablename__ = "budget_line"
    __table_args__ = (CheckConstraint("planned >= 0", name="planned_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("project_partner.id", ondelete="CASCADE"), index=True)
    name_et: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    planned: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    event_kind: Mapped[EventKind | None] = mapped_column(enum_column(EventKind))
    position: Mapped[int] = mapped_column(default=0)

    partner: Mapped[ProjectPartner] = relationship(back_populates="lines")


class IndicatorTarget(Base):
    """The number the project set out to reach on one indicator."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("project_id", "indicator"),
                      CheckConstraint("target >= 0", name="target_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    indicator: Mapped[Indicator] = mapped_column(enum_column(Indicator))
    target: Mapped[int]


class CostCategory(enum.StrEnum):
    """What the money went on: the funder's usual cost kinds, and a trip's."""

    VENUE = "venue"
    CATERING = "catering"
    INTERPRETING = "interpreting"
    TRANSPORT = "transport"
    SPEAKERS = "speakers"
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    HOSTS = "hosts"
    INSURANCE = "insurance"
    MATERIALS = "materials"
    OTHER = "other"


class Cost(TimestampMixin, Base):
    """One cost as on its invoice or receipt. The sum of an event's costs is its actual cost.

    A cost stays when its event is deleted (the money was spent); one that an arrangement
    (an interpreter, a bus) brought in goes with that arrangement, which keeps it in step."""

    __tablename__ = "cost"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    budget_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_line.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"),
                                                 index=True)
    arrangement_id: Mapped[int | None] = mapped_column(
        ForeignKey("arrangement.id", ondelete="CASCADE"), unique=True)
    spent_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    category: Mapped[CostCategory] = mapped_column(enum_column(CostCategory))
    supplier: Mapped[str] = mapped_column(String(200), default="")
    #: What it was for, e.g. the invoice number.
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: The invoice or receipt, for the payment claim.
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), unique=True)

    organisation: Mapped[Organisation] = relationship()
    # The document goes with its cost (its bytes after the commit).
    document: Mapped[StoredFile | None] = relationship(cascade="all, delete-orphan",
                                                       single_parent=True)
    budget_line: Mapped[BudgetLine | None] = relationship()
    event: Mapped[Event | None] = relationship()
