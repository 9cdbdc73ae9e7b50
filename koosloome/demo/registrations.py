"""Who registered: the Võru seminar's participants, the full Tartu seminar and its waiting
list, the eight who went to Austria, the Czechia trip's chosen, offered and reserves (one
traveller with travel details), and the past Elva seminar's checked-in participants."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from koosloome.db import utcnow
from koosloome.demo.people import add_registration
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.trips.models import DocumentType, RoomChoice, TravelDetails

#: Who went to Austria: (PEOPLE index, why, how they will use it, LEADER before?).
AUSTRIA_TRAVELLERS = (
    (0, "Tahan näha, kuidas eakad ise keskust juhivad.", "Rõuge päevakeskuse töötoas.", True),
    (1, "Linnas on plaanis eakate keskus.", "Linnavalitsuse sotsiaalosakonnas.", True),
    (3, "Vabatahtlike veoteenus huvitab.", "Elva vallas koos külaseltsidega.", False),
    (4, "Otsin mõtteid üksi elavate eakate jaoks.", "Kastre külade ühenduses.", True),
    (5, "Nõustan LEADER-i taotlejaid ja tahan näha, kuidas ESF-i ja LEADER-i raha koos "
     "kasutatakse.", "Taotlejate nõustamisel.", True),
    (6, "Setomaal puudub päevakeskus.", "Külavanemate kokkutulekul.", None),
    (9, "Vallas ehitame päevakeskust.", "Valla sotsiaalkomisjonis.", True),
    (10, "Tahan õppida teistelt kogukondadelt.", "Kambja eakate klubis.", False),
)


def _austria_travellers(trip: Event) -> None:
    """The eight who went: chosen from their applications, checked in at the bus (the
    attendance evidence). Their needs were deleted 30 days after the trip and their travel
    details 14 days after it (``privacy purge``), so they have none."""
    applied = trip.starts_at - timedelta(days=75)
    purged = trip.ends_at + timedelta(days=30)
    for index, why, use, leader in AUSTRIA_TRAVELLERS:
        add_registration(trip, index, RegistrationStatus.CONFIRMED, answers=(why, use, leader),
                         sent_at=applied, confirmed_at=trip.starts_at - timedelta(days=50),
                         checked_in_at=trip.starts_at,
                         health_purged_at=purged if purged < utcnow() else None)


def _travel_details(trip: Event) -> None:
    """One of the two who hold a place has given their travel details; the other not yet."""
    first = db.session.scalars(select(Registration).where(
        Registration.event_id == trip.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)).first()
    if first is None:
        return
    db.session.add(TravelDetails(
        registration_id=first.id, event_id=trip.id, document_name=first.name.upper(),
        date_of_birth=date(1958, 6, 14), document_type=DocumentType.ID_CARD,
        document_expiry=date(datetime.now().year + 4, 3, 1), emergency_name="Malle Lepik",
        emergency_phone="+372 5111 2233", ehic=True, room=RoomChoice.EITHER,
        bus_needs="Istekoht ukse lähedal", diet=""))


def ensure_registrations(events: dict[str, Event]) -> int:
    """The registrations above, once (none is added to a database that has any)."""
    existing = db.session.scalar(select(func.count(Registration.id)))
    if existing:
        return 0
    voru = events["eakate-kaasamine-voru"]
    add_registration(
        voru,
        0,
        RegistrationStatus.CONFIRMED,
        needs=["wheelchair", "step_free"],
        companion=True,
        companion_name="Peeter Tamm",
        transport_needed=True,
        transport_pickup="Rõuge, Haani tee 5",
        transport_wheelchair=True,
    )
    add_registration(voru, 1, RegistrationStatus.CONFIRMED, needs=["sign_language"])
    add_registration(voru, 2, RegistrationStatus.CONFIRMED, needs=["gluten_free"],
                     allergies="Pähklid")
    add_registration(voru, 3, RegistrationStatus.CONFIRMED, needs=["captions"])
    tartu = events["ligipaasetav-teenus-tartu"]  # full, with a waiting list
    for i in range(4, 12):
        add_registration(
            tartu, i, RegistrationStatus.CONFIRMED, needs=["hearing_loop"] if i == 5 else []
        )
    for i in range(0, 3):
        add_registration(tartu, i, RegistrationStatus.WAITLISTED)
    _austria_travellers(events["oppereis-austria"])
    czechia = events["oppereis-tsehhi"]  # chosen, offers out, one about to lapse
    add_registration(czechia, 3, RegistrationStatus.CONFIRMED)
    add_registration(czechia, 4, RegistrationStatus.CONFIRMED)
    add_registration(czechia, 5, RegistrationStatus.OFFERED,
                     offer_expires_at=utcnow() + timedelta(days=2))
    add_registration(czechia, 8, RegistrationStatus.OFFERED,
                     offer_expires_at=utcnow() + timedelta(hours=3))
    for i in (9, 10):
        add_registration(czechia, i, RegistrationStatus.WAITLISTED)
    db.session.flush()
    _travel_details(czechia)
    past = events["vabatahtlike-seminar-elva"]
    # Helju came with the interpreter the seminar paid for; Ene asked for large print.
    needs = {4: {"needs": ["sign_language"], "has_disability": True},
             6: {"needs": ["large_print"]}}
    for i in range(3, 9):
        add_registration(past, i, RegistrationStatus.CONFIRMED, checked_in_at=past.starts_at,
                         **needs.get(i, {}))
    db.session.flush()
    return 1
