"""The call list: two people registered by phone, without e-mail, and the organisers'
message about the bus that they hear by phone."""

from __future__ import annotations

from sqlalchemy import func, select

from koosloome.accounts.models import User
from koosloome.db import utcnow
from koosloome.demo.people import PEOPLE
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import CallOutcome, CallTask
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus

#: The organisers' message to the Võru seminar's participants, which phone-only people hear.
BUS_MESSAGE = {"subject": "Buss Rõuge külast",
               "body": "Rõuge külast sõidab seminarile buss, mis väljub kell 9.00 "
                       "rahvamaja eest. Tagasi jõuab kell 15.30."}


def ensure_calls(events: dict[str, Event]) -> int:
    """Two people registered by phone, without e-mail, and the organisers' message about the
    bus on the call list: one reached, one who did not answer (to try again)."""
    if db.session.scalar(select(func.count(CallTask.id))):
        return 0
    voru = events["eakate-kaasamine-voru"]
    kadri = db.session.scalars(select(User).where(
        User.email == "kadri.organiser@koosloome.example")).first()
    outcomes = ((10, CallOutcome.REACHED, "Tuleb bussiga."),
                (11, CallOutcome.NO_ANSWER, "Helistada pärastlõunal uuesti."))
    for index, outcome, note in outcomes:
        name = PEOPLE[index][0]
        registration = Registration(
            event=voru, status=RegistrationStatus.CONFIRMED, source=RegistrationSource.PHONE,
            name=name, email=None, phone=f"+372 5{index:03d} 7{index:03d}",
            municipality=PEOPLE[index][1], county=PEOPLE[index][2], sector=PEOPLE[index][3],
            consent_privacy_at=utcnow(), confirmed_at=utcnow())
        assign_manage_token(registration)
        db.session.add(registration)
        db.session.flush()
        db.session.add(CallTask(
            kind=MessageKind.ORGANISER_MESSAGE.value, registration_id=registration.id,
            event_id=voru.id, language="et", context=dict(BUS_MESSAGE), outcome=outcome,
            attempts=1, note=note, last_call_at=utcnow(),
            last_call_by_id=kadri.id if kadri else None))
    db.session.flush()
    return 1
