"""Form fields several domains' forms share: yes / no / not stated, counts and texts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

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
