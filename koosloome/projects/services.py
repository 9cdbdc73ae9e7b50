"""The project record and its budget: finding it, changing it (admins), and the rules that
keep its figures consistent. Functions flush, never commit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.accounts.models import Organisation, User
from koosloome.errors import InvalidFields
from koosloome.events.models import EventKind
from koosloome.extensions import db
from koosloome.projects.models import (
    BudgetLine,
    Indicator,
    IndicatorTarget,
    Project,
    ProjectPartner,
)

CENT = Decimal("0.01")


def cents(value: Decimal | None) -> Decimal | None:
    """An amount as stored: to the cent (what the form or API gave may have no decimals)."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


PROJECT_FIELDS = ("name_et", "name_en", "code", "starts_on", "ends_on", "lead_partner_id",
                  "note_et", "note_en")
LINE_FIELDS = ("name_et", "name_en", "planned", "event_kind", "position")


def the_project() -> Project | None:
    """The project this installation serves (the first one recorded), with its partners,
    their lines and its targets."""
    return db.session.scalars(
        select(Project).order_by(Project.id).limit(1).options(
            selectinload(Project.partners).selectinload(ProjectPartner.lines),
            selectinload(Project.partners).selectinload(ProjectPartner.organisation),
            selectinload(Project.targets))).first()


def partner_of(project: Project, organisation_id: int) -> ProjectPartner | None:
    """The organisation's part in the project, if it is a partner."""
    return next((p for p in project.partners if p.organisation_id == organisation_id), None)


def save_project(values: dict[str, Any], user: User, project: Project | None = None) -> Project:
    """Create or change the project record; every partner organisation takes part."""
    errors: dict[str, list[str]] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if project is not None:
        starts_on = starts_on or project.starts_on
        ends_on = ends_on or project.ends_on
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The project cannot end before it starts")]
    lead = values.get("lead_partner_id")
    if lead is not None and db.session.get(Organisation, lead) is None:
        errors["lead_partner_id"] = [_("Not one of the choices")]
    if errors:
        raise InvalidFields(errors)
    creating = project is None
    if project is None:
        project = Project()
        db.session.add(project)
    for name in PROJECT_FIELDS:
        if name in values:
            value = values[name]
            setattr(project, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    if creating:
        for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id)):
            project.partners.append(ProjectPartner(organisation_id=organisation.id))
        db.session.flush()
    audit.record("project.create" if creating else "project.update", user_id=user.id,
                 object_type="project", object_id=project.id,
                 fields=sorted(name for name in PROJECT_FIELDS if name in values))
    return project


def save_partner_budget(partner: ProjectPartner, budget: Decimal,
                        leader_support: Decimal | None, user: User) -> None:
    """A partner's budget and its LEADER support (the rest is its own contribution)."""
    if leader_support is not None and leader_support > budget:
        raise InvalidFields({"leader_support": [
            _("The LEADER support cannot be more than the budget")]})
    before = (partner.budget, partner.leader_support)
    partner.budget, partner.leader_support = cents(budget), cents(leader_support)
    db.session.flush()
    audit.record("project.partner_budget", user_id=user.id, object_type="project",
                 object_id=partner.project_id, organisation=partner.organisation_id,
                 before=[str(v) for v in before], after=[str(budget), str(leader_support)])


def save_line(partner: ProjectPartner, values: dict[str, Any], user: User,
              line: BudgetLine | None = None) -> BudgetLine:
    """Add or change a budget line of a partner."""
    if not (values.get("name_et") or (line and line.name_et) or "").strip():
        raise InvalidFields({"name_et": [_("This field is required")]})
    if values.get("planned") is not None:
        values = {**values, "planned": cents(values["planned"])}
    kind = values.get("event_kind")
    if kind:
        values = {**values, "event_kind": EventKind(kind)}
    elif "event_kind" in values:
        values = {**values, "event_kind": None}
    creating = line is None
    if line is None:
        line = BudgetLine(partner=partner, position=len(partner.lines))
        db.session.add(line)
    for name in LINE_FIELDS:
        if name in values and (values[name] is not None or name == "event_kind"):
            value = values[name]
            setattr(line, name, value.strip() if name.startswith("name_") else value)
    db.session.flush()
    audit.record("project.line.add" if creating else "project.line.update", user_id=user.id,
                 object_type="budget_line", object_id=line.id,
                 organisation=partner.organisation_id, planned=str(line.planned))
    return line


def find_line(project: Project, line_id: int) -> BudgetLine | None:
    """One of the project's budget lines."""
    line = db.session.get(BudgetLine, line_id)
    return line if line is not None and line.partner.project_id == project.id else None


def set_targets(project: Project, targets: dict[Indicator, int | None], user: User) -> None:
    """The indicators' targets; None removes one."""
    current = {target.indicator: target for target in project.targets}
    for indicator, number in targets.items():
        if number is None:
            if indicator in current:
                project.targets.remove(current[indicator])
        elif indicator in current:
            current[indicator].target = number
        else:
            project.targets.append(IndicatorTarget(indicator=indicator, target=number))
    db.session.flush()
    audit.record("project.targets", user_id=user.id, object_type="project",
                 object_id=project.id,
                 targets={i.value: n for i, n in targets.items()})


def default_line(project: Project | None, organisation_id: int,
                 kind: EventKind | None) -> BudgetLine | None:
    """Where a cost lands unless the organiser picks a line: the partner's line for the
    event's kind, else its only line, else none."""
    if project is None:
        return None
    partner = partner_of(project, organisation_id)
    if partner is None:
        return None
    if kind is not None:
        for line in partner.lines:
            if line.event_kind is kind:
                return line
    return partner.lines[0] if len(partner.lines) == 1 else None
