"""A village society's group registered by its chair for the Võru seminar, and the pickup
of its member who uses a wheelchair."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from koosloome.arrangements.models import Pickup, Volunteer
from koosloome.db import utcnow
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.groups.links import assign_group_token
from koosloome.groups.models import RegistrationGroup
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)

#: The Rõuge village society's chair brings four older members: (name, e-mail, needs, extra).
VILLAGE_GROUP = (
    ("Hilda Raudsepp", None, ["wheelchair"],
     {"companion": True, "companion_name": "Tiina Raudsepp",
      "companion_needs": "Taimetoit", "transport_needed": True,
      "transport_pickup": "Rõuge rahvamaja", "transport_wheelchair": True,
      "age_band": "85_plus"}),
    ("Arvo Kuusik", None, ["hearing_loop", "large_print"], {"age_band": "75_84"}),
    ("Linda Oja", "linda.oja@example.ee", ["lactose_free"], {"age_band": "65_74"}),
    ("Ülo Lepik", "ylo.lepik@example.ee", [], {"age_band": "65_74"}),
)


def ensure_group(events: dict[str, Event]) -> int:
    """A group of four from a village society, registered by its chair for the Võru seminar:
    two without e-mail, whose messages go to her."""
    if db.session.scalar(select(func.count(RegistrationGroup.id))):
        return 0
    voru = events["eakate-kaasamine-voru"]
    group = RegistrationGroup(
        event=voru, contact_name="Maie Mänd", contact_email="maie.mand@example.ee",
        contact_phone="+372 5000 0077", contact_organisation="Rõuge Külaselts",
        language="et", declared_at=utcnow(),
        declaration="Kinnitan, et iga inimene, keda siin registreerin, on nõus, et ta "
                    "registreeritakse ja tema andmed antakse korraldajatele, ning et olen "
                    "talle privaatsusteadet tutvustanud. Nad on ka nõus, et korraldajad "
                    "kasutavad seda, mida nende vajaduste, toitumise ja transpordi kohta "
                    "kirjutan, nende osalemise korraldamiseks.")
    assign_group_token(group)
    db.session.add(group)
    db.session.flush()
    for name, email, needs, extra in VILLAGE_GROUP:
        member = Registration(
            event=voru, group_id=group.id, status=RegistrationStatus.CONFIRMED,
            source=RegistrationSource.WEB, name=name, email=email, language="et",
            organisation_name="Rõuge Külaselts", sector="community", county="voru",
            municipality="Rõuge vald", consent_privacy_at=utcnow(),
            consent_health_at=utcnow() if needs or extra else None, confirmed_at=utcnow(),
            **extra)
        member.seats = 2 if member.companion else 1
        member.needs = [RegistrationNeed(code=code) for code in needs]
        assign_manage_token(member)
        db.session.add(member)
    db.session.flush()
    _plan_pickup(voru, group.members[0], minutes_before=75)
    return 1


def _plan_pickup(event: Event, rider: Registration, minutes_before: int) -> None:
    """The volunteer driver fetches ``rider`` too (before the first stop of the route)."""
    driver = db.session.scalars(select(Volunteer).where(Volunteer.name == "Jaan Jõgi")).first()
    if driver is None:
        return
    db.session.add(Pickup(registration_id=rider.id, driver_volunteer_id=driver.id,
                          pickup_at=event.starts_at - timedelta(minutes=minutes_before),
                          return_trip=True, return_at=event.ends_at + timedelta(minutes=15),
                          accessible_vehicle=True, note="Saatja sõidab kaasa."))
