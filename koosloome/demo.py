"""Realistic Estonian demo data for ``flask demo load``: events, registrations and a board.

Idempotent: every object is looked up by a stable key (slug, e-mail, join code) before it is
created, so running it twice changes nothing. Dates are relative to today, so the demo always
shows upcoming events (and a study trip that has taken place, with its costs and report).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from koosloome.accounts.models import Organisation, Role, User
from koosloome.accounts.partners import ensure_partners
from koosloome.accounts.services import create_user, set_password, user_by_email
from koosloome.arrangements.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    Pickup,
    Volunteer,
)
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea, Theme, Vote
from koosloome.boards.services import add_default_columns
from koosloome.db import utcnow
from koosloome.demo_selection import ensure_selection
from koosloome.events.models import (
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    ExtraQuestion,
    QuestionKind,
    RegistrationMode,
    StepFree,
    TripDay,
    TripStop,
)
from koosloome.extensions import db
from koosloome.feedback.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
    ResponseSource,
)
from koosloome.feedback.services import DEFAULT_QUESTIONS
from koosloome.groups.links import assign_group_token
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import CallOutcome, CallTask
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.trips.models import (
    CostCategory,
    DocumentType,
    RoomChoice,
    TravelDetails,
    TripCost,
    TripReport,
)
from koosloome.venues.models import VENUE_FIELDS, Entrance, HearingLoop, Venue

DEMO_ADMIN_EMAIL = "admin@koosloome.example"
#: Each demo account's own password, generated once per instance and kept beside it (0600).
DEMO_LOGINS_FILE = "demo-logins"
#: (e-mail, name, role, partner): the admin, an organiser per partner and a facilitator.
DEMO_PEOPLE = (
    (DEMO_ADMIN_EMAIL, "Demo Admin", Role.ADMIN, "vpk"),
    ("kadri.organiser@koosloome.example", "Kadri Kuusk", Role.ORGANISER, "vpk"),
    ("tiina.organiser@koosloome.example", "Tiina Saar", Role.ORGANISER, "tas"),
    ("margus.facilitator@koosloome.example", "Margus Mets", Role.FACILITATOR, "vpk"),
)
DEMO_BOARD_CODE = "KUVR24"
#: A second board, still collecting ideas, to try posting (and for the accessibility tests).
DEMO_COLLECTING_BOARD_CODE = "TUBA25"


@dataclass(frozen=True)
class DemoLogin:
    """A demo account's login, as ``demo load`` prints it."""

    email: str
    role: Role
    password: str


@dataclass(frozen=True)
class DemoResult:
    """What ``demo load`` prints: the logins and whether anything was added."""

    logins: tuple[DemoLogin, ...]
    created: int

    @property
    def admin_email(self) -> str:
        """The demo admin's e-mail address."""
        return self.logins[0].email

    @property
    def admin_password(self) -> str:
        """The demo admin's password."""
        return self.logins[0].password


def _local(tz: ZoneInfo, days: int, hour: int, minute: int = 0) -> datetime:
    """Today + ``days`` at a wall-clock time in Estonia, as an aware datetime."""
    day = datetime.now(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _passwords(instance_path: str) -> dict[str, str]:
    """Each demo account's password: generated once per instance, kept in the instance folder
    (readable by its owner only), so a demo never shares one password between accounts."""
    path = Path(instance_path) / DEMO_LOGINS_FILE
    kept = dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line) \
        if path.exists() else {}
    passwords = {email: kept.get(email) or "demo-" + secrets.token_urlsafe(9)
                 for email, *_rest in DEMO_PEOPLE}
    if passwords != kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text("".join(f"{email} {password}\n" for email, password in passwords.items()))
    return passwords


def _users(orgs: dict[str, Organisation], passwords: dict[str, str]) -> int:
    """The demo accounts, each with its own password (reset to the printed one if it exists)."""
    created = 0
    for email, name, role, org in DEMO_PEOPLE:
        user = user_by_email(email)
        if user is None:
            create_user(email, name, role, orgs[org].slug, passwords[email])
            created += 1
        else:
            set_password(user, passwords[email])  # keep the printed password true
    return created


def _logins(passwords: dict[str, str]) -> tuple[DemoLogin, ...]:
    return tuple(
        DemoLogin(email, role, passwords[email]) for email, _name, role, _org in DEMO_PEOPLE
    )


#: The demo's venues, each with its own facts. A fact nobody has checked is left empty (the
#: pages then say so and ask people to call) rather than borrowed from another place.
VENUES: dict[str, dict[str, Any]] = {
    "kannel": {
        "name_et": "Võru Kultuurimaja Kannel",
        "name_en": "Võru Culture House Kannel",
        "address": "Liiva 13, 65609 Võru",
        "map_url": "https://www.openstreetmap.org/search?query=Liiva%2013%2C%20V%C3%B5ru",
        "transit_stop_et": "Võru bussijaam",
        "transit_stop_en": "Võru bus station",
        "transit_stop_distance_m": 450,
        "dropoff_point_et": "Peaukse ees, Liiva tänaval",
        "dropoff_point_en": "At the main door, on Liiva street",
        "accessible_parking_spaces": 2,
        "accessible_parking_distance_m": 15,
        "entrance": Entrance.RAMP,
        "door_width_cm": 90,
        "automatic_door": True,
        "lift": True,
        "step_free_rooms": True,
        "accessible_wc": True,
        "seats_with_armrests": True,
        "wheelchair_spaces": 4,
        "hearing_loop": HearingLoop.FIXED,
        "quiet_room": True,
        "assistance_dog_area": True,
        "evacuation_et": "Evakuatsioonitool teisel korrusel; töötajad on juhendatud.",
        "evacuation_en": "Evacuation chair on the first floor; staff are trained to use it.",
        "facts_checked_by": "Kadri Kuusk, Võrumaa Partnerluskogu",
    },
    "loomemajandus": {
        "name_et": "Tartu Loomemajanduskeskus",
        "name_en": "Tartu Centre for Creative Industries",
        "address": "Kastani 42, 50410 Tartu",
        "transit_stop_et": "Kastani",
        "transit_stop_en": "Kastani",
        "transit_stop_distance_m": 120,
        "accessible_parking_spaces": 1,
        "accessible_parking_distance_m": 30,
        "entrance": Entrance.STEPS,
        "entrance_steps": 2,
        "door_width_cm": 85,
        "automatic_door": False,
        "lift": False,
        "step_free_rooms": False,
        "accessible_wc": True,
        "seats_with_armrests": False,
        "wheelchair_spaces": 2,
        "hearing_loop": HearingLoop.PORTABLE,
        "quiet_room": False,
        "access_notes_et": "Sissepääsus on 2 astet ja kaldteed ei ole; abi saamiseks helistage "
        "eelnevalt. Seminariruum on esimesel korrusel.",
        "access_notes_en": "There are 2 steps at the entrance and no ramp; call ahead and we "
        "will help. The seminar room is on the ground floor.",
        "facts_checked_by": "Tiina Saar, Tartumaa Arendusselts",
    },
    # Not yet visited: only what is on record (name and address); the pages say that
    # nobody has checked the rest.
    "rouge": {
        "name_et": "Rõuge rahvamaja",
        "name_en": "Rõuge community house",
        "address": "Haani tee 1, Rõuge",
    },
    "elva": {
        "name_et": "Elva Kultuurimaja",
        "name_en": "Elva Culture House",
        "address": "Kesk 1, Elva",
    },
    "tartu-bussijaam": {
        "name_et": "Tartu bussijaam (väljumine)",
        "name_en": "Tartu bus station (departure)",
        "address": "Soola 2, Tartu",
    },
}
#: How long ago the checked venues were visited (the demo's dates are relative to today).
CHECKED_DAYS_AGO = 20
#: The first day of each study trip, in days from today: Sweden takes applications, the
#: Austria trip has taken place (Czechia, in between, has its offers out).
SWEDEN_DAY = 75
AUSTRIA_DAY = -40

