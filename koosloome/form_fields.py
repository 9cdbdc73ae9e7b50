"""Form fields several domains' forms share: yes / no / not stated, counts and texts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation

YES_NO_UNKNOWN = [
    SelectChoice("", _l("Not stated")),
    SelectChoice("yes", _l("Yes")),
    SelectChoice("no", _l("No")),
]


class TriStateField(SelectField):
    """Yes / no / not stated, stored as True / False / None."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, choices=YES_NO_UNKNOWN, validators=[Optional()], **kwargs)

    def process_data(self, value: Any) -> None:
        """Accept the model's bool/None."""
        self.data = {True: "yes", False: "no"}.get(value, value if isinstance(value, str) else "")

    def as_bool(self) -> bool | None:
        """The answer as stored in the model."""
        return {"yes": True, "no": False}.get(self.data or "")


class ClockTimeField(TimeField):
    """A time of day (``09:30``) whose error is in the reader's language (WTForms' own
    "Not a valid time value." is not translated)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse ``HH:MM``; anything else is an error beside the field."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the time as hours and minutes, like 09:30")) from None


def count_field(label: Any, maximum: int = 100_000) -> IntegerField:
    """An optional whole number from 0 to ``maximum``."""
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=maximum)])


def text_field(label: Any, length: int, required: bool = False) -> StringField:
    """A one-line text of at most ``length`` characters."""
    first = InputRequired(_l("This field is required")) if required else Optional()
    return StringField(label, validators=[first, Length(max=length)])


def long_text_field(label: Any, length: int) -> TextAreaField:
    """An optional text of several lines."""
    return TextAreaField(label, validators=[Optional(), Length(max=length)])


def show_rule_errors(form: Any, errors: dict[str, list[str]]) -> None:
    """Show a service's rule errors beside their fields (above the form when no field)."""
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = [*field.errors, *messages]


def chosen_id(value: Any) -> int | None:
    """An optional select's chosen id: None for "none" ("" or blanks, which ``Optional``
    lets through unchecked)."""
    text = (value or "").strip() if isinstance(value, str) else value
    return int(text) if text else None


def finite(_form: Any, field: Any) -> None:
    """WTForms validator: a decimal field's number is a number ("NaN" and "Infinity" parse as
    decimals, pass every range check and fail only when stored)."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        field.data = None
        raise StopValidation(_l("Enter a number"))
