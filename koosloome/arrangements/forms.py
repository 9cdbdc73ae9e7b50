"""The forms of arrangements, volunteers and pick-ups; the JSON API feeds the same forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    RadioField,
    SelectChoice,
    SelectField,
    TelField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from koosloome.arrangements.kinds import STATUS_LABELS
from koosloome.arrangements.models import ArrangementStatus
from koosloome.form_fields import ClockTimeField, finite, long_text_field, text_field

NOBODY = SelectChoice("", _l("Nobody yet"))


def _id_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class ArrangementForm(FlaskForm):
    """What was done about one kind of need, who answers for it and what it cost."""

    status = RadioField(_l("Status"), choices=[SelectChoice(s.value, label) for s, label
                                               in STATUS_LABELS.items()],
                        validators=[InputRequired(_l("Choose the status"))])
    reason = long_text_field(_l("Why it cannot be arranged (the people who asked are told)"),
                             1000)
    responsible_id = SelectField(_l("Responsible"), coerce=_id_or_none,
                                 validators=[Optional()])
    volunteer_id = SelectField(_l("Volunteer helping"), coerce=_id_or_none,
                               validators=[Optional()])
    supplier = text_field(_l("Supplier"), 200)
    cost = DecimalField(_l("Cost (€), added to the event's actual cost"), places=2,
                        validators=[Optional(), finite, NumberRange(min=Decimal(0),
                                                            max=Decimal("99999999.99"))])
    note = long_text_field(_l("Note"), 2000)

    def set_people(self, staff: list[tuple[int, str]],
                   volunteers: list[tuple[int, str]]) -> None:
        """The staff and volunteers who can be chosen."""
        self.responsible_id.choices = [NOBODY, *(SelectChoice(str(i), n) for i, n in staff)]
        self.volunteer_id.choices = [NOBODY,
                                     *(SelectChoice(str(i), n) for i, n in volunteers)]

    def values(self, only: set[str] | None = None) -> dict[str, Any]:
        """Field values ready for the model (of the fields the form still has)."""
        return {name: _model_value(name, field.data) for name, field in self._fields.items()
                if name != "csrf_token" and (only is None or name in only)}


def _model_value(name: str, value: Any) -> Any:
    if name == "status":
        return ArrangementStatus(value)
    if isinstance(value, str):
        return value.strip()
    return value


class VolunteerForm(FlaskForm):
    """A volunteer, kept with their consent."""

    name = text_field(_l("Name"), 200, required=True)
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)],
                     render_kw={"autocomplete": "off"})
    email = text_field(_l("E-mail"), 254)
    can_help_with = long_text_field(_l("What they can help with"), 2000)
    active = BooleanField(_l("Active: can be asked for help"), default=True)
    consent = BooleanField(_l("They agreed that we keep these details to ask them for help"),
                           validators=[InputRequired(_l("Ask for their consent first"))])

    def validate_email(self, field: Any) -> None:
        """An address, if one is given."""
        if field.data:
            Email(_l("Enter a valid e-mail address"))(self, field)

    def values(self) -> dict[str, Any]:
        """Field values ready for the model."""
        return {"name": self.name.data.strip(), "phone": (self.phone.data or "").strip(),
                "email": (self.email.data or "").strip().lower(),
                "can_help_with": (self.can_help_with.data or "").strip(),
                "active": bool(self.active.data)}


class PickupForm(FlaskForm):
    """One person's ride: when, back again, the vehicle and the driver."""

    pickup_time = ClockTimeField(_l("Pick-up time"), validators=[Optional()])
    return_trip = BooleanField(_l("Return trip after the event"))
    return_time = ClockTimeField(_l("Return time"), validators=[Optional()])
    accessible_vehicle = BooleanField(_l("Wheelchair-accessible vehicle"))
    driver = SelectField(_l("Driver"), validators=[Optional()])
    note = text_field(_l("Note for the driver"), 300)

    def set_drivers(self, choices: list[tuple[str, str]]) -> None:
        """Staff and volunteers who can drive."""
        self.driver.choices = [NOBODY,
                               *(SelectChoice(key, name) for key, name in choices)]

    def values(self) -> dict[str, Any]:
        """Field values for ``pickups.save``."""
        return {"pickup_time": self.pickup_time.data, "return_trip": bool(self.return_trip.data),
                "return_time": self.return_time.data,
                "accessible_vehicle": bool(self.accessible_vehicle.data),
                "driver": self.driver.data or "", "note": (self.note.data or "").strip()}