VORU_CONTACT = {"access_contact_name": "Kadri Kuusk", "access_contact_phone": "+372 5555 1234"}
TARTU_CONTACT = {"access_contact_name": "Tiina Saar", "access_contact_phone": "+372 5555 5678"}
VORU_CATERING = {
    "catering_et": "Lõunasöök ja kohvipausid; taimetoit ja gluteenivaba toit küsimisel.",
    "catering_en": "Lunch and coffee breaks; vegetarian and gluten-free food on request.",
}


def _event_specs(tz: ZoneInfo, orgs: dict[str, Organisation]) -> list[dict[str, Any]]:
    """The demo events, keyed by slug."""
    return [
        {
            "slug": "eakate-kaasamine-voru",
            "kind": EventKind.SEMINAR,
            "organisation": orgs["vpk"],
            "co_organiser": orgs["tas"],
            "title_et": "Inspiratsiooniseminar: kuidas kaasata eakaid kogukonna ellu",
            "title_en": "Inspiration seminar: including older people in community life",
            "summary_et": "Head näited Võrumaalt ja Tartu Ülikooli uuring eakate osalemisest.",
            "summary_en": "Good practice from Võru County and a University of Tartu study "
            "on how older people take part.",
            "easy_read_et": "Räägime, kuidas eakad saavad küla elus kaasa lüüa.\n\n"
            "Seminar on tasuta. Lõunasöök on tasuta. Võid tulla koos saatjaga.",
            "easy_read_en": "We talk about how older people can take part in village life.\n\n"
            "The seminar is free. Lunch is free. You can bring a companion.",
            "description_et": "Seminaril tutvustavad oma kogemusi Rõuge ja Antsla "
            "kogukonnad ning Tartu Ülikooli sotsiaaltöö teadlased.\n\n"
            "Päeva teises pooles arutame laudades, mida saaks teha teie külas.",
            "description_en": "Communities from Rõuge and Antsla and social-work researchers "
            "from the University of Tartu share their experience.\n\n"
            "In the afternoon we discuss at the tables what could be done in your village.",
            "starts_at": _local(tz, 12, 10),
            "ends_at": _local(tz, 12, 15),
            "capacity": 40,
            "venue": "kannel",
            **VORU_CATERING,
            **VORU_CONTACT,
        },
        {
            "slug": "ligipaasetav-teenus-tartu",
            "kind": EventKind.SEMINAR,
            "organisation": orgs["tas"],
            "title_et": "Inspiratsiooniseminar: ligipääsetav teenus maapiirkonnas",
            "title_en": "Inspiration seminar: accessible services in rural areas",
            "summary_et": "Kuidas kujundada teenuseid koos puuetega inimestega.",
            "summary_en": "How to design services together with people with disabilities.",
            "easy_read_et": "Räägime, kuidas teha teenuseid, mida kõik saavad kasutada.",
            "easy_read_en": "We talk about making services that everyone can use.",
            "starts_at": _local(tz, 16, 13),
            "ends_at": _local(tz, 16, 16, 30),
            "capacity": 8,
            "venue": "loomemajandus",
            **TARTU_CONTACT,
        },
        {
            "slug": "koosloome-tootuba-rouge",
            "kind": EventKind.WORKSHOP,
            "organisation": orgs["vpk"],
            "title_et": "Koosloome töötuba: eakate päevakeskus Rõuges",
            "title_en": "Co-creation workshop: a day centre for older people in Rõuge",
            "summary_et": "Kavandame koos eakate ja valla esindajatega uue päevakeskuse tegevusi.",
            "summary_en": "Together with older residents and the municipality we design the "
            "activities of a new day centre.",
            "starts_at": _local(tz, 20, 11),
            "ends_at": _local(tz, 20, 15),
            "capacity": 25,
            "venue": "rouge",
            **VORU_CONTACT,
        },
        {
            "slug": "oppereis-austria",
            "kind": EventKind.STUDY_TRIP,
            "organisation": orgs["tas"],
            "co_organiser": orgs["vpk"],
            "registration_mode": RegistrationMode.APPLICATION,
            "title_et": "Õppereis Austriasse: kogukonnad ja sotsiaalteenused",
            "title_en": "Study trip to Austria: communities and social services",
            "summary_et": "Kolmepäevane õppereis Steiermarki LEADER-piirkonda. Reis on "
            "toimunud: vaata, mida õppisime.",
            "summary_en": "A three-day study trip to a LEADER area in Styria. The trip has "
            "taken place: see what we learned.",
            "description_et": "Külastasime eakate kogukonnakeskust ja külaühistu teenusmaja ning "
            "tutvusime ESF-i ja LEADER-i rahastuse koos kasutamisega. Osalejad valiti "
            "taotluste põhjal.",
            "description_en": "We visited a community centre for older people and a village "
            "co-op's service house, and learned how ESF and LEADER funding are used together. "
            "The participants were chosen by application.",
            "starts_at": _local(tz, AUSTRIA_DAY, 6),
            "ends_at": _local(tz, AUSTRIA_DAY + 2, 22),
            "capacity": 10,
            "registration_closes_at": _local(tz, AUSTRIA_DAY - 60, 23, 59),
            # The chosen had three days to say yes; the flights were booked 45 days ahead.
            "offer_hours": 72,
            "offer_cutoff_at": _local(tz, AUSTRIA_DAY - 45, 16),
            "travel_details": True,
            # Planned from the TAS study-trip line (13 000 €) for ten travellers and the two
            # organisers: 950 € a traveller, nothing to pay. What it cost is in ``AUSTRIA_COSTS``.
            "cost_per_person": Decimal("950.00"),
            "own_contribution": Decimal("0.00"),
            "venue": "tartu-bussijaam",
            "access_notes_et": "Buss on tõstukiga. Külastuskohtades tuli kõndida kuni 500 m; "
            "ühes kohas oli trepp ilma liftita.",
            "access_notes_en": "The bus had a lift. At the sites we walked up to 500 m; one "
            "site had stairs and no lift.",
            "access_contact_name": "Tiina Saar",
            "access_contact_phone": "+372 5555 5678",
        },
        {
            "slug": "oppereis-tsehhi",
            "kind": EventKind.STUDY_TRIP,
            "organisation": orgs["tas"],
            "co_organiser": orgs["vpk"],
            "registration_mode": RegistrationMode.APPLICATION,
            "title_et": "Õppereis Tšehhi: kogukonnateenused maapiirkonnas",
            "title_en": "Study trip to Czechia: community services in rural areas",
            "summary_et": "Neljapäevane õppereis Tšehhi LEADER-piirkonda. Osalejad on valitud; "
            "kui keegi loobub, pakume kohta varunimekirjas järgmisele.",
            "summary_en": "A four-day study trip to a LEADER area in Czechia. The participants "
            "are chosen; if someone cannot go, the place is offered to the next on the reserve "
            "list.",
            "starts_at": _local(tz, 35, 6),
            "ends_at": _local(tz, 38, 22),
            "capacity": 4,
            "registration_closes_at": _local(tz, -5, 23, 59),
            # Three days to say yes; the flights are booked two weeks before, so no later.
            "offer_hours": 72,
            "offer_cutoff_at": _local(tz, 21, 16),
            "travel_details": True,
            "venue": "tartu-bussijaam",
            "access_contact_name": "Tiina Saar",
            "access_contact_phone": "+372 5555 5678",
        },
        {
            "slug": "oppereis-rootsi",
            "kind": EventKind.STUDY_TRIP,
            "organisation": orgs["vpk"],
            "co_organiser": orgs["tas"],
            "registration_mode": RegistrationMode.APPLICATION,
            "title_et": "Õppereis Rootsi: eakate päevakeskused ja kogukonnabussid",
            "title_en": "Study trip to Sweden: day centres and community buses",
            "summary_et": "Neljapäevane õppereis Rootsi: kuidas vald, vabatahtlikud ja "
            "LEADER-piirkond korraldavad koos teenuseid eakatele ja puuetega inimestele.",
            "summary_en": "A four-day study trip to Sweden: how a municipality, volunteers and "
            "a LEADER area arrange services together for older and disabled people.",
            "description_et": "Sõidame bussiga Võrust ja Tartust Tallinna ning ööparvlaevaga "
            "Stockholmi. Külastame eakate päevakeskust, külakeskust koos kogukonnabussiga ja "
            "sotsiaalset ettevõtet; vastuvõtjad täpsustuvad.\n\n"
            "Osalejad valime taotluste põhjal. Eelistame neid, kes kavandavad oma kogukonnas "
            "uut tegevust eakatele või puuetega inimestele.",
            "description_en": "We go by bus from Võru and Tartu to Tallinn and by overnight "
            "ferry to Stockholm. We visit a day centre for older people, a village centre with "
            "its community bus and a social enterprise; the hosts are still being agreed.\n\n"
            "The participants are chosen by application. We prefer those who are planning "
            "something new for older or disabled people in their community.",
            "starts_at": _local(tz, SWEDEN_DAY, 8),
            "ends_at": _local(tz, SWEDEN_DAY + 3, 15),
            "capacity": 20,
            "registration_closes_at": _local(tz, 30, 23, 59),
            # Three days to say yes; the ferry cabins and the hotel are booked 25 days ahead.
            "offer_hours": 72,
            "offer_cutoff_at": _local(tz, SWEDEN_DAY - 25, 16),
            "travel_details": True,
            # About 620 € a traveller (bus, ferry cabins, a hotel night, meals, hosts,
            # insurance); each pays 60 € of it, the project the rest.
            "cost_per_person": Decimal("620.00"),
            "own_contribution": Decimal("60.00"),
            # The group meets inside the culture house, whose facts were checked.
            "venue": "kannel",
            "access_notes_et": "Kogunemine Kannli fuajees kell 7.45; buss väljub peaukse eest. "
            "Tartu osalejad tulevad peale Tartu bussijaamas. Buss on tõstukiga. Laeva ja "
            "külastuskohtade ligipääsetavust alles täpsustame: kui vajad astmevaba teed, "
            "kirjuta see taotlusse või helista.",
            "access_notes_en": "We meet in the foyer of Kannel at 7:45; the bus leaves from the "
            "main door. Travellers from Tartu join at Tartu bus station. The bus has a lift. "
            "We are still checking the ferry and the places we visit: if you need a step-free "
            "route, say so in your application or call.",
            **VORU_CONTACT,
        },
        {
            "slug": "vabatahtlike-seminar-elva",
            "kind": EventKind.SEMINAR,
            "organisation": orgs["tas"],
            "title_et": "Vabatahtlike võrgustiku seminar Elvas",
            "title_en": "Volunteer network seminar in Elva",
            "starts_at": _local(tz, -20, 10),
            "ends_at": _local(tz, -20, 14),
            "capacity": 30,
            "venue": "elva",
            **TARTU_CONTACT,
        },
    ]


