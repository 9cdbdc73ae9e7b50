"""What several parts of the demo share: wall-clock times relative to today, and the first
day of each study trip that both the events and the trips' itineraries are dated from."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The first day of each study trip, in days from today: Sweden takes applications, the
#: Austria trip has taken place (Czechia, in between, has its offers out).
SWEDEN_DAY = 75
AUSTRIA_DAY = -40


def local_time(tz: ZoneInfo, days: int, hour: int, minute: int = 0) -> datetime:
    """Today + ``days`` at a wall-clock time in Estonia, as an aware datetime."""
    day = datetime.now(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
