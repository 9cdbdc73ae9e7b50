"""The demo events: the seminars, the workshop and the three study trips, the Võru
seminar's agenda and the questions a study trip asks its applicants."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.db import utcnow
from koosloome.demo.common import (
    AUSTRIA_DAY,
    ELVA_SEMINAR_DAY,
    SWEDEN_DAY,
    days_from_today,
    local_time,
)
from koosloome.events.models import (
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    ExtraQuestion,
    QuestionKind,
    RegistrationMode,
    TripDay,
)
from koosloome.extensions import db
from koosloome.venues.models import Venue

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
            "starts_at": local_time(tz, 12, 10),
            "ends_at": local_time(tz, 12, 15),
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
            "starts_at": local_time(tz, 16, 13),
            "ends_at": local_time(tz, 16, 16, 30),
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
            "starts_at": local_time(tz, 20, 11),
            "ends_at": local_time(tz, 20, 15),
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
            "starts_at": local_time(tz, AUSTRIA_DAY, 6),
            "ends_at": local_time(tz, AUSTRIA_DAY + 2, 22),
            "capacity": 10,
            "registration_closes_at": local_time(tz, AUSTRIA_DAY - 60, 23, 59),
            # The chosen had three days to say yes; the flights were booked 45 days ahead.
            "offer_hours": 72,
            "offer_cutoff_at": local_time(tz, AUSTRIA_DAY - 45, 16),
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
            "starts_at": local_time(tz, 35, 6),
            "ends_at": local_time(tz, 38, 22),
            "capacity": 4,
            "registration_closes_at": local_time(tz, -5, 23, 59),
            # Three days to say yes; the flights are booked two weeks before, so no later.
            "offer_hours": 72,
            "offer_cutoff_at": local_time(tz, 21, 16),
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
            "starts_at": local_time(tz, SWEDEN_DAY, 8),
            "ends_at": local_time(tz, SWEDEN_DAY + 3, 15),
            "capacity": 20,
            "registration_closes_at": local_time(tz, 30, 23, 59),
            # Three days to say yes; the ferry cabins and the hotel are booked 25 days ahead.
            "offer_hours": 72,
            "offer_cutoff_at": local_time(tz, SWEDEN_DAY - 25, 16),
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
            "starts_at": local_time(tz, days_from_today(ELVA_SEMINAR_DAY), 10),
            "ends_at": local_time(tz, days_from_today(ELVA_SEMINAR_DAY), 14),
            "capacity": 30,
            "venue": "elva",
            **TARTU_CONTACT,
        },
    ]


def _voru_agenda(tz: ZoneInfo) -> list[dict[str, Any]]:
    return [
        {"starts_at": local_time(tz, 12, 10), "title_et": "Tervitus ja tutvustus",
         "title_en": "Welcome and introductions", "speaker": "Kadri Kuusk",
         "room_et": "Suur saal", "room_en": "Main hall"},
        {"starts_at": local_time(tz, 12, 10, 30), "title_et": "Eakate osalemine kogukonnas: uuring",
         "title_en": "Older people taking part in communities: a study",
         "speaker": "Tartu Ülikool", "room_et": "Suur saal", "room_en": "Main hall"},
        {"starts_at": local_time(tz, 12, 12), "title_et": "Lõuna", "title_en": "Lunch"},
        {"starts_at": local_time(tz, 12, 13), "title_et": "Arutelu laudades",
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


def ensure_events(tz: ZoneInfo, orgs: dict[str, Organisation], venues: dict[str, Venue],
                  itineraries: dict[str, Callable[[ZoneInfo], list[TripDay]]],
                  ) -> tuple[dict[str, Event], int]:
    """The demo events by slug, each created once at its venue (with its agenda,
    questions and itinerary), and how many were new."""
    created = 0
    events: dict[str, Event] = {}
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
            if spec["slug"] in itineraries:
                event.itinerary = itineraries[spec["slug"]](tz)
            db.session.add(event)
            created += 1
        events[spec["slug"]] = event
    db.session.flush()
    return events, created