def _voru_agenda(tz: ZoneInfo) -> list[dict[str, Any]]:
    return [
        {"starts_at": _local(tz, 12, 10), "title_et": "Tervitus ja tutvustus",
         "title_en": "Welcome and introductions", "speaker": "Kadri Kuusk",
         "room_et": "Suur saal", "room_en": "Main hall"},
        {"starts_at": _local(tz, 12, 10, 30), "title_et": "Eakate osalemine kogukonnas: uuring",
         "title_en": "Older people taking part in communities: a study",
         "speaker": "Tartu Ülikool", "room_et": "Suur saal", "room_en": "Main hall"},
        {"starts_at": _local(tz, 12, 12), "title_et": "Lõuna", "title_en": "Lunch"},
        {"starts_at": _local(tz, 12, 13), "title_et": "Arutelu laudades",
         "title_en": "Table discussions", "room_et": "Väike saal", "room_en": "Small hall"},
    ]


#: What the organisers choose the travellers by; the travel details (document, date of birth,
#: room) are asked only of those who accept a place, after it (``trips``).
STUDY_TRIP_QUESTIONS = [
    {
        "kind": QuestionKind.LONG_TEXT,
        "label_et": "Miks soovid õppereisile tulla?",
        "label_en": "Why would you like to come on the study trip?",
        "required": True,
    },
    {
        "kind": QuestionKind.LONG_TEXT,
        "label_et": "Kuidas kasutad õpitut oma kogukonnas või organisatsioonis?",
        "label_en": "How will you use what you learn in your community or organisation?",
        "required": True,
    },
    {
        "kind": QuestionKind.YES_NO,
        "label_et": "Kas oled varem osalenud mõnes LEADER-projektis?",
        "label_en": "Have you taken part in a LEADER project before?",
    },
]

