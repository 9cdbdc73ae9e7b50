"""The LEADER report for a period and a partner: what the funder asks for, in aggregate.

``load_inputs`` runs a fixed number of queries and returns plain rows; ``build_report`` is a
pure function from those rows to the report's tables, which the page, CSV, XLSX and PDF share.

Counting rules (judgements, stated on the page too):
- an event is *held* when it is published (not a draft, not cancelled), starts in the period
  and has ended; one still to come is *planned* and counted apart;
- *participants* of an event are those checked in when check-in was used there, otherwise the
  confirmed registrations; people at several events count once per event;
- self-declared reach and accommodations are health-related or personal: any cell under 3 is
  shown as "<3", and when a table would then hide just one cell, the next smallest is hidden
  too, so that the small number cannot be worked out from the total.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from koosloome.accounts.models import Organisation
from koosloome.boards.models import Board, BoardParticipant, Idea, Vote
from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind, EventStatus
from koosloome.extensions import db
from koosloome.i18n import format_date, format_money, format_number
from koosloome.outcomes.labels import FUNDING_LABELS, STATUS_LABELS, TARGET_GROUP_LABELS
from koosloome.outcomes.models import Action
from koosloome.privacy import tally
from koosloome.privacy.tally import HealthTally
from koosloome.projects.budget import PartnerFigures, budget_figures, spent_by_line
from koosloome.projects.services import the_project
from koosloome.registrations.choices import AGE_BANDS, EARLIER_AGE_BANDS, GENDERS
from koosloome.registrations.models import (
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.reports.labels import (
    AGE_BAND_LABELS,
    COUNTY_LABELS,
    GENDER_LABELS,
    KIND_LABELS,
    NOT_STATED,
    SECTOR_LABELS,
    label,
)
from koosloome.reports.tabular import Sheet

PARTNERS = ("all", "vpk", "tas")
SUPPRESS_BELOW = 3
SMALL = "<3"
HIDDEN = "x"


#: What the funder calls accommodations: need codes, plus companions and transport.
ACCOMMODATIONS = (
    ("sign_language", _l("Estonian Sign Language interpreter")),
    ("captions", _l("Speech-to-text (live captions)")),
    ("hearing_loop", _l("Hearing loop")),
    ("audio_description", _l("Audio description")),
    ("easy_read", _l("Materials in easy-to-read language")),
    ("large_print", _l("Materials in large print")),
    ("wheelchair", _l("Wheelchair users")),
    ("transport", _l("Transport from home")),
    ("companion", _l("Companions or personal assistants (free seat)")),
)
ACCOMMODATION_NEED_CODES = tuple(code for code, _label in ACCOMMODATIONS[:7])


class Money(Decimal):
    """An amount of euros (formatted "12 743,68 €")."""


class Percent(Decimal):
    """A share, 0–100 (formatted "70,8 %")."""


@dataclass(frozen=True)
class ReportFilter:
    """The period (local dates, both included) and the partner ("all", "vpk" or "tas")."""

    start: date
    end: date
    partner: str = "all"


@dataclass
class EventRow:
    """An event in the period, with what the report needs of it."""

    id: int
    title: str
    kind: EventKind
    starts_at: datetime
    organiser: str
    organiser_slug: str
    cancelled: bool
    actual_cost: Decimal | None
    #: False while the event is still to come (or under way): planned, not held
    ended: bool = True

    @property
    def held(self) -> bool:
        """Took place: not cancelled, and over."""
        return self.ended and not self.cancelled


@dataclass(frozen=True)
class ParticipantRow:
    """One confirmed registration (or checked-in walk-in) of an event in the period."""

    registration_id: int
    event_id: int
    checked_in: bool
    county: str | None
    municipality: str | None
    sector: str | None
    gender: str | None
    age_band: str | None
    has_disability: bool | None
    companion: bool
    transport: bool
    #: the health answers are deleted; their counts are in ``Inputs.tallies``
    health_purged: bool = False
    organisation: str = ""


@dataclass(frozen=True)
class TallyRow:
    """Counts of health answers kept for an event after the answers were deleted."""

    event_id: int
    dimension: str
    value: str
    count: int
    checked_in: int


@dataclass(frozen=True)
class BoardRow:
    """An idea board linked to an event of the period."""

    title: str
    event_id: int
    ideas: int
    votes: int
    participants: int


@dataclass
class Inputs:
    """Everything the report is computed from."""

    events: list[EventRow] = field(default_factory=list)
    participants: list[ParticipantRow] = field(default_factory=list)
    needs: list[tuple[int, str]] = field(default_factory=list)
    boards: list[BoardRow] = field(default_factory=list)
    tallies: list[TallyRow] = field(default_factory=list)
    #: (status, target group, funding source or None) of each action the boards' ideas became
    actions: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: each partner's budget against the costs spent in the period; None without a project
    budget: list[PartnerFigures] | None = None


@dataclass
class ReportTable:
    """One table of the report; cells are int, Money, Percent or text."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class LeaderReport:
    """The report: its filter and its tables in order."""

    filter: ReportFilter
    partner_name: str
    tables: list[ReportTable]


