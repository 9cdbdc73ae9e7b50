"""The public list of events, one page at a time: what narrows it (kind, county, partner,
month) and the page asked for, in a fixed number of queries however many events there are
(a COUNT, then one LIMIT/OFFSET page; never every event)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from koosloome.accounts.models import Organisation
from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind, EventStatus
from koosloome.extensions import db
from koosloome.registrations.choices import COUNTIES
from koosloome.venues.models import Venue

#: County codes in the order the choice lists give them.
COUNTY_CODES = tuple(code for code, _label in COUNTIES)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_NUMBER = re.compile(r"[0-9]+")
#: Years a month filter may name: beyond these the zone arithmetic has no meaning (or room).
_YEARS = range(2000, 3000)
#: The month list offers at most this many months from now: a page stays light even when
#: an event is entered years ahead (a later month still works from the address).
MONTH_CHOICES = 12
#: A page number past this is taken for "the last page" (no offset overflows a database).
_LAST_PAGE_ASKED = 10**9
#: What the API may ask for in one page.
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Filters:
    """What narrows the list; ``None``: not narrowed that way."""

    kind: EventKind | None = None
    county: str | None = None
    partner: Organisation | None = None
    #: The first day of the month (Estonian time): events on during that month.
    month: date | None = None

    @property
    def active(self) -> bool:
        """Anything chosen at all."""
        return any(value is not None for value in (self.kind, self.county, self.partner,
                                                   self.month))

    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links that keep them (page links)."""
        values = {"kind": self.kind.value if self.kind else None, "county": self.county,
                  "partner": self.partner.slug if self.partner else None,
                  "month": self.month.strftime("%Y-%m") if self.month else None}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class ReadFilters:
    """The filters understood, and a message for each argument that was not (left out)."""

    filters: Filters
    problems: dict[str, str] = field(default_factory=dict)


def read_filters(args: Mapping[str, str], partners: Sequence[Organisation]) -> ReadFilters:
    """Filters from query arguments (``kind``, ``county``, ``partner``: a partner's slug,
    ``month``: YYYY-MM). A value that names nothing is left out and its problem noted: the
    pages ignore it, the API answers with the problems."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if kind := args.get("kind"):
        try:
            values["kind"] = EventKind(kind)
        except ValueError:
            problems["kind"] = _("Choose one of: %(values)s",
                                 values=", ".join(kind.value for kind in EventKind))
    if county := args.get("county"):
        if county in COUNTY_CODES:
            values["county"] = county
        else:
            problems["county"] = _("Choose one of: %(values)s", values=", ".join(COUNTY_CODES))
    if partner := args.get("partner"):
        found = next((org for org in partners if org.slug == partner), None)
        if found is not None:
            values["partner"] = found
        else:
            problems["partner"] = _("Choose one of: %(values)s",
                                    values=", ".join(org.slug for org in partners))
    if month := args.get("month"):
        values["month"] = parse_month(month)
        if values["month"] is None:
            problems["month"] = _("Give a month as YYYY-MM, such as 2026-03")
    return ReadFilters(Filters(**{k: v for k, v in values.items() if v is not None}), problems)


def parse_month(value: str) -> date | None:
    """``2026-03`` → 1 March 2026; ``None`` for anything else (``2026-13``, ``March``)."""
    match = _MONTH.fullmatch(value)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if year not in _YEARS or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def parse_page(value: str | None) -> int | None:
    """A page number from the address: 1, 2, … (a huge one is the last page); ``None`` for
    anything that is no positive whole number."""
    if value is None or not _NUMBER.fullmatch(value):
        return None
    number = int(value) if len(value) <= 9 else _LAST_PAGE_ASKED
    return number if number >= 1 else None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in Estonian time (what "March" means to a reader)."""
    return datetime.combine(day, time(), ZoneInfo(current_app.config["TIMEZONE"]))


