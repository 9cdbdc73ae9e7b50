"""How a trip's itinerary reads: its days, each stop's time where it is (and in Estonia when
the clocks differ), the country in the reader's language, what walking and steps it asks.

A description module: it reads models and formats, and changes nothing (pages, e-mails and
calendar invitations all read the itinerary through it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from flask import current_app
from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from koosloome.bilingual import localised
from koosloome.events.models import Event, StepFree, TripDay, TripStop
from koosloome.i18n import format_day, format_number

STEP_FREE_LABELS = {
    StepFree.YES: _l("Step-free"),
    StepFree.PARTLY: _l("Partly step-free"),
    StepFree.NO: _l("Steps, no step-free way"),
    StepFree.UNKNOWN: _l("Step-free access not checked yet"),
}


# --- Countries and zones ------------------------------------------------------------------


@cache
def _territory_zones() -> dict[str, list[str]]:
    return dict(get_global("territory_zones"))


def known_country(code: str) -> bool:
    """Whether ``code`` is a country with a time zone (ISO 3166 alpha-2)."""
    return len(code) == 2 and code.isalpha() and bool(_territory_zones().get(code.upper()))


def country_zone(code: str) -> ZoneInfo:
    """The zone of a country (its first, for a country with several)."""
    zones = _territory_zones().get(code.upper()) or [current_app.config["TIMEZONE"]]
    return ZoneInfo(zones[0])


def country_name(code: str, language: str) -> str:
    """``Rootsi`` / ``Sweden``."""
    return Locale.parse(language).territories.get(code.upper(), code)


def stop_moment(day: TripDay, stop: TripStop) -> datetime:
    """The moment of a stop: its day and time in its country's zone."""
    return datetime.combine(day.day, stop.at, tzinfo=country_zone(stop.country))


def trip_dates(event: Event) -> list[date]:
    """Every local day the event touches, first to last."""
    first = to_user_timezone(event.starts_at).date()
    last = to_user_timezone(event.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]



# --- Shown to people --------------------------------------------------------------------


@dataclass(frozen=True)
class StopView:
    """A stop as a reader sees it, in one language."""

    stop: TripStop
    time: str
    #: "Swedish time" when the stop's clock differs from Estonia's that day, else "".
    zone_note: str
    place: str
    address: str
    country: str
    map_url: str
    host: str
    learning: str
    transport: str
    meals: str
    walking: str
    step_free: str
    access_note: str


@dataclass(frozen=True)
class DayView:
    """A day as a reader sees it: "Day 2, Monday 1 February 2027: Prague"."""

    day: TripDay
    number: int
    date: str
    title: str
    overnight: str
    stops: list[StopView]


def _zone_note(day: TripDay, stop: TripStop, language: str) -> str:
    moment = stop_moment(day, stop)
    home = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    if moment.utcoffset() == home.utcoffset():
        return ""
    with force_locale(language):
        return _("local time in %(country)s; in Estonia %(time)s",
                 country=country_name(stop.country, language), time=home.strftime("%H:%M"))


def _stop_view(day: TripDay, stop: TripStop, language: str) -> StopView:
    with force_locale(language):
        walking = (_("About %(metres)s m on foot", metres=format_number(stop.walking_m, language))
                   if stop.walking_m is not None else "")
        step_free = str(STEP_FREE_LABELS[stop.step_free])
    return StopView(
        stop=stop, time=stop.at.strftime("%H:%M"), zone_note=_zone_note(day, stop, language),
        place=localised(stop, "place", language), address=stop.address,
        country=country_name(stop.country, language), map_url=stop.map_url, host=stop.host,
        learning=localised(stop, "learning", language),
        transport=localised(stop, "transport", language),
        meals=localised(stop, "meals", language), walking=walking, step_free=step_free,
        access_note=localised(stop, "access_note", language),
    )


def itinerary_view(event: Event, language: str) -> list[DayView]:
    """The itinerary in ``language`` (a missing English text falls back to the Estonian)."""
    first = trip_dates(event)[0]
    return [
        DayView(day=day, number=(day.day - first).days + 1, date=format_day(day.day, language),
                title=localised(day, "title", language),
                overnight=localised(day, "overnight", language),
                stops=[_stop_view(day, stop, language) for stop in day.stops])
        for day in event.itinerary
    ]


def itinerary_lines(event: Event, language: str) -> list[str]:
    """The itinerary as plain lines, for e-mails and calendar invitations."""
    lines: list[str] = []
    with force_locale(language):
        for day in itinerary_view(event, language):
            heading = _("Day %(number)s, %(date)s", number=day.number, date=day.date)
            lines.append(f"{heading}: {day.title}" if day.title else heading)
            for stop in day.stops:
                time_text = f"{stop.time} ({stop.zone_note})" if stop.zone_note else stop.time
                where = ", ".join(part for part in (stop.place, stop.country) if part)
                lines.append(f"  {time_text} {where}")
            if day.overnight:
                lines.append("  " + _("Night: %(place)s", place=day.overnight))
    return lines



def day_labels(event: Event, language: str = "et") -> list[tuple[str, str]]:
    """Each itinerary day as (its date, "Day 2: Stockholm"), for day-by-day sheets."""
    with force_locale(language):
        return [(day.date, _("Day %(number)s", number=day.number)
                 + (f": {day.title}" if day.title else ""))
                for day in itinerary_view(event, language)]