# --- loading ----------------------------------------------------------------------------


def default_period() -> tuple[date, date]:
    """The period the report opens with: the project's, when one is recorded; else from the
    first event's day to today, so that it shows what has happened so far."""
    project = the_project()
    if project is not None:
        return project.starts_on, project.ends_on
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    first = db.session.scalar(select(func.min(Event.starts_at)).where(
        Event.status != EventStatus.DRAFT))
    today = utcnow().astimezone(zone).date()
    start = first.astimezone(zone).date() if first else today
    return min(start, today), today


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's local dates as UTC instants: [start 00:00, end + 1 day 00:00)."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return (
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )


def _partner_condition(partner_id: int | None) -> Any:
    if partner_id is None:
        return True
    return or_(Event.organisation_id == partner_id, Event.co_organiser_id == partner_id)


def load_inputs(report_filter: ReportFilter) -> Inputs:
    """Events, participants, accommodation needs and boards of the period (5 queries)."""
    organisations = {org.id: org for org in db.session.scalars(select(Organisation))}
    partner_id = next(
        (org.id for org in organisations.values() if org.slug == report_filter.partner), None
    )
    begin, end = _utc_bounds(report_filter.start, report_filter.end)
    now = utcnow()
    event_condition = and_(
        Event.starts_at >= begin,
        Event.starts_at < end,
        Event.status != EventStatus.DRAFT,
        _partner_condition(partner_id),
    )
    events = [
        EventRow(
            id=event_id, title=title, kind=kind, starts_at=starts_at,
            organiser=organisations[organisation_id].short_name,
            organiser_slug=organisations[organisation_id].slug,
            cancelled=status is EventStatus.CANCELLED, actual_cost=cost, ended=ends_at <= now,
        )
        for event_id, title, kind, starts_at, ends_at, organisation_id, status, cost
        in db.session.execute(
            select(Event.id, Event.title_et, Event.kind, Event.starts_at, Event.ends_at,
                   Event.organisation_id, Event.status, Event.actual_cost)
            .where(event_condition)
            .order_by(Event.starts_at, Event.id)
        )
    ]
    held_ids = select(Event.id).where(event_condition, Event.status == EventStatus.PUBLISHED,
                                      Event.ends_at <= now)
    attending = and_(
        Registration.event_id.in_(held_ids),
        or_(
            Registration.status == RegistrationStatus.CONFIRMED,
            and_(Registration.source == RegistrationSource.WALK_IN,
                 Registration.checked_in_at.is_not(None)),
        ),
    )
    participants = [
        ParticipantRow(row[0], row[1], row[2] is not None, *row[3:-2], row[-2] is not None,
                       row[-1])
        for row in db.session.execute(
            select(
                Registration.id, Registration.event_id, Registration.checked_in_at,
                Registration.county, Registration.municipality, Registration.sector,
                Registration.gender, Registration.age_band, Registration.has_disability,
                Registration.companion, Registration.transport_needed,
                Registration.health_purged_at, Registration.organisation_name,
            ).where(attending)
        )
    ]
    tallies = [
        TallyRow(kept.event_id, kept.dimension, kept.value, kept.count, kept.checked_in)
        for kept in db.session.scalars(
            select(HealthTally).where(HealthTally.event_id.in_(held_ids)))
    ]
    needs = [
        (registration_id, code)
        for registration_id, code in db.session.execute(
            select(RegistrationNeed.registration_id, RegistrationNeed.code).where(
                RegistrationNeed.code.in_(ACCOMMODATION_NEED_CODES),
                RegistrationNeed.registration_id.in_(select(Registration.id).where(attending)),
            )
        )
    ]
    ideas = (
        select(func.count(Idea.id))
        .where(Idea.board_id == Board.id, Idea.hidden.is_(False), Idea.merged_into_id.is_(None))
        .scalar_subquery()
    )
    votes = select(func.count(Vote.id)).where(Vote.board_id == Board.id).scalar_subquery()
    people = (
        select(func.count(BoardParticipant.id))
        .where(BoardParticipant.board_id == Board.id, BoardParticipant.proxy.is_(False))
        .scalar_subquery()
    )
    boards = [
        BoardRow(title, event_id, idea_count, vote_count, participant_count)
        for title, event_id, idea_count, vote_count, participant_count in db.session.execute(
            select(Board.title, Board.event_id, ideas, votes, people)
            .where(Board.event_id.in_(held_ids))
            .order_by(Board.id)
        )
    ]
    actions = [(status.value, group.value, funding.value if funding else None)
               for status, group, funding in db.session.execute(
                   select(Action.status, Action.target_group, Action.funding)
                   .join(Board, Board.id == Action.board_id)
                   .where(Board.event_id.in_(held_ids)).order_by(Action.id))]
    project = the_project()
    budget = None if project is None else budget_figures(
        project, spent_by_line(project, report_filter.start, report_filter.end), partner_id)
    return Inputs(events, participants, needs, boards, tallies, actions, budget)


