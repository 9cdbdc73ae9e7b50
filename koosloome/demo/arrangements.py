"""The Võru seminar's access arrangements, its volunteer driver and the pickup he drives."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from koosloome.accounts.models import Organisation, User
from koosloome.arrangements.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    Pickup,
    Volunteer,
)
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.projects.costs import arrangement_cost
from koosloome.projects.models import CostCategory
from koosloome.projects.services import the_project
from koosloome.registrations.models import Registration


def ensure_arrangements(events: dict[str, Event], orgs: dict[str, Organisation]) -> int:
    """The Võru seminar's arrangements as an organiser would have them two weeks before:
    the interpreter confirmed, the captioner still to find, a volunteer driving."""
    if db.session.scalar(select(func.count(Arrangement.id))):
        return 0
    voru = events["eakate-kaasamine-voru"]
    kadri = db.session.scalars(select(User).where(
        User.email == "kadri.organiser@koosloome.example")).first()
    driver = Volunteer(organisation_id=orgs["vpk"].id, name="Jaan Jõgi",
                       phone="+372 5000 0099",
                       can_help_with="Sõidab kaubikuga, kuhu mahub ratastool; saadab bussis.")
    db.session.add(driver)
    db.session.flush()
    responsible = kadri.id if kadri else None
    interpreter = Arrangement(
        event_id=voru.id, kind=ArrangementKind.SIGN_LANGUAGE,
        status=ArrangementStatus.CONFIRMED, responsible_id=responsible,
        supplier="Tõlkebüroo (näidis)", cost=Decimal("180.00"),
        note="Tõlk on kohal 9.45, istub lava vasakul pool.")
    db.session.add_all([
        interpreter,
        Arrangement(event_id=voru.id, kind=ArrangementKind.CAPTIONS,
                    status=ArrangementStatus.TO_ARRANGE, responsible_id=responsible,
                    note="Küsida kirjutustõlget ka veebiülekande jaoks."),
        Arrangement(event_id=voru.id, kind=ArrangementKind.STEP_FREE,
                    status=ArrangementStatus.DONE, responsible_id=responsible,
                    note="Ratastoolikoht esimeses reas, kaldtee peaukse juures."),
        Arrangement(event_id=voru.id, kind=ArrangementKind.CATERING,
                    status=ArrangementStatus.REQUESTED, supplier="Toitlustaja (näidis)",
                    note="Üks gluteenivaba ja üks laktoosivaba toit, pähkliallergia; "
                         "ühele saatjale taimetoit."),
        # For the village society's group: the hall's own loop, and the programme printed big.
        Arrangement(event_id=voru.id, kind=ArrangementKind.HEARING_LOOP,
                    status=ArrangementStatus.DONE, responsible_id=responsible,
                    note="Suures saalis on püsiv induktsioonsilmus; tehnik lülitab selle sisse."),
        Arrangement(event_id=voru.id, kind=ArrangementKind.LARGE_PRINT,
                    status=ArrangementStatus.CONFIRMED, responsible_id=responsible,
                    note="Kava ja slaidid prinditakse suures kirjas (16 pt)."),
        Arrangement(event_id=voru.id, kind=ArrangementKind.TRANSPORT,
                    status=ArrangementStatus.CONFIRMED, volunteer_id=driver.id,
                    note="Jaan toob kaks inimest Rõuge vallast ja viib nad tagasi."),
    ])
    rider = db.session.scalars(select(Registration).where(
        Registration.event_id == voru.id, Registration.transport_needed.is_(True))).first()
    if rider is not None:
        db.session.add(Pickup(registration_id=rider.id, driver_volunteer_id=driver.id,
                              pickup_at=voru.starts_at - timedelta(hours=1), return_trip=True,
                              return_at=voru.ends_at + timedelta(minutes=15),
                              accessible_vehicle=True, note="Saatja sõidab kaasa."))
    db.session.flush()
    # The interpreter's fee is a cost of the seminar in the project's ledger.
    arrangement_cost(voru, interpreter.id, CostCategory.INTERPRETING, interpreter.cost,
                     the_project())
    return 1
