"""The rules of arrangements: what an event's registrations ask for, what the organisers did
about it, and who is told when something cannot be arranged (pick-ups: ``pickups``).

Needs are counted from the registrations each time (registering writes nothing here); an
arrangement row exists once someone has worked on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, distinct, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from koosloome import audit
from koosloome.accounts.models import Role, User
from koosloome.accounts.permissions import partner_ids
from koosloome.arrangements.kinds import KIND_LABELS, NEED_KIND, kinds_of_needs
from koosloome.arrangements.models import (
    ARRANGED,
    OPEN,
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    Volunteer,
)
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.notify import notify
from koosloome.projects.costs import arrangement_cost
from koosloome.projects.models import CostCategory
from koosloome.projects.services import the_project
from koosloome.registrations.models import Registration, RegistrationNeed, RegistrationStatus

#: Registrations whose needs are planned for: those holding or awaiting a seat.
PLANNED_FOR = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
               RegistrationStatus.OFFERED)
#: Whose needs are counted: those planned for, and those on the waiting list (shown apart).
ASKING = (*PLANNED_FOR, RegistrationStatus.WAITLISTED)
Kind = ArrangementKind
DIET_CODES = frozenset(code for code, kind in NEED_KIND.items() if kind is Kind.CATERING)
#: The ledger's category for what an arrangement costs (others: "other").
COST_CATEGORIES = {
    ArrangementKind.SIGN_LANGUAGE: CostCategory.INTERPRETING,
    ArrangementKind.CAPTIONS: CostCategory.INTERPRETING,
    ArrangementKind.AUDIO_DESCRIPTION: CostCategory.INTERPRETING,
    ArrangementKind.LARGE_PRINT: CostCategory.MATERIALS,
    ArrangementKind.EASY_READ: CostCategory.MATERIALS,
    ArrangementKind.BRAILLE: CostCategory.MATERIALS,
}
FIELDS = ("status", "responsible_id", "volunteer_id", "supplier", "cost", "note", "reason")


class InvalidArrangement(InvalidFields):
    """The values break a rule; ``errors`` maps field names to translated messages."""


@dataclass
class ArrangementLine:
    """One kind of arrangement at an event: how many asked, and what was done."""

    kind: ArrangementKind
    people: int
    waiting: int
    arrangement: Arrangement | None

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def status(self) -> ArrangementStatus:
        return self.arrangement.status if self.arrangement else ArrangementStatus.TO_ARRANGE


@dataclass(frozen=True)
class Progress:
    """"4 of 6 arranged": settled, all, and those that cannot be arranged."""

    arranged: int
    total: int
    impossible: int

    @property
    def open(self) -> int:
        return self.total - self.arranged - self.impossible


def _asking(event_ids: Iterable[int]) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id.in_(list(event_ids)),
               Registration.status.in_(ASKING))
        .options(selectinload(Registration.needs))
    ))


def _kinds(registration: Registration) -> set[ArrangementKind]:
    return kinds_of_needs(registration.need_codes, registration.allergies,
                          registration.transport_needed)


def _asked_counts(ids: list[int]) -> Counter[tuple[int, bool, ArrangementKind]]:
    """(event, on the waiting list, kind) → people who asked; each person once per kind,
    whatever number of their needs it meets. Three queries, whatever the numbers."""
    waiting = Registration.status == RegistrationStatus.WAITLISTED
    asking = (Registration.event_id.in_(ids),
              Registration.status.in_(ASKING))
    kind_of_code = case(*((RegistrationNeed.code == code, kind.value)
                          for code, kind in NEED_KIND.items() if kind is not Kind.CATERING))
    counts: Counter[tuple[int, bool, ArrangementKind]] = Counter()
    rows = db.session.execute(
        select(Registration.event_id, waiting, kind_of_code,
               func.count(distinct(Registration.id)))
        .join(RegistrationNeed, RegistrationNeed.registration_id == Registration.id)
        .where(*asking, kind_of_code.is_not(None))
        .group_by(Registration.event_id, waiting, kind_of_code))
    for event_id, on_list, kind, people in rows:
        counts[(event_id, bool(on_list), ArrangementKind(kind))] += people
    diet = exists().where(RegistrationNeed.registration_id == Registration.id,
                          RegistrationNeed.code.in_(DIET_CODES))
    rows = db.session.execute(
        select(Registration.event_id, waiting,
               func.count(case((diet | (func.trim(Registration.allergies) != ""), 1))),
               func.count(case((Registration.transport_needed.is_(True), 1))))
        .where(*asking).group_by(Registration.event_id, waiting))
    for event_id, on_list, catering, transport in rows:
        counts[(event_id, bool(on_list), Kind.CATERING)] += catering
        counts[(event_id, bool(on_list), Kind.TRANSPORT)] += transport
    return +counts


def lines_for(events: list[Event]) -> dict[int, list[ArrangementLine]]:
    """Each event's arrangements: every kind someone asked for or someone worked on, in the
    order of ``ArrangementKind``. A fixed number of queries, whatever the numbers."""
    ids = [event.id for event in events]
    if not ids:
        return {}
    asked = _asked_counts(ids)
    rows = db.session.scalars(
        select(Arrangement).where(Arrangement.event_id.in_(ids))
        .options(joinedload(Arrangement.responsible), joinedload(Arrangement.volunteer)))
    kept = {(row.event_id, row.kind): row for row in rows}
    result: dict[int, list[ArrangementLine]] = {}
    for event_id in ids:
        kinds = {kind for (held_by, _waiting, kind) in asked if held_by == event_id}
        kinds |= {kind for (held_by, kind) in kept if held_by == event_id}
        result[event_id] = [
            ArrangementLine(kind, asked[(event_id, False, kind)], asked[(event_id, True, kind)],
                            kept.get((event_id, kind)))
            for kind in ArrangementKind if kind in kinds
        ]
    return result


def lines(event: Event) -> list[ArrangementLine]:
    """The event's arrangements (see ``lines_for``)."""
    return lines_for([event])[event.id]


