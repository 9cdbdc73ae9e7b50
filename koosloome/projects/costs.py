"""The cost ledger: entering, changing and taking back costs, with the rules that keep each
event's actual cost equal to the sum of its costs. Functions flush, never commit.

Organisers enter and see the costs of their own partner; admins those of both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.accounts.models import Role, User
from koosloome.accounts.permissions import can_manage_event
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.files.services import store_upload
from koosloome.projects.models import BudgetLine, Cost, CostCategory, Project
from koosloome.projects.services import cents, default_line

COST_FIELDS = ("organisation_id", "budget_line_id", "event_id", "spent_on", "amount",
               "category", "supplier", "note")


@dataclass(frozen=True)
class CostSummary:
    """The costs entered, the total per category (in the categories' order) and overall."""

    costs: list[Cost]
    by_category: list[tuple[CostCategory, Decimal]]
    total: Decimal


@dataclass(frozen=True)
class CostFilter:
    """Which costs a list or a payment claim holds: a partner (None: those the user may
    see), a period of ``spent_on`` (both ends included), and a budget line."""

    organisation_id: int | None = None
    start: date | None = None
    end: date | None = None
    budget_line_id: int | None = None


def local_day(moment: datetime) -> date:
    """The day in Estonia of an instant (an event's start is the default date of its costs)."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def today() -> date:
    """Today in Estonia."""
    return local_day(datetime.now(ZoneInfo(current_app.config["TIMEZONE"])))


def summarise(costs: Sequence[Cost]) -> CostSummary:
    """Totals per category and overall."""
    sums = {category: sum((c.amount for c in costs if c.category is category), Decimal(0))
            for category in CostCategory}
    return CostSummary(list(costs), [(c, total) for c, total in sums.items() if total],
                       sum((c.amount for c in costs), Decimal(0)))


def event_costs(event: Event) -> CostSummary:
    """The event's costs, in the order entered."""
    return summarise(list(db.session.scalars(
        select(Cost).where(Cost.event_id == event.id).order_by(Cost.id))))


def may_enter_for(user: User, organisation_id: int) -> bool:
    """Admins for any partner; organisers for their own."""
    return user.role is Role.ADMIN or (
        user.role is Role.ORGANISER and user.organisation_id == organisation_id)


def visible_costs(user: User, cost_filter: CostFilter) -> list[Cost]:
    """The costs the user may see, by date, with their line, partner and event."""
    query = select(Cost).options(selectinload(Cost.budget_line), selectinload(Cost.event),
                                 selectinload(Cost.organisation),
                                 selectinload(Cost.document))
    if user.role is not Role.ADMIN:
        query = query.where(Cost.organisation_id == user.organisation_id)
    if cost_filter.organisation_id is not None:
        query = query.where(Cost.organisation_id == cost_filter.organisation_id)
    if cost_filter.start is not None:
        query = query.where(Cost.spent_on >= cost_filter.start)
    if cost_filter.end is not None:
        query = query.where(Cost.spent_on <= cost_filter.end)
    if cost_filter.budget_line_id is not None:
        query = query.where(Cost.budget_line_id == cost_filter.budget_line_id)
    return list(db.session.scalars(query.order_by(Cost.spent_on, Cost.id)))


def find_cost(user: User, cost_id: int) -> Cost | None:
    """A cost the user may see."""
    cost = db.session.get(Cost, cost_id)
    if cost is None or not may_enter_for(user, cost.organisation_id):
        return None
    return cost


def recount_event(event_id: int | None) -> None:
    """The event's actual cost: the sum of its costs (none entered: unknown)."""
    if event_id is None:
        return
    event = db.session.get(Event, event_id)
    if event is None:
        return
    # Lock the event, then count: two costs added at once must both be in the sum.
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    total = db.session.scalar(select(func.sum(Cost.amount)).where(Cost.event_id == event_id))
    event.actual_cost = Decimal(total) if total is not None else None


def _checked(values: dict[str, Any], user: User, project: Project | None,
             cost: Cost | None) -> dict[str, Any]:
    """The values made whole (partner and line by default) and checked against the rules."""
    errors: dict[str, list[str]] = {}
    merged = {name: getattr(cost, name) for name in COST_FIELDS} if cost else {}
    merged.update({name: values[name] for name in COST_FIELDS if name in values})
    event = db.session.get(Event, merged["event_id"]) if merged.get("event_id") else None
    if merged.get("event_id") and (event is None or not can_manage_event(user, event)):
        errors["event_id"] = [_("Not one of the choices")]
    if not merged.get("organisation_id"):
        merged["organisation_id"] = (event.organisation_id if event is not None
                                     and user.role is Role.ADMIN else user.organisation_id)
    organisation_id = merged["organisation_id"]
    if organisation_id is None or not may_enter_for(user, organisation_id):
        errors["organisation_id"] = [_("You may enter costs only for your own partner")]
    line_id = merged.get("budget_line_id")
    if line_id:
        line = db.session.get(BudgetLine, line_id)
        if line is None or line.partner.organisation_id != organisation_id:
            errors["budget_line_id"] = [_("Choose one of the partner's budget lines")]
    elif organisation_id is not None:  # none chosen: the usual line for the event
        line = default_line(project, organisation_id, event.kind if event else None)
        merged["budget_line_id"] = line.id if line is not None else None
    if merged.get("amount") is None:
        errors["amount"] = [_("Enter the amount")]
    elif merged["amount"] < 0:
        errors["amount"] = [_("The amount cannot be negative")]
    if not merged.get("spent_on"):
        merged["spent_on"] = (local_day(event.starts_at) if event is not None else today())
    if errors:
        raise InvalidFields(errors)
    merged["amount"] = cents(merged["amount"])
    merged["category"] = CostCategory(merged.get("category") or CostCategory.OTHER)
    for name in ("supplier", "note"):
        merged[name] = (merged.get(name) or "").strip()
    return merged


def add_cost(values: dict[str, Any], user: User, project: Project | None) -> Cost:
    """Record a cost; its event's actual cost follows."""
    cost = Cost(created_by_id=user.id, **_checked(values, user, project, None))
    db.session.add(cost)
    db.session.flush()
    recount_event(cost.event_id)
    _audit("cost.add", cost, user)
    return cost


def update_cost(cost: Cost, values: dict[str, Any], user: User,
                project: Project | None) -> Cost:
    """Change a cost; the actual cost of its event (and of its event before) follows."""
    merged = _checked(values, user, project, cost)
    if cost.arrangement_id is not None:
        _keep_arrangements_figures(cost, merged)
    before_event = cost.event_id
    for name, value in merged.items():
        setattr(cost, name, value)
    db.session.flush()
    recount_event(before_event)
    if cost.event_id != before_event:
        recount_event(cost.event_id)
    _audit("cost.update", cost, user)
    return cost


def _keep_arrangements_figures(cost: Cost, merged: dict[str, Any]) -> None:
    """An arrangement's cost changes with the arrangement, where the organiser sees who does
    it: here only its line, category, date and notes may change."""
    errors = {name: [_("This cost comes from an arrangement: change it there")]
              for name in ("amount", "event_id", "organisation_id")
              if merged[name] != getattr(cost, name)}
    if errors:
        raise InvalidFields(errors)


def remove_cost(cost: Cost, user: User) -> None:
    """Take back a cost entered by mistake; its event's actual cost follows. An
    arrangement's cost goes when its amount is cleared on the arrangement."""
    if cost.arrangement_id is not None:
        raise InvalidFields({"amount": [_("This cost comes from an arrangement: change it "
                                          "there")]})
    _audit("cost.remove", cost, user)
    event_id = cost.event_id
    db.session.delete(cost)
    db.session.flush()
    recount_event(event_id)


#: What an invoice or a receipt may be: a PDF or a photo of the paper.
DOCUMENT_TYPES = frozenset({"pdf", "image"})


def attach_document(cost: Cost, upload: Any, user: User) -> None:
    """Keep the cost's invoice or receipt (a former one goes, bytes and all); ``FileRefused``
    with the reason before anything is written."""
    cost.document = store_upload(upload, allowed=DOCUMENT_TYPES, uploaded_by=user)
    db.session.flush()
    _audit("cost.document", cost, user)


def has_upload(upload: Any) -> bool:
    """Whether a file was chosen in the form (an empty file input sends no name)."""
    return bool(getattr(upload, "filename", None))


def _audit(action: str, cost: Cost, user: User) -> None:
    audit.record(action, user_id=user.id, object_type="cost", object_id=cost.id,
                 event_id=cost.event_id, organisation=cost.organisation_id,
                 kind=cost.category.value, amount=str(cost.amount))


def costs_on_line(line: BudgetLine) -> int:
    """How many costs are booked on the line."""
    return db.session.scalar(select(func.count(Cost.id))
                             .where(Cost.budget_line_id == line.id)) or 0


def remove_line(line: BudgetLine, user: User) -> int:
    """Remove a budget line; its costs stay, on no line. Returns how many costs it had."""
    count = costs_on_line(line)
    audit.record("project.line.remove", user_id=user.id, object_type="budget_line",
                 object_id=line.id, organisation=line.partner.organisation_id,
                 planned=str(line.planned), costs=count)
    db.session.delete(line)
    db.session.flush()
    return count


def arrangement_cost(event: Event, arrangement_id: int, category: CostCategory,
                     amount: Decimal | None, project: Project | None) -> None:
    """Keep the ledger in step with what an arrangement (an interpreter, captions) costs:
    one cost per arrangement, on the organising partner, removed when the amount is."""
    cost = db.session.scalar(select(Cost).where(Cost.arrangement_id == arrangement_id))
    if amount is None:
        if cost is not None:
            db.session.delete(cost)
    elif cost is None:
        line = default_line(project, event.organisation_id, event.kind)
        db.session.add(Cost(
            organisation_id=event.organisation_id, event_id=event.id,
            arrangement_id=arrangement_id, spent_on=local_day(event.starts_at),
            amount=cents(amount),
            category=category, budget_line_id=line.id if line else None))
    else:
        cost.amount = cents(amount)
    db.session.flush()
    recount_event(event.id)


def partner_choices(user: User, project: Project | None) -> list[Any]:
    """The partners the user may enter costs for."""
    if project is None:
        return []
    return [partner for partner in project.partners
            if may_enter_for(user, partner.organisation_id)]

