"""Pick-ups from home: what a driver needs (time, place, the way back, a vehicle for a
wheelchair), who drives, and each driver's route in pick-up order.

The place is the one the person gave when registering; everything here is health data by
association (it says who cannot travel alone) and is shown only to those who manage the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.arrangements.models import Pickup, Volunteer
from koosloome.arrangements.services import PLANNED_FOR, staff_choices, volunteer_choices
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.form_dates import local_moment
from koosloome.registrations.models import Registration

STAFF_PREFIX, VOLUNTEER_PREFIX = "staff-", "volunteer-"


@dataclass
class Rider:
    """One person to be picked up, with what is planned for them."""

    registration: Registration
    pickup: Pickup | None

    @property
    def pickup_at(self) -> datetime | None:
        return self.pickup.pickup_at if self.pickup else None

    @property
    def driver_key(self) -> str:
        if self.pickup and self.pickup.driver_user_id:
            return f"{STAFF_PREFIX}{self.pickup.driver_user_id}"
        if self.pickup and self.pickup.driver_volunteer_id:
            return f"{VOLUNTEER_PREFIX}{self.pickup.driver_volunteer_id}"
        return ""

    @property
    def driver(self) -> User | Volunteer | None:
        if self.pickup is None:
            return None
        return self.pickup.driver_user or self.pickup.driver_volunteer

    @property
    def driver_name(self) -> str:
        return self.driver.name if self.driver else ""


@dataclass
class Route:
    """A driver's riders in pick-up order (no driver yet: ``name`` is empty)."""

    name: str
    phone: str
    riders: list[Rider] = field(default_factory=list)


def _order(rider: Rider) -> tuple[Any, ...]:
    at = rider.pickup_at
    return (at is None, at or datetime.min, rider.registration.name.casefold())


def riders(event: Event) -> list[Rider]:
    """Everyone holding or awaiting a seat who asked to be picked up, in pick-up order."""
    registrations = list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status.in_(PLANNED_FOR),
                                   Registration.transport_needed.is_(True))))
    ids = [registration.id for registration in registrations]
    pickups = {pickup.registration_id: pickup for pickup in db.session.scalars(
        select(Pickup).where(Pickup.registration_id.in_(ids))
        .options(joinedload(Pickup.driver_user), joinedload(Pickup.driver_volunteer)))}
    return sorted((Rider(registration, pickups.get(registration.id))
                   for registration in registrations), key=_order)


def rider(event: Event, registration_id: int) -> Rider | None:
    """One rider of ``event``, or None."""
    return next((found for found in riders(event)
                 if found.registration.id == registration_id), None)


def routes(event: Event) -> list[Route]:
    """Each driver's route, drivers by name; those without a driver last."""
    by_driver: dict[str, Route] = {}
    for one in riders(event):
        key = one.driver_key
        if key not in by_driver:
            # A staff account holds no phone number; a volunteer's record does.
            phone = one.driver.phone if isinstance(one.driver, Volunteer) else ""
            by_driver[key] = Route(one.driver_name, phone)
        by_driver[key].riders.append(one)
    named = sorted((route for key, route in by_driver.items() if key),
                   key=lambda route: route.name.casefold())
    return named + ([by_driver[""]] if "" in by_driver else [])


def driver_choices(event: Event) -> list[tuple[str, str]]:
    """Staff of the event's partners and their active volunteers, as (key, name)."""
    staff = [(f"{STAFF_PREFIX}{user_id}", name) for user_id, name in staff_choices(event)]
    volunteers = [(f"{VOLUNTEER_PREFIX}{volunteer_id}", _("%(name)s (volunteer)", name=name))
                  for volunteer_id, name in volunteer_choices(event)]
    return staff + volunteers


def _moment(day: datetime, at: time | None) -> datetime | None:
    """``at`` on the local day of ``day`` (the event's zone)."""
    if at is None:
        return None
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    local_day = day.astimezone(zone).date()
    return local_moment(datetime.combine(local_day, at), zone)


def local_time(moment: datetime | None) -> time | None:
    """The local time of day of ``moment`` (for the form)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).time()


def save(event: Event, registration: Registration, values: dict[str, Any], user: User) -> Pickup:
    """Plan one person's ride: times on the event's first and last day; the caller commits."""
    pickup = db.session.get(Pickup, registration.id) or Pickup(registration_id=registration.id)
    driver = values["driver"]
    pickup.driver_user_id = (int(driver.removeprefix(STAFF_PREFIX))
                             if driver.startswith(STAFF_PREFIX) else None)
    pickup.driver_volunteer_id = (int(driver.removeprefix(VOLUNTEER_PREFIX))
                                  if driver.startswith(VOLUNTEER_PREFIX) else None)
    pickup.pickup_at = _moment(event.starts_at, values["pickup_time"])
    pickup.return_trip = values["return_trip"]
    pickup.return_at = _moment(event.ends_at, values["return_time"]) if values[
        "return_trip"] else None
    pickup.accessible_vehicle = values["accessible_vehicle"]
    pickup.note = values["note"]
    db.session.add(pickup)
    db.session.flush()
    audit.record("pickup.update", user_id=user.id, object_type="registration",
                 object_id=registration.id, event_id=event.id)
    return pickup
