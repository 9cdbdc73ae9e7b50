"""The project record as the founding document gives it, and the costs of its past season.

The figures are the seed's (as of 18.06.2024): VPK 42 000 €, not split into lines there;
TAS 18 000 € = LEADER 12 743,68 € + own 5 256,32 €, in two lines: inspiration seminars
5 000 € and the study trip abroad 13 000 €. The seed names no indicator targets: the demo's
are examples, there to show how far the season got."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.demo.common import ANTSLA_WORKSHOP_DAY, ELVA_SEMINAR_DAY, ELVA_WORKSHOP_DAY
from koosloome.demo.receipts import ensure_receipts
from koosloome.events.models import Event, EventKind
from koosloome.extensions import db
from koosloome.projects.models import (
    BudgetLine,
    Cost,
    CostCategory,
    Indicator,
    IndicatorTarget,
    Project,
    ProjectPartner,
)
from koosloome.projects.services import default_line, the_project

PROJECT = {"name_et": "Koosloomest koostööni", "name_en": "From co-creation to cooperation",
           "code": "",
           "note_et": "Näitajate sihttasemed on näidised: projekti alusdokument neid ei nimeta. "
           "Võrumaa Partnerluskogu eelarve on üks summa, ridadeks jaotamata.",
           "note_en": "The indicators' targets are examples: the project's founding document "
           "names none. Võrumaa Partnerluskogu's budget is one sum, not split into lines."}
#: partner → (budget, LEADER support or None, lines as (et, en, planned, kind))
BUDGETS = {
    "vpk": ("42000.00", None, ()),
    "tas": ("18000.00", "12743.68", (
        ("Inspiratsiooniseminarid", "Inspiration seminars", "5000.00", EventKind.SEMINAR),
        ("Õppereis välisriiki", "Study trip abroad", "13000.00", EventKind.STUDY_TRIP))),
}
#: Example targets (the seed sets none).
TARGETS = {Indicator.EVENTS_HELD: 12, Indicator.PARTICIPANTS: 250,
           Indicator.TARGET_GROUP_PARTICIPANTS: 60, Indicator.ORGANISATIONS: 40,
           Indicator.ACTIONS_STARTED: 4, Indicator.SERVICES_LAUNCHED: 2}
#: The past season's costs besides the trip's: (event slug, category, amount, supplier, note,
#: paid how many days after the event). The suppliers are examples.
SEASON_COSTS = (
    ("vabatahtlike-seminar-elva", CostCategory.VENUE, "120.00", "Elva Kultuurikeskus (näidis)",
     "Saali rent, 4 tundi", 5),
    ("vabatahtlike-seminar-elva", CostCategory.CATERING, "255.00", "Kohvik (näidis)",
     "Kohvipaus ja lõuna, 30 inimest", 5),
    ("vabatahtlike-seminar-elva", CostCategory.SPEAKERS, "400.00",
     "Tartu Ülikooli teadur (näidis)", "Ettekanne vabatahtlike võrgustikest", 12),
    ("vabatahtlike-seminar-elva", CostCategory.INTERPRETING, "180.00",
     "Tõlkebüroo (näidis)", "Viipekeele tõlk, 4 tundi", 12),
    ("koosloome-tootuba-antsla", CostCategory.VENUE, "80.00", "Antsla kultuurimaja (näidis)",
     "Ruumi rent", 3),
    ("koosloome-tootuba-antsla", CostCategory.CATERING, "150.00", "Kohvik (näidis)",
     "Lõuna, 20 inimest", 3),
    ("koosloome-tootuba-antsla", CostCategory.TRANSPORT, "220.00", "Vedaja (näidis)",
     "Tõstukiga buss küladest ja tagasi", 7),
    ("koosloome-tootuba-antsla", CostCategory.MATERIALS, "45.60", "Raamatupood (näidis)",
     "Kleepmärkmed, markerid, suures kirjas töölehed", 0),
    ("koosloome-tootuba-elva", CostCategory.CATERING, "110.00", "Kohvik (näidis)",
     "Kohvipaus, 15 inimest", 2),
)
SEASON_DAYS = {"vabatahtlike-seminar-elva": ELVA_SEMINAR_DAY,
               "koosloome-tootuba-antsla": ANTSLA_WORKSHOP_DAY,
               "koosloome-tootuba-elva": ELVA_WORKSHOP_DAY}


def ensure_project(orgs: dict[str, Organisation]) -> int:
    """The project with the seed's period, partners, budgets and lines, and example targets."""
    if the_project() is not None:
        return 0
    project = Project(starts_on=date(2024, 7, 1), ends_on=date(2025, 6, 30),
                      lead_partner_id=orgs["vpk"].id, **PROJECT)
    for slug, (budget, support, lines) in BUDGETS.items():
        partner = ProjectPartner(organisation_id=orgs[slug].id, budget=Decimal(budget),
                                 leader_support=Decimal(support) if support else None)
        partner.lines = [BudgetLine(name_et=et, name_en=en, planned=Decimal(planned),
                                    event_kind=kind, position=position)
                         for position, (et, en, planned, kind) in enumerate(lines)]
        project.partners.append(partner)
    project.targets = [IndicatorTarget(indicator=indicator, target=target)
                       for indicator, target in TARGETS.items()]
    db.session.add(project)
    db.session.flush()
    return 1


def ensure_season_costs() -> int:
    """What the seminar and the workshops of the past season cost (the trip's are with the
    trip), once; the Elva workshop's coffee went on TAS's seminars line."""
    project = the_project()
    events = {event.slug: event for event in db.session.scalars(
        select(Event).where(Event.slug.in_(SEASON_DAYS)))}
    if project is None or len(events) < len(SEASON_DAYS) or db.session.scalar(
            select(Cost.id).where(Cost.event_id.in_([e.id for e in events.values()]))):
        return 0
    seminars = default_line(project, events["vabatahtlike-seminar-elva"].organisation_id,
                            EventKind.SEMINAR)
    for slug, category, amount, supplier, note, days_after in SEASON_COSTS:
        event = events[slug]
        line = default_line(project, event.organisation_id, event.kind) or seminars
        db.session.add(Cost(
            organisation_id=event.organisation_id, event_id=event.id,
            budget_line_id=line.id if line else None,
            spent_on=SEASON_DAYS[slug] + timedelta(days=days_after), category=category,
            amount=Decimal(amount), supplier=supplier, note=note))
    db.session.flush()
    for event in events.values():
        event.actual_cost = sum((c.amount for c in db.session.scalars(
            select(Cost).where(Cost.event_id == event.id))), Decimal(0))
    austria = db.session.scalar(select(Event.id).where(Event.slug == "oppereis-austria"))
    ensure_receipts([*(event.id for event in events.values()), austria])
    return 1