# --- pure aggregation -------------------------------------------------------------------


def suppress(counts: Sequence[int]) -> list[int | str]:
    """Hide cells under 3 as "<3"; if that hides exactly one cell of several, hide the next
    smallest as "x" too (otherwise total minus the others gives the hidden number away)."""
    shown: list[int | str] = [SMALL if count < SUPPRESS_BELOW else count for count in counts]
    hidden = [index for index, value in enumerate(shown) if value == SMALL]
    visible = [index for index, value in enumerate(shown) if value != SMALL]
    if len(hidden) == 1 and visible:
        smallest = min(visible, key=lambda index: counts[index])
        shown[smallest] = HIDDEN
    return shown


def _participants_by_event(rows: Iterable[ParticipantRow]) -> dict[int, list[ParticipantRow]]:
    by_event: dict[int, list[ParticipantRow]] = defaultdict(list)
    for row in rows:
        by_event[row.event_id].append(row)
    return by_event


def counted_participants(rows: Iterable[ParticipantRow]) -> list[ParticipantRow]:
    """Those checked in at events where check-in was used; elsewhere everyone confirmed."""
    chosen = []
    for event_rows in _participants_by_event(rows).values():
        if any(row.checked_in for row in event_rows):
            chosen += [row for row in event_rows if row.checked_in]
        else:
            chosen += event_rows
    return chosen


