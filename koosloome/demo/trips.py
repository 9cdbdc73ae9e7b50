"""The study trips beyond their events: the Austria and Sweden itineraries, the applications
waiting for the Sweden trip (its selection is in ``selection``), and what the Austria trip
cost and its report. Who went to Austria and who goes to Czechia are in ``registrations``."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from koosloome.accounts.services import user_by_email
from koosloome.db import utcnow
from koosloome.demo.common import AUSTRIA_DAY, SWEDEN_DAY
from koosloome.demo.people import add_registration
from koosloome.events.models import Event, StepFree, TripDay, TripStop
from koosloome.extensions import db
from koosloome.projects.costs import local_day
from koosloome.projects.models import Cost, CostCategory
from koosloome.projects.services import default_line, the_project
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.trips.models import TripReport


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


def ensure_applications(events: dict[str, Event]) -> int:
    """The Sweden trip's applications, waiting for the organisers to choose."""
    sweden = events["oppereis-rootsi"]
    if db.session.scalar(select(func.count(Registration.id))
                         .where(Registration.event_id == sweden.id)):
        return 0
    for index, days_ago, why, use, leader in SWEDEN_APPLICATIONS:
        add_registration(sweden, index, RegistrationStatus.PENDING, answers=(why, use, leader),
                         sent_at=utcnow() - timedelta(days=days_ago, hours=index))
    db.session.flush()
    return 1


#: What the Austria trip cost (8 travellers and 2 organisers): (category, amount, supplier,
#: note, paid how many days before the trip). The suppliers are examples.
AUSTRIA_COSTS = (
    (CostCategory.TRANSPORT, "2800.00", "Reisibüroo (näidis)",
     "Lennupiletid Tallinn–Viin–Tallinn, 10 inimest", 30),
    (CostCategory.TRANSPORT, "1650.00", "Bussifirma (näidis)",
     "Buss tõstukiga Tartu–Tallinn ja tagasi; buss Austrias kolmeks päevaks", 14),
    (CostCategory.ACCOMMODATION, "1900.00", "Hotell Grazis (näidis)", "2 ööd, 10 inimest", 21),
    (CostCategory.CATERING, "1350.00", "Toitlustajad (näidis)",
     "Lõunad ja õhtusöögid kolmel päeval", 0),
    (CostCategory.HOSTS, "600.00", "Kogukonnakeskus ja külaühistu (näidis)",
     "Vastuvõtjate tasu kahe külastuse eest", 0),
    (CostCategory.INSURANCE, "120.00", "Kindlustusselts (näidis)",
     "Reisikindlustus, 10 inimest", 7),
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


def ensure_trip_report(events: dict[str, Event]) -> int:
    """After the Austria trip: its actual costs by category (their sum is its actual cost)
    and its published report; what was learned at each stop is in its itinerary."""
    austria = events["oppereis-austria"]
    if austria.ends_at > utcnow() or db.session.scalar(
            select(TripReport.id).where(TripReport.event_id == austria.id)):
        return 0  # not over yet (a demo loaded before it was moved), or done
    line = default_line(the_project(), austria.organisation_id, austria.kind)
    costs = [Cost(event_id=austria.id, organisation_id=austria.organisation_id,
                  budget_line_id=line.id if line else None,
                  spent_on=local_day(austria.starts_at) - timedelta(days=days_before),
                  category=category, amount=Decimal(amount), supplier=supplier, note=note)
             for category, amount, supplier, note, days_before in AUSTRIA_COSTS]
    db.session.add_all(costs)
    austria.actual_cost = sum((cost.amount for cost in costs), Decimal(0))
    published = min(austria.ends_at + timedelta(days=10), utcnow())
    db.session.add(TripReport(event_id=austria.id, published_at=published, **AUSTRIA_REPORT))
    db.session.flush()
    return 1


#: Who leads each trip (and so alone sees its travellers' emergency contacts).
TRIP_LEADERS = {"oppereis-tsehhi": "tiina.organiser@koosloome.example",
                "oppereis-austria": "tiina.organiser@koosloome.example",
                "oppereis-rootsi": "kadri.organiser@koosloome.example"}


def ensure_trip_leaders(events: dict[str, Event]) -> int:
    """Each trip's leader, where none is named yet."""
    named = 0
    for slug, email in TRIP_LEADERS.items():
        trip, leader = events.get(slug), user_by_email(email)
        if trip is not None and leader is not None and trip.trip_leader_id is None:
            trip.trip_leader_id = leader.id
            named = 1
    db.session.flush()
    return named
