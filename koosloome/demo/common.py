"""What several parts of the demo share: wall-clock times relative to today, and the first
day of each study trip that both the events and the trips' itineraries are dated from.

What is still to come is dated from today, so that the demo always has events to register
for. What has taken place is the project's past season, on fixed days inside its period
(1 July 2024 – 30 June 2025, as the founding document plans it), so that the LEADER report
and the indicators of the project's period show it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TALLINN = ZoneInfo("Europe/Tallinn")


def days_from_today(day: date) -> int:
    """How many days ``day`` is from today in Estonia (negative: in the past)."""
    return (day - datetime.now(TALLINN).date()).days


#: The project's past season (see above): the Elva seminar, the two workshops and the trip.
ELVA_SEMINAR_DAY = date(2024, 10, 17)
ANTSLA_WORKSHOP_DAY = date(2024, 11, 20)
ELVA_WORKSHOP_DAY = date(2025, 2, 13)
#: The first day of each study trip, in days from today: Sweden takes applications, the
#: Austria trip took place in the project's season (Czechia, to come, has its offers out).
SWEDEN_DAY = 75
AUSTRIA_DAY = days_from_today(date(2025, 5, 12))


def local_time(tz: ZoneInfo, days: int, hour: int, minute: int = 0) -> datetime:
    """Today + ``days`` at a wall-clock time in Estonia, as an aware datetime."""
    day = datetime.now(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
