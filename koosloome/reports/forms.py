"""Filter forms of the reports (sent with GET, so they carry no CSRF token)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from koosloome.form_dates import within_years

PARTNER_CHOICES = [
    SelectChoice("all", _l("Both partners")),
    SelectChoice("vpk", "Võrumaa Partnerluskogu"),
    SelectChoice("tas", "Tartumaa Arendusselts"),
]
#: Longer periods are refused: the project runs one year; ten allow for follow-up reports.
MAX_DAYS = 3660


class GetForm(FlaskForm):
    """A filter form read from the query string."""

    class Meta:
        csrf = False


class LeaderReportForm(GetForm):
    """The period and the partner of the LEADER report."""

    start = DateField(_l("From"), validators=[InputRequired(_l("Enter the first day")),
                                              within_years])
    end = DateField(_l("To"), validators=[InputRequired(_l("Enter the last day")),
                                          within_years])
    partner = RadioField(_l("Partner"), choices=PARTNER_CHOICES, default="all",
                         validators=[InputRequired(_l("Choose a partner"))])

    def validate_end(self, field: Any) -> None:
        """The last day comes on or after the first, within ten years."""
        start: date | None = self.start.data
        if start and field.data:
            if field.data < start:
                raise ValidationError(_l("The last day must be the same as or after the first"))
            if (field.data - start).days > MAX_DAYS:
                raise ValidationError(_l("Choose a period of at most ten years"))


class AuditFilterForm(GetForm):
    """Filters of the audit log; choices for user, action and event are filled by the view."""

    user = SelectField(_l("Who"), validators=[Optional()], coerce=str)
    action = SelectField(_l("Action"), validators=[Optional()], coerce=str)
    event = SelectField(_l("Event"), validators=[Optional()], coerce=str)
    start = DateField(_l("From"), validators=[Optional(), within_years])
    end = DateField(_l("To"), validators=[Optional(), within_years])

    def validate_end(self, field: Any) -> None:
        """The last day comes on or after the first."""
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The last day must be the same as or after the first"))
