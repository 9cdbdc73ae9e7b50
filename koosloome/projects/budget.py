"""Plan against actual: each partner's budget lines with what was spent on them, and the
LEADER support and own contribution of the actual costs at the partner's planned rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from koosloome.extensions import db
from koosloome.i18n import current_language
from koosloome.projects.models import BudgetLine, Cost, Project, ProjectPartner

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Rounded to the cent, halves up (as the funder rounds)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineFigures:
    """One budget line (or, with no line, the costs booked on none)."""

    line: BudgetLine | None
    planned: Decimal
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        """Planned less actual (negative when overspent)."""
        return self.planned - self.actual

    @property
    def name(self) -> str:
        """The line's name in the reader's language."""
        if self.line is None:
            return ""
        return (self.line.name_en if current_language() == "en" and self.line.name_en
                else self.line.name_et)


@dataclass
class PartnerFigures:
    """A partner's budget against its costs."""

    partner: ProjectPartner
    lines: list[LineFigures] = field(default_factory=list)
    actual: Decimal = Decimal(0)

    @property
    def planned(self) -> Decimal:
        """The partner's budget."""
        return self.partner.budget

    @property
    def remaining(self) -> Decimal:
        """Budget less actual."""
        return self.planned - self.actual

    @property
    def leader_rate(self) -> Decimal | None:
        """The LEADER support's share of the budget (0–1), when the split is known."""
        if self.partner.leader_support is None or not self.partner.budget:
            return None
        return self.partner.leader_support / self.partner.budget

    @property
    def leader_actual(self) -> Decimal | None:
        """The LEADER support the actual costs call for, at the planned rate, at most the
        support granted."""
        rate = self.leader_rate
        if rate is None:
            return None
        assert self.partner.leader_support is not None
        return min(money(self.actual * rate), self.partner.leader_support)

    @property
    def own_actual(self) -> Decimal | None:
        """The rest of the actual costs: the partner's own contribution."""
        leader = self.leader_actual
        return None if leader is None else self.actual - leader


def spent_by_line(project: Project, start: date | None = None,
                  end: date | None = None) -> dict[tuple[int, int | None], Decimal]:
    """(organisation, line) → the sum of the costs spent in the period (the project's when
    none is given): one query."""
    start = start or project.starts_on
    end = end or project.ends_on
    rows = db.session.execute(
        select(Cost.organisation_id, Cost.budget_line_id, func.sum(Cost.amount))
        .where(Cost.spent_on >= start, Cost.spent_on <= end)
        .group_by(Cost.organisation_id, Cost.budget_line_id))
    return {(organisation, line): Decimal(total) for organisation, line, total in rows}


def budget_figures(project: Project, spent: dict[tuple[int, int | None], Decimal],
                   organisation_id: int | None = None) -> list[PartnerFigures]:
    """Each partner's lines, planned and actual (costs on a line of another partner count
    where they were booked: on the partner that paid)."""
    figures = []
    for partner in project.partners:
        if organisation_id is not None and partner.organisation_id != organisation_id:
            continue
        own = {line: total for (org, line), total in spent.items()
               if org == partner.organisation_id}
        result = PartnerFigures(partner)
        line_ids = set()
        for line in partner.lines:
            line_ids.add(line.id)
            result.lines.append(LineFigures(line, line.planned, own.get(line.id, Decimal(0))))
        elsewhere = sum((total for line, total in own.items() if line not in line_ids),
                        Decimal(0))
        if elsewhere:
            result.lines.append(LineFigures(None, Decimal(0), elsewhere))
        result.actual = sum(own.values(), Decimal(0))
        figures.append(result)
    return figures
