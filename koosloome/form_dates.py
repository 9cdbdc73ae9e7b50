"""Dates and times typed into forms: the range of years they may fall in, and local times
that the clock skips or shows twice.

Beyond the range a date is a typing slip, and at the very ends (year 1, year 9999) it cannot
even be converted between time zones or have a day added: the error must be the form's, not
a 500. A local time in the spring gap does not exist, and one in the autumn's repeated hour
means two moments; moving either silently would put an event an hour off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_error() -> Any:
    """The message for a date outside the range (lazy: translated where it is shown)."""
    return _l("Enter a date between the years %(first)s and %(last)s",
              first=FIRST_YEAR, last=LAST_YEAR)


def within_years(_form: Any, field: Any) -> None:
    """WTForms validator: the field's date lies within FIRST_YEAR … LAST_YEAR."""
    value = field.data
    if isinstance(value, date | datetime) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(year_error())


def local_moment(naive: datetime, zone: ZoneInfo) -> datetime:
    """``naive`` read as a wall-clock time in ``zone``; ValueError (a translated message) when
    the clock skips that time or shows it twice."""
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise ValueError(_l(
            "The clocks go forward that night and %(time)s does not exist: choose another time",
            time=naive.strftime("%H:%M")))
    raise ValueError(_l(
        "The clocks go back that night and %(time)s comes twice: choose another time, or give "
        "the offset (like +03:00 or +02:00)", time=naive.strftime("%H:%M")))
