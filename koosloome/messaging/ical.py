"""Calendar output as pure functions: plain data in, RFC 5545 bytes (or calendar links) out.

Invites follow iTIP (RFC 5546) as carried by e-mail (iMIP, RFC 6047): ``METHOD:REQUEST`` for a
new or updated booking, ``METHOD:CANCEL`` with the same UID and a higher SEQUENCE to remove it.
The public feed and the per-event download use ``METHOD:PUBLISH`` and name no attendees.

The VTIMEZONE is built here from the zone's own transitions (``zoneinfo``, i.e. tzdata) rather
than taken from the icalendar package: its generated Europe/Tallinn zone was seen to put the
March change an hour off, and a calendar trusts the VTIMEZONE over its own rules.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from icalendar import (
    Alarm,
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
)
from icalendar import Event as VEvent

PRODID = "-//Koosloome//Koosloome events//ET"
#: How often subscribed calendars should fetch the public feed again.
FEED_REFRESH = timedelta(hours=6)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """Someone named in an invite: the organising team or the participant."""

    name: str
    email: str


@dataclass(frozen=True)
class CalendarEntry:
    """What a calendar needs to know about one occurrence of an event, already in one language."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    organizer: Person | None = None
    attendee: Person | None = None
    #: Whether the attendee holds a confirmed seat (PARTSTAT=ACCEPTED) or not yet.
    attendee_confirmed: bool = True
    #: A reminder the person's own calendar shows the day before (VALARM), in their language;
    #: empty for none (the public feed: subscribers set their own).
    alarm: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def parameter_text(value: str) -> str:
    """A value safe inside a quoted iCalendar parameter such as CN.

    RFC 5545 forbids DQUOTE and control characters in parameter values; RFC 6868's ``^'``
    escapes are not understood by Outlook or vobject, so quotes become apostrophes instead.
    """
    return " ".join(_CONTROL.sub(" ", value).replace('"', "'").split())


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = parameter_text(person.name) or person.email
    for key, value in params.items():
        address.params[key] = value
    return address


# --- VTIMEZONE from tzdata ------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One change of a zone's UTC offset, at ``at`` (UTC)."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool

    @property
    def local_start(self) -> datetime:
        """The wall-clock moment of the change in the old offset (VTIMEZONE's DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _find_change(zone: ZoneInfo, start: datetime, end: datetime) -> datetime:
    """The first instant in (start, end] whose offset differs from ``start``'s (bisection)."""
    before = start.astimezone(zone).utcoffset()
    while end - start > timedelta(seconds=1):
        middle = start + (end - start) / 2
        if middle.astimezone(zone).utcoffset() == before:
            start = middle
        else:
            end = middle
    return end.replace(microsecond=0)


def transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[Transition]:
    """Every offset change of ``zone`` from 1 January ``first_year`` to the end of ``last_year``."""
    found = []
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(days=7)  # tzdata never changes a zone's offset twice within a week
    while moment < stop:
        following = min(moment + step, stop)
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            at = _find_change(zone, moment, following)
            local = at.astimezone(zone)
            found.append(
                Transition(
                    at=at,
                    offset_from=(at - timedelta(seconds=1)).astimezone(zone).utcoffset()
                    or timedelta(0),
                    offset_to=local.utcoffset() or timedelta(0),
                    name=local.tzname() or "",
                    is_dst=bool(local.dst()),
                )
            )
        moment = following
    return found


def _yearly_rule(group: Sequence[Transition]) -> dict[str, object] | None:
    """An RRULE when every change falls on the same weekday-of-month at the same time, as
    today's EU rule ("last Sunday of March at 03:00") does; otherwise None (use RDATEs)."""
    shapes = set()
    for item in group:
        local = item.local_start
        from_end = -1 - (_days_in_month(local) - local.day) // 7
        shapes.add((local.month, local.weekday(), from_end, local.time()))
    if len(shapes) != 1 or len(group) < 2:
        return None
    month, weekday, from_end, _time = shapes.pop()
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{from_end}{day}"}


def _days_in_month(moment: datetime) -> int:
    following = moment.replace(day=28) + timedelta(days=4)
    return (following - timedelta(days=following.day)).day


