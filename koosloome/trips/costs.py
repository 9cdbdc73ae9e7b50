"""A trip's costs page: the project's cost ledger seen from one event. Their sum is the
event's ``actual_cost``, which the evidence pack reads; the LEADER report reads the ledger."""

from __future__ import annotations

from typing import Any

from koosloome.accounts.models import User
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.projects import costs as ledger
from koosloome.projects.costs import CostSummary
from koosloome.projects.models import Cost
from koosloome.projects.services import the_project


def trip_costs(event: Event, user: User) -> CostSummary:
    """The event's costs the user may see (their partner's; all for admins), in the order
    entered; the event's actual cost sums them all."""
    every = ledger.event_costs(event).costs
    return ledger.summarise([cost for cost in every
                             if ledger.may_enter_for(user, cost.organisation_id)])


def add_cost(event: Event, values: dict[str, Any], user: User) -> Cost:
    """Record a cost of the event, on the user's partner and its line for such events."""
    return ledger.add_cost({**values, "event_id": event.id}, user, the_project())


def remove_cost(cost: Cost, user: User) -> None:
    """Take back a cost entered by mistake; the event's actual cost follows."""
    ledger.remove_cost(cost, user)


def find_cost(event: Event, cost_id: int, user: User) -> Cost | None:
    """One of the event's costs that the user may change (their partner's, or any for
    admins)."""
    cost = db.session.get(Cost, cost_id)
    if cost is None or cost.event_id != event.id or not ledger.may_enter_for(
            user, cost.organisation_id):
        return None
    return cost