PEOPLE = [
    ("Mari Tamm", "Rõuge vald", "voru", "community"),
    ("Jaan Kask", "Võru linn", "voru", "local_government"),
    ("Aino Sepp", "Antsla vald", "voru", "private"),
    ("Peeter Lepik", "Elva vald", "tartu", "entrepreneur"),
    ("Helju Rebane", "Kastre vald", "tartu", "community"),
    ("Toomas Pärn", "Tartu linn", "tartu", "development"),
    ("Ene Kuusk", "Setomaa vald", "voru", "community"),
    ("Urmas Koppel", "Nõo vald", "tartu", "entrepreneur"),
    ("Külli Mägi", "Luunja vald", "tartu", "private"),
    ("Rein Oja", "Võru vald", "voru", "local_government"),
    ("Leida Ilves", "Kambja vald", "tartu", "community"),
    ("Arvo Sild", "Peipsiääre vald", "tartu", "other"),
]


def _ensure_venues() -> dict[str, Venue]:
    """The demo's venues, looked up by name (created once)."""
    venues: dict[str, Venue] = {}
    checked_on = (utcnow() - timedelta(days=CHECKED_DAYS_AGO)).date()
    for key, spec in VENUES.items():
        venue = db.session.scalars(select(Venue).where(Venue.name_et == spec["name_et"])).first()
        if venue is None:
            venue = Venue(name_et=spec["name_et"])
            db.session.add(venue)
        # The demo's facts are its own: a database migrated from when events carried
        # (and copied) them gets these, not the copies.
        for name in VENUE_FIELDS:
            empty = None if Venue.__table__.columns[name].nullable else ""
            setattr(venue, name, spec.get(name, empty))
        if spec.get("facts_checked_by"):
            venue.facts_checked_on = venue.facts_checked_on or checked_on
        venues[key] = venue
    return venues


def _ensure_events(tz: ZoneInfo, orgs: dict[str, Organisation]) -> tuple[dict[str, Event], int]:
    created = 0
    events: dict[str, Event] = {}
    venues = _ensure_venues()
    for spec in _event_specs(tz, orgs):
        event = db.session.scalars(select(Event).where(Event.slug == spec["slug"])).first()
        if event is None:
            spec = {**spec, "venue": venues[spec["venue"]]}
            event = Event(status=EventStatus.PUBLISHED, published_at=utcnow(), **spec)
            if spec["slug"] == "eakate-kaasamine-voru":
                event.agenda = [AgendaItem(**item) for item in _voru_agenda(tz)]
            if spec["kind"] is EventKind.STUDY_TRIP:
                event.questions = [
                    ExtraQuestion(position=i, **q) for i, q in enumerate(STUDY_TRIP_QUESTIONS)
                ]
            if spec["slug"] in ITINERARIES:
                event.itinerary = ITINERARIES[spec["slug"]](tz)
            db.session.add(event)
            created += 1
        events[spec["slug"]] = event
    db.session.flush()
    return events, created


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


def _trip_day(tz: ZoneInfo, first: int, number: int, **texts: str) -> TripDay:
    """Day ``number`` (from 1) of a trip whose first day is ``first`` days from today."""
    day = datetime.now(tz).date() + timedelta(days=first + number - 1)
    return TripDay(day=day, **texts)


def _austria_itinerary(tz: ZoneInfo) -> list[TripDay]:
    """The trip as it went: the hosts (examples here, not real organisations) and, written
    after it for the report, what the group learned at each visit."""
    hotel = {"overnight_et": "Hotell Grazi kesklinnas", "overnight_en": "A hotel in central Graz"}
    leave = _trip_day(tz, AUSTRIA_DAY, 1, title_et="Tartust Grazi", title_en="From Tartu to Graz",
                      **hotel)
    leave.stops = [
        TripStop(at=time(6), place_et="Tartu bussijaam", place_en="Tartu bus station",
                 address="Soola 2, Tartu", country="EE", host="Tartumaa Arendusselts",
                 transport_et="Buss tõstukiga Tallinna lennujaama, sealt lend Viini",
                 transport_en="A bus with a lift to Tallinn airport, then a flight to Vienna",
                 access_note_et="Buss on tõstukiga.", access_note_en="The bus has a lift."),
        TripStop(at=time(17), place_et="Graz", place_en="Graz", country="AT",
                 transport_et="Bussiga Viini lennujaamast", transport_en="By bus from Vienna "
                 "airport", meals_et="Õhtusöök hotellis", meals_en="Dinner at the hotel"),
    ]
    visit = _trip_day(tz, AUSTRIA_DAY, 2, title_et="LEADER-piirkond Steiermarkis",
                      title_en="A LEADER area in Styria", **hotel)
    visit.stops = [
        TripStop(at=time(9, 30), place_et="Eakate kogukonnakeskus",
                 place_en="Community centre for older people", country="AT",
                 host="Kohalik LEADER-tegevusgrupp (näidis)",
                 learning_et="Kuidas eakad ise keskuse tegevusi kavandavad ja kuidas ESF-i ja "
                 "LEADER-i rahastust koos kasutatakse.",
                 learning_en="How older people plan the centre's activities themselves, and how "
                 "ESF and LEADER funding are used together.",
                 transport_et="Bussiga", transport_en="By bus", walking_m=500,
                 step_free=StepFree.NO, meals_et="Lõuna keskuses", meals_en="Lunch at the centre",
                 access_note_et="Teisele korrusele viib trepp, lifti ei ole.",
                 access_note_en="Stairs to the first floor, no lift.",
                 learned_et="Keskuse kava teeb eakate nõukoda: seitse liiget, kes kogunevad kord "
                 "kuus ja valivad järgmise kuu tegevused; töötaja ainult aitab.\n\n"
                 "Ruumid ehitati ümber LEADER-i toetusega, juhendaja palk tuleb ESF-i "
                 "projektist. Teisele korrusele viib ainult trepp: lifti jaoks otsivad nad "
                 "raha praegu.",
                 learned_en="The centre's programme is made by a council of older people: seven "
                 "members who meet once a month and choose the next month's activities; the "
                 "staff only help.\n\n"
                 "The rooms were rebuilt with LEADER support, the coordinator's pay comes from "
                 "an ESF project. Only stairs lead to the first floor: they are looking for "
                 "money for a lift now."),
        TripStop(at=time(14), place_et="Külaühistu teenusmaja", place_en="Village co-op's "
                 "service house", country="AT", host="Külaühistu (näidis)",
                 learning_et="Vabatahtlike veoteenus vähese liikumisvõimega inimestele.",
                 learning_en="A volunteer transport service for people who move with "
                 "difficulty.", transport_et="Bussiga", transport_en="By bus",
                 learned_et="Paarkümmend vabatahtlikku autojuhti sõidutavad eakaid poodi ja "
                 "arsti juurde; sõidu saab tellida ühest telefoninumbrist. Vald maksab kütuse, "
                 "külaühistu hoiab autot ja koolitab juhte.",
                 learned_en="About twenty volunteer drivers take older people to the shop and "
                 "the doctor; a ride is booked on one phone number. The municipality pays for "
                 "the fuel, the co-op keeps the car and trains the drivers."),
    ]
    back = _trip_day(tz, AUSTRIA_DAY, 3, title_et="Tagasi koju", title_en="Back home")
    back.stops = [
        TripStop(at=time(10), place_et="Viini lennujaam", place_en="Vienna airport",
                 country="AT", transport_et="Bussiga Grazist", transport_en="By bus from Graz"),
        TripStop(at=time(22), place_et="Tartu bussijaam", place_en="Tartu bus station",
                 address="Soola 2, Tartu", country="EE", transport_et="Lend Tallinna, sealt "
                 "bussiga Tartusse", transport_en="A flight to Tallinn, then by bus to Tartu",
                 step_free=StepFree.YES),
    ]
    return [leave, visit, back]