def _observance(change: Transition, rule: dict[str, object] | None) -> TimezoneStandard:
    """The STANDARD or DAYLIGHT sub-component that starts with ``change``."""
    part = TimezoneDaylight() if change.is_dst else TimezoneStandard()
    part.add("dtstart", change.local_start)
    if rule is not None:
        part.add("rrule", rule)
    part.add("tzoffsetfrom", change.offset_from)
    part.add("tzoffsetto", change.offset_to)
    part.add("tzname", change.name)
    return part


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``tzid`` covering the given years, derived from tzdata."""
    zone = ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    changes = transitions(zone, first_year, last_year)
    if not changes:  # a zone without daylight saving time: one STANDARD rule
        start = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(zone)
        standard = TimezoneStandard()
        standard.add("dtstart", start.replace(tzinfo=None, month=1, day=1, hour=0, minute=0))
        standard.add("tzoffsetfrom", start.utcoffset())
        standard.add("tzoffsetto", start.utcoffset())
        standard.add("tzname", start.tzname())
        component.add_component(standard)
        return component
    groups: dict[tuple[bool, timedelta, timedelta, str], list[Transition]] = {}
    for change in changes:
        key = (change.is_dst, change.offset_from, change.offset_to, change.name)
        groups.setdefault(key, []).append(change)
    for group in groups.values():
        rule = _yearly_rule(group)
        # An open-ended RRULE (as Google and Outlook write them) only for a rule still in force
        # at the end of the range; otherwise one sub-component per change, which every parser
        # reads alike (dateutil, behind vobject, misreads RDATE lists and UNTIL).
        if rule is not None and group[-1].at.year == last_year:
            component.add_component(_observance(group[0], rule))
        else:
            for change in group:
                component.add_component(_observance(change, None))
    return component


# --- Calendars --------------------------------------------------------------------------------


def _vevent(entry: CalendarEntry, zone: ZoneInfo, stamp: datetime) -> VEvent:
    event = VEvent()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.summary)
    if entry.location:
        event.add("location", entry.location)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    if entry.organizer:
        event.add("organizer", _address(entry.organizer))
    if entry.attendee:
        partstat = "ACCEPTED" if entry.attendee_confirmed else "TENTATIVE"
        event.add(
            "attendee",
            _address(
                entry.attendee, ROLE="REQ-PARTICIPANT", PARTSTAT=partstat, RSVP="FALSE"
            ),
        )
    for key, value in entry.extra.items():
        event.add(key, value)
    if entry.alarm and not entry.cancelled:
        event.add_component(_day_before(entry.alarm))
    return event


#: When the invitation's alarm goes off: a day before the start.
ALARM_BEFORE = timedelta(days=1)


def _day_before(text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _calendar(
    method: str,
    entries: Sequence[CalendarEntry],
    tzid: str,
    stamp: datetime,
    properties: Iterable[tuple[str, object]] = (),
    skip_broken: bool = False,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for key, value in properties:
        calendar.add(key, value)
    zone = ZoneInfo(tzid)
    if entries:
        years = [entry.starts_at.astimezone(zone).year for entry in entries]
        years += [entry.ends_at.astimezone(zone).year for entry in entries]
        calendar.add_component(vtimezone(tzid, min(years) - 1, max(years) + 1))
    for entry in entries:
        try:
            calendar.add_component(_vevent(entry, zone, stamp))
        except ValueError as exc:
            if not skip_broken:
                raise
            # One bad record must not take the feed down for everyone: leave it out, say so.
            log.error("calendar entry %s left out of the feed: %s", entry.uid, exc)
    return calendar.to_ical()


def invite(entry: CalendarEntry, tzid: str, stamp: datetime) -> bytes:
    """An iMIP invitation (``METHOD:REQUEST``), or its update when SEQUENCE is higher."""
    return _calendar("REQUEST", [entry], tzid, stamp)


def cancellation(entry: CalendarEntry, tzid: str, stamp: datetime) -> bytes:
    """An iMIP cancellation (``METHOD:CANCEL``): same UID, a higher SEQUENCE, STATUS:CANCELLED."""
    return _calendar("CANCEL", [_cancelled(entry)], tzid, stamp)


def _cancelled(entry: CalendarEntry) -> CalendarEntry:
    return CalendarEntry(
        **{**entry.__dict__, "cancelled": True, "extra": dict(entry.extra)}
    )


def published(
    entries: Sequence[CalendarEntry], tzid: str, stamp: datetime, name: str = ""
) -> bytes:
    """A ``METHOD:PUBLISH`` calendar: a subscribable feed (with ``name``) or a single download."""
    properties: list[tuple[str, object]] = []
    if name:
        properties += [
            ("name", name),
            ("x-wr-calname", name),
            ("x-wr-timezone", tzid),
        ]
        # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL.
        refresh = vDuration(FEED_REFRESH)
        refresh.params["VALUE"] = "DURATION"
        properties.append(("refresh-interval", refresh))
        properties.append(("x-published-ttl", vDuration(FEED_REFRESH)))
    return _calendar("PUBLISH", entries, tzid, stamp, properties, skip_broken=len(entries) > 1)


# --- "Add to calendar" links ----------------------------------------------------------------


def _utc_compact(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(entry: CalendarEntry, tzid: str) -> str:
    """A Google Calendar "create event" link filled with ``entry``."""
    query = {
        "action": "TEMPLATE",
        "text": entry.summary,
        "dates": f"{_utc_compact(entry.starts_at)}/{_utc_compact(entry.ends_at)}",
        "details": entry.description,
        "location": entry.location,
        "ctz": tzid,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(entry: CalendarEntry) -> str:
    """An Outlook.com "new event" deep link filled with ``entry``."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.summary,
        "startdt": entry.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": entry.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": entry.description,
        "location": entry.location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
