"""A trip's actual costs by category. Their sum is the event's ``actual_cost``, which the
LEADER report and the evidence pack already read: entering a cost keeps them in step."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.trips.models import CostCategory, TripCost


@dataclass(frozen=True)
class CostSummary:
    """The costs entered, the total per category (in the categories' order) and overall."""

    costs: list[TripCost]
    by_category: list[tuple[CostCategory, Decimal]]
    total: Decimal


def trip_costs(event: Event) -> CostSummary:
    """The event's costs, in the order entered."""
    costs = list(db.session.scalars(select(TripCost).where(TripCost.event_id == event.id)
                                    .order_by(TripCost.id)))
    sums = {category: sum((c.amount for c in costs if c.category is category), Decimal(0))
            for category in CostCategory}
    return CostSummary(costs, [(c, total) for c, total in sums.items() if total],
                       sum((c.amount for c in costs), Decimal(0)))


def _recount(event: Event) -> None:
    total = trip_costs(event).total
    event.actual_cost = total if total else None


def add_cost(event: Event, values: dict[str, Any], user: User) -> TripCost:
    """Record a cost; the event's actual cost follows."""
    cost = TripCost(event_id=event.id, category=CostCategory(values["category"]),
                    amount=values["amount"], supplier=(values.get("supplier") or "").strip(),
                    note=(values.get("note") or "").strip())
    db.session.add(cost)
    db.session.flush()
    _recount(event)
    audit.record("trip.cost.add", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, kind=cost.category.value, amount=str(cost.amount))
    return cost


def remove_cost(event: Event, cost: TripCost, user: User) -> None:
    """Take a cost back (entered by mistake); the event's actual cost follows."""
    db.session.delete(cost)
    db.session.flush()
    _recount(event)
    audit.record("trip.cost.remove", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, kind=cost.category.value, amount=str(cost.amount))


def find_cost(event: Event, cost_id: int) -> TripCost | None:
    """One of the event's costs."""
    cost = db.session.get(TripCost, cost_id)
    return cost if cost is not None and cost.event_id == event.id else None