#: The places the Sweden trip starts from and comes back to.
KANNEL_STOP = {"place_et": "Võru Kultuurimaja Kannel", "place_en": "Võru Culture House Kannel",
               "address": "Liiva 13, 65609 Võru", "country": "EE"}
TARTU_STOP = {"place_et": "Tartu bussijaam", "place_en": "Tartu bus station",
              "address": "Soola 2, Tartu", "country": "EE"}
TALLINN_PORT = {"place_et": "Tallinna sadam", "place_en": "Port of Tallinn", "country": "EE"}
STOCKHOLM_PORT = {"place_et": "Stockholmi sadam", "place_en": "Port of Stockholm",
                  "country": "SE"}
FERRY_NIGHT = {"overnight_et": "Ööparvlaeval, kaks inimest kajutis",
               "overnight_en": "On the overnight ferry, two to a cabin"}


def _sweden_itinerary(tz: ZoneInfo) -> list[TripDay]:
    """The trip as planned some weeks ahead: the route is known, the hosts are still being
    agreed (the visits are examples, not real organisations), and only what the trip itself
    provides (its bus with a lift, the checked culture house) is stated as step-free. The
    Swedish stops' times are Swedish clock times, an hour behind Estonia's."""
    leave = _trip_day(tz, SWEDEN_DAY, 1, title_et="Võrust ja Tartust Tallinna, laevaga "
                      "Stockholmi", title_en="From Võru and Tartu to Tallinn, by ferry to "
                      "Stockholm", **FERRY_NIGHT)
    leave.stops = [
        TripStop(at=time(8), **KANNEL_STOP, host="Võrumaa Partnerluskogu",
                 transport_et="Buss tõstukiga", transport_en="A bus with a lift",
                 step_free=StepFree.YES,
                 access_note_et="Kogunemine fuajees kell 7.45. Peauksel on kaldtee.",
                 access_note_en="We meet in the foyer at 7:45. The main door has a ramp."),
        TripStop(at=time(9, 15), **TARTU_STOP, host="Tartumaa Arendusselts",
                 transport_et="Bussiga Võrust", transport_en="By bus from Võru",
                 access_note_et="Tartu osalejad tulevad siin peale.",
                 access_note_en="Travellers from Tartu join here."),
        TripStop(at=time(16, 30), **TALLINN_PORT,
                 transport_et="Bussiga Tartust; õhtul ööparvlaev Stockholmi",
                 transport_en="By bus from Tartu; in the evening the overnight ferry to "
                 "Stockholm", meals_et="Lõuna teel (täpsustub), õhtusöök laeval",
                 meals_en="Lunch on the way (to be confirmed), dinner on the ferry"),
    ]
    city = _trip_day(tz, SWEDEN_DAY, 2, title_et="Stockholm: eakate päevakeskus",
                     title_en="Stockholm: a day centre for older people",
                     overnight_et="Hotell Stockholmis (täpsustub)",
                     overnight_en="A hotel in Stockholm (to be confirmed)")
    city.stops = [
        TripStop(at=time(10), **STOCKHOLM_PORT, transport_et="Ööparvlaevaga Tallinnast",
                 transport_en="By overnight ferry from Tallinn",
                 meals_et="Hommikusöök laeval", meals_en="Breakfast on the ferry"),
        TripStop(at=time(13), place_et="Valla eakate päevakeskus (näidis)",
                 place_en="A municipal day centre for older people (example)", country="SE",
                 host="Täpsustub",
                 learning_et="Kuidas vald, vabatahtlikud ja eakad ise päevakeskuse tegevusi "
                 "koos kavandavad ja kuidas nad jõuavad üksi elavate eakateni.",
                 learning_en="How the municipality, volunteers and older people themselves plan "
                 "the centre's activities together, and how they reach older people who live "
                 "alone.", transport_et="Bussiga", transport_en="By bus",
                 meals_et="Lõuna päevakeskuses (täpsustub)",
                 meals_en="Lunch at the centre (to be confirmed)"),
    ]
    country = _trip_day(tz, SWEDEN_DAY, 3, title_et="LEADER-piirkond Stockholmi lähedal",
                        title_en="A LEADER area near Stockholm", **FERRY_NIGHT)
    country.stops = [
        TripStop(at=time(9, 30), place_et="Külakeskus ja kogukonnabuss (näidis)",
                 place_en="A village centre and its community bus (example)", country="SE",
                 host="Kohalik LEADER-tegevusgrupp (täpsustub)",
                 learning_et="Kuidas küla korraldab eakatele ja puuetega inimestele sõidud poodi "
                 "ja arsti juurde ning kuidas LEADER-i ja ESF+ rahastust koos kasutada.",
                 learning_en="How a village arranges rides to the shop and the doctor for older "
                 "and disabled people, and how LEADER and ESF+ funding can be used together.",
                 transport_et="Bussiga Stockholmist", transport_en="By bus from Stockholm"),
        TripStop(at=time(13, 30), place_et="Sotsiaalne ettevõte, kus töötavad puuetega "
                 "inimesed (näidis)", place_en="A social enterprise where disabled people work "
                 "(example)", country="SE", host="Täpsustub",
                 learning_et="Kuidas ettevõte pakub koos omavalitsusega tööd ja juhendamist.",
                 learning_en="How the enterprise offers work and supervision together with the "
                 "municipality.", transport_et="Bussiga", transport_en="By bus",
                 meals_et="Lõuna (täpsustub)", meals_en="Lunch (to be confirmed)"),
        TripStop(at=time(16, 30), **STOCKHOLM_PORT,
                 transport_et="Bussiga; õhtul ööparvlaev Tallinna",
                 transport_en="By bus; in the evening the overnight ferry to Tallinn",
                 meals_et="Õhtusöök laeval", meals_en="Dinner on the ferry"),
    ]
    back = _trip_day(tz, SWEDEN_DAY, 4, title_et="Tagasi koju", title_en="Back home")
    back.stops = [
        TripStop(at=time(10, 30), **TALLINN_PORT, transport_et="Ööparvlaevaga Stockholmist",
                 transport_en="By overnight ferry from Stockholm",
                 meals_et="Hommikusöök laeval", meals_en="Breakfast on the ferry"),
        TripStop(at=time(13, 30), **TARTU_STOP, transport_et="Bussiga Tallinnast",
                 transport_en="By bus from Tallinn"),
        TripStop(at=time(15), **KANNEL_STOP, transport_et="Bussiga Tartust",
                 transport_en="By bus from Tartu", step_free=StepFree.YES),
    ]
    return [leave, city, country, back]


