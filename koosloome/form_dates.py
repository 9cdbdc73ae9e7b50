"""The range of years a date typed into any form may fall in.

Beyond it a date is a typing slip, and at the very ends (year 1, year 9999) it cannot even be
converted between time zones or have a day added: the error must be the form's, not a 500.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