def _share(part: Decimal, whole: Decimal) -> Percent:
    return Percent((part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> Money:
    return Money(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _events_table(inputs: Inputs) -> ReportTable:
    held: Counter[EventKind] = Counter()
    planned: Counter[EventKind] = Counter()
    cancelled: Counter[EventKind] = Counter()
    for event in inputs.events:
        tally = cancelled if event.cancelled else held if event.ended else planned
        tally[event.kind] += 1
    rows: list[list[Any]] = [
        [str(KIND_LABELS[kind]), held[kind], planned[kind], cancelled[kind]]
        for kind in EventKind
    ]
    rows.append([_("Total"), sum(held.values()), sum(planned.values()), sum(cancelled.values())])
    return ReportTable("events", _("Events held by kind"),
                       [_("Kind"), _("Held"), _("Planned"), _("Cancelled")], rows,
                       note=_("Held: published, not cancelled, and over by the time of the "
                              "report. Planned: still to come."))


def _attendance_table(inputs: Inputs) -> ReportTable:
    by_event = _participants_by_event(inputs.participants)
    rows: list[list[Any]] = []
    registered_total = attended_total = 0
    for event in inputs.events:
        if not event.held:
            continue
        people = by_event.get(event.id, [])
        registered = len(people)
        attended = sum(row.checked_in for row in people)
        registered_total += registered
        attended_total += attended
        rows.append([format_date(event.starts_at), event.title, str(KIND_LABELS[event.kind]),
                     event.organiser, registered, attended])
    rows.append([_("Total"), "", "", "", registered_total, attended_total])
    return ReportTable(
        "attendance", _("Registrations and attendance"),
        [_("Date"), _("Event"), _("Kind"), _("Organiser"), _("Registered"), _("Attended")],
        rows,
        note=_("Attended: checked in at the door. Where check-in was not used, the number is 0."),
    )


def _breakdown(inputs: Inputs, key: str, title: str, heading: str,
               names: dict[Any, Any] | None) -> ReportTable:
    registered: Counter[str] = Counter()
    attended: Counter[str] = Counter()
    for row in inputs.participants:
        value = getattr(row, key) or ""
        registered[value] += 1
        attended[value] += row.checked_in
    def name(value: str) -> str:
        if not value:
            return str(NOT_STATED)
        return label(names, value) if names is not None else value
    order = sorted(registered, key=lambda value: (value == "", name(value).casefold()))
    rows: list[list[Any]] = [[name(value), registered[value], attended[value]]
                             for value in order]
    return ReportTable(key, title, [heading, _("Registered"), _("Attended")], rows)


def _kept_counts(inputs: Inputs, participants: list[ParticipantRow],
                 dimension: str) -> dict[str, Counter[int]]:
    """value → {event: count} of the answers kept in tallies, chosen as
    ``counted_participants`` chooses people (only the checked-in where check-in was used)."""
    check_in_used = {row.event_id for row in participants if row.checked_in}
    kept: dict[str, Counter[int]] = defaultdict(Counter)
    for row in inputs.tallies:
        if row.dimension == dimension:
            count = row.checked_in if row.event_id in check_in_used else row.count
            if count:
                kept[row.value][row.event_id] += count
    return kept


_DISABILITY_ANSWER = {"yes": True, "no": False, "unsaid": None}


def _reach_table(inputs: Inputs, participants: list[ParticipantRow]) -> ReportTable:
    rows: list[list[Any]] = []
    dimensions: list[tuple[str, list[tuple[Any, str]], str]] = [
        (_("Gender"), [(code, str(GENDER_LABELS[code])) for code, _label in GENDERS], "gender"),
        (_("Age"), [(code, str(AGE_BAND_LABELS[code])) for code, _label in AGE_BANDS],
         "age_band"),
        (_("Has a disability"), [(True, _("yes")), (False, _("no"))], "has_disability"),
    ]
    kept = _kept_counts(inputs, participants, tally.DISABILITY)
    for dimension, options, attribute in dimensions:
        counts = Counter(getattr(row, attribute) for row in participants
                         if attribute != "has_disability" or not row.health_purged)
        if attribute == "has_disability":
            for value, per_event in kept.items():
                counts[_DISABILITY_ANSWER.get(value)] += per_event.total()
        if attribute == "age_band":
            options += [(code, str(AGE_BAND_LABELS[code])) for code, _label in EARLIER_AGE_BANDS
                         if counts[code]]
        values = [code for code, _name in options]
        cells = [counts[code] for code in values]
        cells.append(sum(count for code, count in counts.items() if code not in values))
        names = [name for _code, name in options] + [str(NOT_STATED)]
        for name, shown in zip(names, suppress(cells), strict=True):
            rows.append([dimension, name, shown])
    return ReportTable(
        "reach", _("Target-group reach (self-declared)"),
        [_("Question"), _("Answer"), _("Participants")], rows,
        note=_("Optional answers, counted per participation. Numbers under 3 are shown as "
               "“<3”; “x” hides one more number so that a small one cannot be worked out."),
    )


def _accommodations_table(inputs: Inputs, participants: list[ParticipantRow]) -> ReportTable:
    counted = {row.registration_id: row for row in participants}
    people: Counter[str] = Counter()
    events: dict[str, set[int]] = defaultdict(set)
    for registration_id, code in inputs.needs:
        if registration_id in counted:
            people[code] += 1
            events[code].add(counted[registration_id].event_id)
    for row in participants:
        for code, wanted in (("transport", row.transport and not row.health_purged),
                             ("companion", row.companion)):
            if wanted:
                people[code] += 1
                events[code].add(row.event_id)
    for code, per_event in _kept_counts(inputs, participants, tally.NEED).items():
        people[code] += per_event.total()
        events[code].update(per_event)
    shown = suppress([people[code] for code, _label in ACCOMMODATIONS])
    rows: list[list[Any]] = [
        [str(name), len(events[code]), count]
        for (code, name), count in zip(ACCOMMODATIONS, shown, strict=True)
    ]
    return ReportTable(
        "accommodations", _("Accommodations provided"),
        [_("Accommodation"), _("Events"), _("Participants")], rows,
        note=_("From the needs people told us. The answers themselves are deleted some time "
               "after each event; their counts are kept for this report."),
    )


def _boards_table(inputs: Inputs) -> ReportTable:
    titles = {event.id: event.title for event in inputs.events}
    rows: list[list[Any]] = [
        [board.title, titles.get(board.event_id, ""), board.ideas, board.votes,
         board.participants]
        for board in inputs.boards
    ]
    rows.append([_("Total"), "", sum(b.ideas for b in inputs.boards),
                 sum(b.votes for b in inputs.boards),
                 sum(b.participants for b in inputs.boards)])
    return ReportTable("boards", _("Idea-board outcomes"),
                       [_("Board"), _("Event"), _("Ideas"), _("Votes"), _("Participants")],
                       rows)


def _actions_table(inputs: Inputs) -> ReportTable:
    """What the workshops' ideas became: actions by status, target group and funding."""
    rows: list[list[Any]] = []
    for heading, position, labels in ((_("Status"), 0, STATUS_LABELS),
                                      (_("For whom"), 1, TARGET_GROUP_LABELS),
                                      (_("Funding"), 2, FUNDING_LABELS)):
        counts = Counter(action[position] for action in inputs.actions)
        for key, words in labels.items():
            if counts[key.value]:
                rows.append([heading, str(words), counts[key.value]])
        if position == 2 and counts[None]:
            rows.append([heading, _("Not known yet"), counts[None]])
    rows.append([_("Total"), "", len(inputs.actions)])
    return ReportTable("actions", _("What came of the ideas: actions"),
                       [_("Counted by"), _("Value"), _("Actions")], rows)


def _budget_table(inputs: Inputs) -> ReportTable:
    rows: list[list[Any]] = []
    for partner in inputs.budget or []:
        organiser = partner.partner.organisation.short_name
        # A budget not split into lines is one sum: its total row says it all.
        for line in partner.lines if partner.partner.lines else []:
            rows.append([organiser, line.name or _("On no budget line"),
                         _money(line.planned) if line.line is not None else "",
                         _money(line.actual),
                         _money(line.remaining) if line.line is not None else ""])
        rows.append([organiser, _("Total"), _money(partner.planned), _money(partner.actual),
                     _money(partner.remaining)])
        support, own = partner.partner.leader_support, partner.partner.own_contribution
        if support is not None and own is not None and partner.planned:
            assert partner.leader_actual is not None and partner.own_actual is not None
            rows.append([organiser, _("LEADER support"), _money(support),
                         _money(partner.leader_actual), _share(support, partner.planned)])
            rows.append([organiser, _("Own contribution"), _money(own),
                         _money(partner.own_actual), _share(own, partner.planned)])
    note = _("Planned: the project's budget (for the whole project). Actual: the costs spent "
             "in this period. LEADER support of the actual costs at the planned rate.")
    if inputs.budget is None:
        note = _("No project is recorded yet: an admin enters it, with its budget, on the "
                 "project page.")
    return ReportTable(
        "budget", _("Budget: planned and actual"),
        [_("Partner"), _("Budget line"), _("Planned"), _("Actual"), _("Remaining / share")],
        rows, note=note,
    )


def build_report(report_filter: ReportFilter, inputs: Inputs, partner_name: str) -> LeaderReport:
    """All tables of the report, computed from the loaded rows."""
    participants = counted_participants(inputs.participants)
    tables = [
        _events_table(inputs),
        _attendance_table(inputs),
        _breakdown(inputs, "county", _("By county"), _("County"), COUNTY_LABELS),
        _breakdown(inputs, "municipality", _("By municipality"), _("Municipality"), None),
        _breakdown(inputs, "sector", _("By sector"), _("Sector"), SECTOR_LABELS),
        _reach_table(inputs, participants),
        _accommodations_table(inputs, participants),
        _boards_table(inputs),
        _actions_table(inputs),
        _budget_table(inputs),
    ]
    return LeaderReport(report_filter, partner_name, tables)


def leader_report(report_filter: ReportFilter) -> LeaderReport:
    """Load and build the report for the filter."""
    names = {"all": _("Both partners"), "vpk": "Võrumaa Partnerluskogu",
             "tas": "Tartumaa Arendusselts"}
    return build_report(report_filter, load_inputs(report_filter), names[report_filter.partner])


# --- output -------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as people read it, in the current language's formats."""
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, Percent):
        return format_number(value) + "\u00a0%"
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_number(value)
    return "" if value is None else str(value)


def is_number(value: Any) -> bool:
    """Whether a cell sits in a numeric column (right-aligned, narrow)."""
    return isinstance(value, int | Decimal) or value in (SMALL, HIDDEN, "")


def report_sheets(report: LeaderReport, *, typed: bool) -> list[Sheet]:
    """The tables as sheets: typed cells (numbers stay numbers) for XLSX, text for CSV."""
    def convert(value: Any) -> Any:
        if typed:
            if isinstance(value, Money | Percent):
                return float(value)
            return value
        return cell_text(value)
    return [
        Sheet(table.title, table.header, [[convert(cell) for cell in row] for row in table.rows])
        for table in report.tables
    ]


def period_text(report_filter: ReportFilter) -> str:
    """``01.07.2024–30.06.2025``."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(report_filter.start, time(12), tzinfo=zone)
    end = datetime.combine(report_filter.end, time(12), tzinfo=zone)
    return f"{format_date(start)}–{format_date(end)}"