#: Each trip's itinerary, by slug.
ITINERARIES = {"oppereis-austria": _austria_itinerary, "oppereis-rootsi": _sweden_itinerary}


def _registration(event: Event, index: int, status: RegistrationStatus, *,
                  answers: tuple[Any, ...] = (), sent_at: datetime | None = None,
                  **extra: Any) -> Registration:
    """PEOPLE[index]'s registration; ``answers`` to the event's questions in their order
    (None: left unanswered); ``sent_at`` when they registered (default now); ``extra``
    sets or overrides any other field."""
    name, municipality, county, sector = PEOPLE[index % len(PEOPLE)]
    local_part = name.lower().replace(" ", ".").translate(str.maketrans("äöüõš", "aouos"))
    needs = extra.pop("needs", [])
    sent_at = sent_at or utcnow()
    fields: dict[str, Any] = {
        "source": RegistrationSource.WEB,
        "name": name,
        "email": f"{local_part}@example.ee",
        "phone": f"+372 5{index:03d} {index * 7 % 10000:04d}",
        "organisation_name": "",
        "sector": sector,
        "county": county,
        "municipality": municipality,
        "created_at": sent_at,
        "consent_privacy_at": sent_at,
        "consent_health_at": sent_at if needs or extra.get("transport_needed") else None,
        "confirmed_at": sent_at if status is RegistrationStatus.CONFIRMED else None,
        "waitlisted_at": sent_at if status is RegistrationStatus.WAITLISTED else None,
    }
    registration = Registration(event=event, status=status, **{**fields, **extra})
    assign_manage_token(registration)
    registration.seats = 2 if registration.companion else 1
    registration.needs = [RegistrationNeed(code=code) for code in needs]
    registration.answers = [Answer(question=question, value=value)
                            for question, value in zip(event.questions, answers, strict=False)
                            if value is not None]
    db.session.add(registration)
    return registration


#: Who applied for the Sweden trip: (PEOPLE index, days ago, why, how they will use it,
#: "taken part in a LEADER project before?" — None where they left it unanswered).
SWEDEN_APPLICATIONS = (
    (0, 9, "Meie külaselts tahab avada rahvamajas kord nädalas eakate päeva, aga me ei tea, "
     "kuidas seda teha nii, et inimesed ka tuleksid. Tahan näha, kuidas Rootsis "
     "päevakeskust koos eakatega kavandatakse ja kuidas kohale saavad need, kes ise ei sõida.",
     "Teen külaseltsi koosolekul ettekande ja kirjutame koos LEADER-taotluse eakate päeva "
     "jaoks.", True),
    (1, 8, "Vastutan linnas sotsiaaltranspordi eest. Tahan näha, kuidas kogukonnabuss maal "
     "päriselt toimib.", "Võtan selle aluseks, kui kavandame järgmise aasta "
     "sotsiaaltransporti.", True),
    (2, 7, "Hooldan oma ema ja tahan teada, mida teised teevad.",
     "Räägin sellest Antsla eakate klubis.", None),
    (3, 6, "Mul on väike transpordiettevõte. Mõtlen, kas saaksin koos vallaga pakkuda "
     "eakatele sõite poodi ja arsti juurde.", "Teen vallale pakkumise.", False),
    (4, 4, "Vean Kastre külade eakate ühendust. Meil on palju üksi elavaid inimesi, kes "
     "kodust harva välja saavad. Tahaksin õppida, kuidas Rootsis vabatahtlikud ja vald "
     "koos üksi elavate eakateni jõuavad, ja tuua koju mõne mõtte, mida saame kohe "
     "proovida.", "Korraldame ühenduses kaks arutelu ja kirjutame nende põhjal projekti.",
     True),
    (6, 3, "Setomaal on külad kaugel ja buss käib harva.",
     "Jagan kogemust külavanemate kokkutulekul.", False),
    (9, 2, "Vallas valmib uus päevakeskus. Tahame teada, kuidas teised seda teevad, enne kui "
     "kõik on paigas.", "Viin mõtted valla sotsiaalkomisjoni.", True),
    (10, 1, "Tahan näha, kuidas puuetega inimesed saavad sotsiaalses ettevõttes tööd.",
     "Meie MTÜ kaalub käsitöökoja avamist.", None),
)
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
        _registration(trip, index, RegistrationStatus.CONFIRMED, answers=(why, use, leader),
                      sent_at=applied, confirmed_at=trip.starts_at - timedelta(days=50),
                      checked_in_at=trip.starts_at,
                      health_purged_at=purged if purged < utcnow() else None)


def _ensure_applications(events: dict[str, Event]) -> int:
    """The Sweden trip's applications, waiting for the organisers to choose."""
    sweden = events["oppereis-rootsi"]
    if db.session.scalar(select(func.count(Registration.id))
                         .where(Registration.event_id == sweden.id)):
        return 0
    for index, days_ago, why, use, leader in SWEDEN_APPLICATIONS:
        _registration(sweden, index, RegistrationStatus.PENDING, answers=(why, use, leader),
                      sent_at=utcnow() - timedelta(days=days_ago, hours=index))
    db.session.flush()
    return 1