def progress(event_lines: list[ArrangementLine]) -> Progress:
    """What is settled among the lines someone still needs (or that were worked on)."""
    needed = [line for line in event_lines
              if line.people or line.waiting or line.status is not ArrangementStatus.TO_ARRANGE]
    return Progress(
        arranged=sum(1 for line in needed if line.status in ARRANGED),
        total=len(needed),
        impossible=sum(1 for line in needed if line.status is ArrangementStatus.IMPOSSIBLE),
    )


def open_lines(event_lines: list[ArrangementLine]) -> list[ArrangementLine]:
    """Lines asked for whose arrangement is not settled yet."""
    return [line for line in event_lines if (line.people or line.waiting)
            and line.status in OPEN]


def arrangement_for(event: Event, kind: ArrangementKind) -> Arrangement:
    """The event's arrangement of ``kind``; a new one (not added) when nobody has worked on it."""
    found = db.session.scalars(select(Arrangement).where(
        Arrangement.event_id == event.id, Arrangement.kind == kind)).first()
    return found or Arrangement(event=event, event_id=event.id, kind=kind,
                                status=ArrangementStatus.TO_ARRANGE, supplier="", note="",
                                reason="")


def staff_choices(event: Event) -> list[tuple[int, str]]:
    """Who can answer for an arrangement: active organisers and admins of the event's
    partners."""
    partners = partner_ids(event)
    users = db.session.scalars(
        select(User).where(User.organisation_id.in_(partners), User.active.is_(True),
                           User.role.in_((Role.ADMIN, Role.ORGANISER)))
        .order_by(User.name))
    return [(user.id, user.name) for user in users]


def volunteer_choices(event: Event) -> list[tuple[int, str]]:
    """The active volunteers of the event's partners."""
    partners = partner_ids(event)
    volunteers = db.session.scalars(
        select(Volunteer).where(Volunteer.organisation_id.in_(partners),
                                Volunteer.active.is_(True)).order_by(Volunteer.name))
    return [(volunteer.id, volunteer.name) for volunteer in volunteers]


def check_rules(event: Event, values: dict[str, Any]) -> dict[str, list[str]]:
    """Rules across the fields, on the arrangement as it would be after the change."""
    errors: dict[str, list[str]] = {}
    if values.get("status") is ArrangementStatus.IMPOSSIBLE and not values.get("reason"):
        errors["reason"] = [_("Say why it cannot be arranged: the people who asked are told")]
    if values.get("responsible_id") not in (None, *dict(staff_choices(event))):
        errors["responsible_id"] = [_("Choose one of the organisers")]
    if values.get("volunteer_id") not in (None, *dict(volunteer_choices(event))):
        errors["volunteer_id"] = [_("Choose one of the volunteers")]
    cost = values.get("cost")
    if cost is not None and cost < 0:
        errors["cost"] = [_("The cost cannot be negative")]
    return errors


def update(event: Event, kind: ArrangementKind, values: dict[str, Any], user: User) -> (
    Arrangement
):
    """Change what was done about ``kind`` at ``event``; the caller commits.

    The cost is added to the event's actual cost (a change adds the difference). When the
    status becomes "cannot be arranged", everyone who asked is told, with the reason.
    """
    arrangement = arrangement_for(event, kind)
    before = {name: getattr(arrangement, name) for name in FIELDS}
    after = {**before, **{name: values[name] for name in FIELDS if name in values}}
    errors = check_rules(event, after)
    if errors:
        raise InvalidArrangement(errors)
    for name, value in after.items():
        setattr(arrangement, name, value)
    db.session.add(arrangement)
    db.session.flush()
    if before["cost"] != after["cost"]:
        arrangement_cost(event, arrangement.id, COST_CATEGORIES.get(kind, CostCategory.OTHER),
                         after["cost"], the_project())
    changed = sorted(name for name in FIELDS if before[name] != after[name])
    told = 0
    if (after["status"] is ArrangementStatus.IMPOSSIBLE
            and before["status"] is not ArrangementStatus.IMPOSSIBLE):
        told = tell_it_cannot_be_arranged(event, arrangement)
    audit.record("arrangement.update", user_id=user.id, object_type="arrangement",
                 object_id=arrangement.id, event_id=event.id, kind=kind.value,
                 fields=changed, status_to=arrangement.status.value, notified=told)
    return arrangement


def people_who_asked(event: Event, kind: ArrangementKind) -> list[Registration]:
    """Registrations holding, awaiting or waiting for a seat that asked for ``kind``."""
    return [registration for registration in _asking([event.id])
            if kind in _kinds(registration)]


def tell_it_cannot_be_arranged(event: Event, arrangement: Arrangement) -> int:
    """Tell each person who asked, in their language; returns how many were messaged."""
    told = 0
    for registration in people_who_asked(event, arrangement.kind):
        message = notify(registration, MessageKind.ARRANGEMENT_IMPOSSIBLE,
                         arrangement=arrangement.kind.value, reason=arrangement.reason)
        told += message is not None
    return told