def _narrowed(query: Select[Any], filters: Filters) -> Select[Any]:
    """``query`` with the filters' conditions (subqueries: no join to alias or repeat)."""
    if filters.kind is not None:
        query = query.where(Event.kind == filters.kind)
    if filters.county is not None:
        query = query.where(
            Event.venue_id.in_(select(Venue.id).where(Venue.county == filters.county)))
    if filters.partner is not None:
        partner_id = filters.partner.id
        query = query.where(or_(Event.organisation_id == partner_id,
                                Event.co_organiser_id == partner_id))
    if filters.month is not None:
        # Events on during the month: begun before it ends, not ended before it begins.
        query = query.where(Event.starts_at < _local_start(_next_month(filters.month)),
                            Event.ends_at > _local_start(filters.month))
    return query


def _listed(upcoming: bool, now: datetime) -> list[Any]:
    """Published events; with ``upcoming`` only those not over at ``now``."""
    conditions: list[Any] = [Event.status == EventStatus.PUBLISHED]
    if upcoming:
        conditions.append(Event.ends_at > now)
    return conditions


@dataclass(frozen=True)
class EventPage:
    """One page of the list, and where it stands among the others."""

    events: list[Event]
    #: this page's number (1-based) and how many pages there are (at least 1)
    number: int
    pages: int
    #: events matching the filters, on all pages
    total: int
    per_page: int

    @property
    def previous(self) -> int | None:
        """The number of the page before, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The number of the page after, if any."""
        return self.number + 1 if self.number < self.pages else None

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to link: the first, the last, this one and its neighbours; ``None``
        where numbers are left out (shown as "…"; never for just one number)."""
        near = (1, self.number - 1, self.number, self.number + 1, self.pages)
        wanted = sorted({number for number in near if 1 <= number <= self.pages})
        numbers: list[int | None] = []
        last = 0
        for number in wanted:
            if number - last == 2:
                numbers.append(number - 1)
            elif number - last > 2:
                numbers.append(None)
            numbers.append(number)
            last = number
        return numbers


def event_page(filters: Filters, number: int, per_page: int, *, upcoming: bool = True,
               clamp: bool = True, now: datetime | None = None) -> EventPage:
    """Page ``number`` of the events ``filters`` leave, soonest first. Past the last page:
    the last page with ``clamp`` (a page), else no events (the API: an empty page)."""
    conditions = _listed(upcoming, now or utcnow())
    total = db.session.scalar(
        _narrowed(select(func.count(Event.id)).where(*conditions), filters)) or 0
    pages = max(1, -(-total // per_page))
    if clamp:
        number = min(number, pages)
    if total == 0 or number > pages:
        return EventPage([], number, pages, total, per_page)
    query = (_narrowed(select(Event).where(*conditions), filters)
             .order_by(Event.starts_at, Event.id)
             .limit(per_page).offset((number - 1) * per_page))
    return EventPage(list(db.session.scalars(query)), number, pages, total, per_page)


@dataclass(frozen=True)
class Choices:
    """What the filter form offers beyond the kinds and partners: the counties upcoming
    events are held in, and the months from now to the last upcoming event's."""

    counties: list[str]
    months: list[date]


def filter_choices(chosen: Filters, now: datetime | None = None) -> Choices:
    """The counties and months worth offering, from one grouped query (a row per county);
    what ``chosen`` names is offered too (it stays selected)."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Venue.county, func.max(Event.starts_at))
        .select_from(Event).outerjoin(Venue, Event.venue_id == Venue.id)
        .where(*_listed(True, now)).group_by(Venue.county)
    ).all()
    held_in = {county for county, _last in rows if county}
    counties = [code for code in COUNTY_CODES if code in held_in or code == chosen.county]
    latest = max((last for _county, last in rows if last is not None), default=None)
    months = _months(now, latest)
    if chosen.month is not None and chosen.month not in months:
        months = sorted([*months, chosen.month])
    return Choices(counties, months)


def _months(now: datetime, latest: datetime | None) -> list[date]:
    """First days of the months from this one to ``latest``'s (Estonian time), at most
    ``MONTH_CHOICES``."""
    if latest is None:
        return []
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    month = now.astimezone(zone).date().replace(day=1)
    last = max(month, latest.astimezone(zone).date().replace(day=1))
    months = [month]
    while months[-1] < last and len(months) < MONTH_CHOICES:
        months.append(_next_month(months[-1]))
    return months