#: What the Austria trip cost (8 travellers and 2 organisers): (category, amount, supplier,
#: note). The suppliers are examples.
AUSTRIA_COSTS = (
    (CostCategory.TRANSPORT, "2800.00", "Reisibüroo (näidis)",
     "Lennupiletid Tallinn–Viin–Tallinn, 10 inimest"),
    (CostCategory.TRANSPORT, "1650.00", "Bussifirma (näidis)",
     "Buss tõstukiga Tartu–Tallinn ja tagasi; buss Austrias kolmeks päevaks"),
    (CostCategory.ACCOMMODATION, "1900.00", "Hotell Grazis (näidis)", "2 ööd, 10 inimest"),
    (CostCategory.MEALS, "1350.00", "Toitlustajad (näidis)",
     "Lõunad ja õhtusöögid kolmel päeval"),
    (CostCategory.HOSTS, "600.00", "Kogukonnakeskus ja külaühistu (näidis)",
     "Vastuvõtjate tasu kahe külastuse eest"),
    (CostCategory.INSURANCE, "120.00", "Kindlustusselts (näidis)", "Reisikindlustus, 10 inimest"),
)
AUSTRIA_REPORT = {
    "summary_et": "Kaheksa osalejat Võru- ja Tartumaalt ning kaks korraldajat nägid "
    "Steiermarkis, kuidas eakad ise oma kogukonnakeskuse tegevusi kavandavad ja kuidas "
    "külaühistu korraldab vabatahtlike abil sõite neile, kes ise ei sõida.\n\n"
    "Kõige rohkem arutasime, kuidas ühe teenuse jaoks LEADER-i ja ESF-i raha koos kasutada: "
    "LEADER maksab ruumide ja sõiduki eest, ESF inimeste koolituse ja juhendamise eest.",
    "summary_en": "Eight travellers from Võru and Tartu counties and two organisers saw in "
    "Styria how older people plan their community centre's activities themselves, and how a "
    "village co-op arranges rides with volunteers for those who do not drive.\n\n"
    "We talked most about using LEADER and ESF money together for one service: LEADER pays "
    "for the rooms and the vehicle, ESF for training and supervising the people.",
    "next_steps_et": "Rõuge päevakeskuse koosloome töötoas proovime Austria keskuse mõtet: "
    "eakate nõukoda, mis kavandab kuu tegevused.\n\n"
    "Elva ja Kastre osalejad valmistavad ette vabatahtlike veoteenuse LEADER-taotluse.\n\n"
    "Räägime reisist Võru inspiratsiooniseminaril.",
    "next_steps_en": "At the co-creation workshop for the Rõuge day centre we try the "
    "Austrian centre's idea: a council of older people who plan the month's activities.\n\n"
    "The travellers from Elva and Kastre are preparing a LEADER application for a volunteer "
    "transport service.\n\n"
    "We tell about the trip at the inspiration seminar in Võru.",
    "contacts": "Kogukonnakeskuse juhataja (näidis): kontakt keskuse kodulehel; lubas "
    "saata nõukoja töökorra.\n"
    "LEADER-tegevusgrupi projektijuht (näidis): saadab ESF-i ja LEADER-i koos rahastatud "
    "projektide näited.\n"
    "Külaühistu veoteenuse koordinaator (näidis): valmis tulema veebikohtumisele.",
}


def _ensure_trip_report(events: dict[str, Event]) -> int:
    """After the Austria trip: its actual costs by category (their sum is its actual cost)
    and its published report; what was learned at each stop is in its itinerary."""
    austria = events["oppereis-austria"]
    if austria.ends_at > utcnow() or db.session.scalar(
            select(TripReport.id).where(TripReport.event_id == austria.id)):
        return 0  # not over yet (a demo loaded before it was moved), or done
    costs = [TripCost(event_id=austria.id, category=category, amount=Decimal(amount),
                      supplier=supplier, note=note)
             for category, amount, supplier, note in AUSTRIA_COSTS]
    db.session.add_all(costs)
    austria.actual_cost = sum((cost.amount for cost in costs), Decimal(0))
    published = min(austria.ends_at + timedelta(days=10), utcnow())
    db.session.add(TripReport(event_id=austria.id, published_at=published, **AUSTRIA_REPORT))
    db.session.flush()
    return 1


def _ensure_registrations(events: dict[str, Event]) -> int:
    existing = db.session.scalar(select(func.count(Registration.id)))
    if existing:
        return 0
    voru = events["eakate-kaasamine-voru"]
    _registration(
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
    _registration(voru, 1, RegistrationStatus.CONFIRMED, needs=["sign_language"])
    _registration(voru, 2, RegistrationStatus.CONFIRMED, needs=["gluten_free"], allergies="Pähklid")
    _registration(voru, 3, RegistrationStatus.CONFIRMED, needs=["captions"])
    tartu = events["ligipaasetav-teenus-tartu"]  # full, with a waiting list
    for i in range(4, 12):
        _registration(
            tartu, i, RegistrationStatus.CONFIRMED, needs=["hearing_loop"] if i == 5 else []
        )
    for i in range(0, 3):
        _registration(tartu, i, RegistrationStatus.WAITLISTED)
    _austria_travellers(events["oppereis-austria"])
    czechia = events["oppereis-tsehhi"]  # chosen, offers out, one about to lapse
    _registration(czechia, 3, RegistrationStatus.CONFIRMED)
    _registration(czechia, 4, RegistrationStatus.CONFIRMED)
    _registration(czechia, 5, RegistrationStatus.OFFERED,
                  offer_expires_at=utcnow() + timedelta(days=2))
    _registration(czechia, 8, RegistrationStatus.OFFERED,
                  offer_expires_at=utcnow() + timedelta(hours=3))
    for i in (9, 10):
        _registration(czechia, i, RegistrationStatus.WAITLISTED)
    db.session.flush()
    _travel_details(czechia)
    past = events["vabatahtlike-seminar-elva"]
    for i in range(3, 9):
        _registration(past, i, RegistrationStatus.CONFIRMED, checked_in_at=past.starts_at)
    db.session.flush()
    return 1


def _ensure_arrangements(events: dict[str, Event], orgs: dict[str, Organisation]) -> int:
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
    db.session.add_all([
        Arrangement(event_id=voru.id, kind=ArrangementKind.SIGN_LANGUAGE,
                    status=ArrangementStatus.CONFIRMED, responsible_id=responsible,
                    supplier="Tõlkebüroo (näidis)", cost=Decimal("180.00"),
                    note="Tõlk on kohal 9.45, istub lava vasakul pool."),
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
    return 1


#: The organisers' message to the Võru seminar's participants, which phone-only people hear.
BUS_MESSAGE = {"subject": "Buss Rõuge külast",
               "body": "Rõuge külast sõidab seminarile buss, mis väljub kell 9.00 "
                       "rahvamaja eest. Tagasi jõuab kell 15.30."}


def _ensure_calls(events: dict[str, Event]) -> int:
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


def _ensure_group(events: dict[str, Event]) -> int:
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


BOARD_IDEAS = [
    (0, "Transport päevakeskusesse neile, kes ise ei sõida", 5),
    (0, "Koht, kus saab lihtsalt koos kohvi juua ja rääkida", 4),
    (1, "Nutitelefoni kursus koos noortega", 3),
    (1, "Ühine aiamaa ja kasvuhoone", 2),
    (1, "Mälestuste õhtud ja küla ajaloo kogumine", 2),
    (2, "Rahvamaja saal on hommikuti vaba", 1),
    (2, "Noorte vabatahtlike grupp on valmis aitama", 1),
    (3, "Küsida vallalt bussi kolmapäeviti", 0),
]


def _ensure_board(events: dict[str, Event], orgs: dict[str, Organisation]) -> int:
    if db.session.scalars(select(Board).where(Board.join_code == DEMO_BOARD_CODE)).first():
        return 0
    facilitator = user_by_email("margus.facilitator@koosloome.example")
    board = Board(
        join_code=DEMO_BOARD_CODE,
        title="Rõuge päevakeskus",
        question="Kuidas me saaksime teha päevakeskusest koha, kuhu eakad tahavad tulla?",
        intro_et="Kirjuta iga mõte eraldi kaardile. Hääletada saab kolm korda.",
        intro_en="Write each thought on its own card. You have three votes.",
        phase=BoardPhase.VOTING,
        event=events["koosloome-tootuba-rouge"],
        organisation=orgs["vpk"],
        created_by_id=facilitator.id if facilitator else None,
    )
    add_default_columns(board)
    db.session.add(board)
    voters = [
        BoardParticipant(board=board, display_name=name)
        for name in ("Mari", "Jaan", "Aino", "Ene", "Rein")
    ]
    db.session.add_all(voters)
    db.session.flush()
    for position, (column, text, votes) in enumerate(BOARD_IDEAS):
        idea = Idea(
            board=board,
            column=board.columns[column],
            text=text,
            participant=voters[position % len(voters)],
        )
        db.session.add(idea)
        db.session.flush()
        for voter in voters[:votes]:
            db.session.add(Vote(board_id=board.id, idea=idea, participant_id=voter.id))
    db.session.flush()
    return 1


DEMO_FEEDBACK = [
    (5, "Rõuge näide oli väga praktiline", "yes", "yes"),
    (4, "Arutelu laudades", "yes", "not_needed"),
    (4, "", "yes", "partly"),
    (3, "Uued kontaktid", "no", "yes"),
    (5, "Kuulmissilmus töötas hästi", "yes", "yes"),
]


def _ensure_feedback(events: dict[str, Event]) -> int:
    """A survey with answers for the past seminar (for the summary and the evidence pack)."""
    past = events["vabatahtlike-seminar-elva"]
    if db.session.scalars(select(FeedbackSurvey).where(FeedbackSurvey.event_id == past.id)).first():
        return 0
    survey = FeedbackSurvey(event=past, code="ELVA24")
    survey.questions = [
        FeedbackQuestion(position=i, **question) for i, question in enumerate(DEFAULT_QUESTIONS)
    ]
    db.session.add(survey)
    db.session.flush()
    by_key = {question.key: question.id for question in survey.questions}
    for usefulness, most_useful, recommend, access in DEMO_FEEDBACK:
        values = {
            "usefulness": usefulness,
            "most_useful": most_useful,
            "recommend": recommend,
            "accessibility": access,
        }
        response = FeedbackResponse(survey=survey, source=ResponseSource.PAPER)
        response.answers = [
            FeedbackAnswer(question_id=by_key[key], value=value)
            for key, value in values.items()
            if value
        ]
        db.session.add(response)
    db.session.flush()
    return 1


def _ensure_collecting_board(orgs: dict[str, Organisation]) -> int:
    """A small board in the collecting phase, with two ideas and a theme."""
    code = DEMO_COLLECTING_BOARD_CODE
    if db.session.scalars(select(Board).where(Board.join_code == code)).first():
        return 0
    facilitator = user_by_email("margus.facilitator@koosloome.example")
    board = Board(
        join_code=code,
        title="Kogukonnabuss",
        question="Kuidas me saaksime aidata eakatel külast linna asju ajama sõita?",
        intro_et="Kirjuta iga mõte eraldi. Hääletama hakkame pärast kohvipausi.",
        intro_en="Write each thought separately. We vote after the coffee break.",
        phase=BoardPhase.COLLECTING,
        organisation=orgs["vpk"],
        created_by_id=facilitator.id if facilitator else None,
    )
    add_default_columns(board)
    board.themes.append(Theme(name="Transport", position=0))
    db.session.add(board)
    writer = BoardParticipant(board=board, display_name="Helju")
    db.session.add(writer)
    db.session.flush()
    db.session.add_all([
        Idea(board=board, column=board.columns[0], participant=writer,
             text="Bussi trepp on liiga kõrge", theme=board.themes[0]),
        Idea(board=board, column=board.columns[1], participant=writer,
             text="Vabatahtlikud autojuhid külas", theme=board.themes[0]),
    ])
    db.session.flush()
    return 1


def load_demo(instance_path: str, timezone: str) -> DemoResult:
    """Create whatever demo data is missing; the caller commits."""
    tz = ZoneInfo(timezone)
    passwords = _passwords(instance_path)
    orgs = ensure_partners()
    created = _users(orgs, passwords)
    events, new_events = _ensure_events(tz, orgs)
    created += new_events
    created += _ensure_registrations(events)
    created += _ensure_applications(events)
    created += ensure_selection(events["oppereis-rootsi"])
    created += _ensure_trip_report(events)
    created += _ensure_arrangements(events, orgs)
    created += _ensure_calls(events)
    created += _ensure_group(events)
    created += _ensure_board(events, orgs)
    created += _ensure_feedback(events)
    created += _ensure_collecting_board(orgs)
    return DemoResult(_logins(passwords), created)


def existing_demo_logins(instance_path: str) -> tuple[DemoLogin, ...]:
    """The demo logins, when the demo data was loaded here before (else none)."""
    path = Path(instance_path) / DEMO_LOGINS_FILE
    if not path.exists() or user_by_email(DEMO_ADMIN_EMAIL) is None:
        return ()
    return _logins(_passwords(instance_path))


def looks_like_production(base_url: str) -> bool:
    """An instance served over https is taken for a real one: demo data (made-up people,
    logins printed on a terminal) must not land there by accident."""
    return base_url.lower().startswith("https://")


def database_is_empty() -> bool:
    """No events yet: ``make run`` loads the demo data only then."""
    return db.session.scalar(select(func.count(Event.id))) == 0
