"""The event form: texts in both languages, time, capacity, registration, the venue chosen.

Used by the back office and, fed with the JSON body, by the API, so both check the same way.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from koosloome.events.models import EventKind, QuestionKind, RegistrationMode
from koosloome.form_dates import FIRST_YEAR, LAST_YEAR, local_moment, year_error
from koosloome.form_fields import TriStateField, finite, long_text_field, text_field

#: A switch is off for "no" too (the API sends JSON false as "no").
FALSE_VALUES = (False, "false", "", "no", "n", "0")

KIND_LABELS = {
    EventKind.SEMINAR: _l("Inspiration seminar"),
    EventKind.WORKSHOP: _l("Co-creation workshop"),
    EventKind.STUDY_TRIP: _l("Study trip"),
}


class ZonedDateTimeField(StringField):
    """A moment in time: ISO 8601 with an offset (API), or a local ``datetime-local`` value
    read as Estonian time (form). Stored as an aware datetime."""

    widget = DateTimeLocalInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the submitted text; an unparsable value is an error beside the field."""
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "") or ""
        text = text.strip()
        if not text:
            # Blank is no input: InputRequired must refuse it, as it would an empty field.
            self.raw_data = []
            self.data = None
            return
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            self.data = None
            raise ValueError(
                _l("Enter a date and time like 2026-12-08T10:00 or 2026-12-08T10:00+02:00")
            ) from exc
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.data = None
            raise ValueError(year_error())
        if value.tzinfo is None:
            try:
                value = local_moment(value, ZoneInfo(current_app.config["TIMEZONE"]))
            except ValueError:
                self.data = None
                raise
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if isinstance(self.data, datetime):
            local = self.data.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
            return local.strftime("%Y-%m-%dT%H:%M")
        return ""


class EventForm(FlaskForm):
    """Everything an organiser sets about an event."""

    # A required select starts with an empty choice (as the venue's does): HTML requires it,
    # and a new event then gets its kind chosen, never a silent default.
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("", _l("Choose the kind of event")),
            *(SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()),
        ],
        validators=[InputRequired(_l("Choose the kind of event"))],
    )
    title_et = text_field(_l("Title in Estonian"), 200, required=True)
    title_en = text_field(_l("Title in English"), 200)
    summary_et = long_text_field(_l("Summary in Estonian"), 500)
    summary_en = long_text_field(_l("Summary in English"), 500)
    easy_read_et = long_text_field(_l("Easy-to-read summary in Estonian"), 5000)
    easy_read_en = long_text_field(_l("Easy-to-read summary in English"), 5000)
    description_et = long_text_field(_l("Description in Estonian"), 20000)
    description_en = long_text_field(_l("Description in English"), 20000)
    starts_at = ZonedDateTimeField(_l("Starts"), validators=[InputRequired(_l("Enter the start"))])
    ends_at = ZonedDateTimeField(_l("Ends"), validators=[InputRequired(_l("Enter the end"))])
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Enter the number of seats")),
            NumberRange(min=0, max=100_000),
        ],
    )
    registration_mode = SelectField(
        _l("Registration"),
        choices=[
            SelectChoice(RegistrationMode.OPEN.value, _l("Open: first come, first served")),
            SelectChoice(
                RegistrationMode.APPLICATION.value, _l("By application: organisers choose")
            ),
        ],
        default=RegistrationMode.OPEN.value,
    )
    registration_opens_at = ZonedDateTimeField(_l("Registration opens"), validators=[Optional()])
    registration_closes_at = ZonedDateTimeField(_l("Registration closes"), validators=[Optional()])
    reminder_days = IntegerField(
        _l("Reminder, days before"), default=2, validators=[Optional(), NumberRange(min=0, max=60)]
    )
    offer_hours = IntegerField(
        _l("Hours to accept a free place"),
        validators=[Optional(), NumberRange(min=1, max=24 * 30)],
    )
    offer_cutoff_at = ZonedDateTimeField(_l("Last moment to accept a place"),
                                         validators=[Optional()])
    cost_per_person = DecimalField(
        _l("Cost per traveller (€)"), places=2,
        validators=[Optional(), finite, NumberRange(min=Decimal(0), max=Decimal(1_000_000))])
    own_contribution = DecimalField(
        _l("The traveller's own part (€)"), places=2,
        validators=[Optional(), finite, NumberRange(min=Decimal(0), max=Decimal(1_000_000))])
    travel_details = BooleanField(_l("Ask those who accept for their travel details"),
                                  false_values=FALSE_VALUES)
    travel_document_number = BooleanField(_l("The carrier needs the travel document's number"),
                                          false_values=FALSE_VALUES)
    feedback_url = URLField(
        _l("Feedback form link"), validators=[Optional(), Length(max=500), URL()]
    )
    co_organiser = SelectField(
        _l("Co-organiser"),
        choices=[SelectChoice("", _l("None"))],
        validators=[Optional()],
        validate_choice=False,
    )

    venue_id = SelectField(
        _l("Venue"),
        validators=[InputRequired(_l("Choose the venue"))],
        coerce=lambda value: "" if value is None else str(value),  # the event's id is an int
        validate_choice=False,  # the choices are the venues; the service checks the id
    )
    catering_et = text_field(_l("Catering in Estonian"), 500)
    catering_en = text_field(_l("Catering in English"), 500)
    access_notes_et = long_text_field(_l("Access information for this event, in Estonian"), 5000)
    access_notes_en = long_text_field(_l("Access information for this event, in English"), 5000)
    access_contact_name = text_field(_l("Access contact person"), 200)
    access_contact_phone = text_field(_l("Access contact phone"), 40)

    def values(self, only: set[str] | None = None) -> dict[str, Any]:
        """Field values ready for the model (enums, booleans, None for "not stated")."""
        values: dict[str, Any] = {}
        for name, field in self._fields.items():
            if name == "csrf_token" or (only is not None and name not in only):
                continue
            values[name] = _model_value(name, field)
        return values


_ENUMS = {
    "kind": EventKind,
    "registration_mode": RegistrationMode,
}
_TEXT_DEFAULT_EMPTY = {
    "title_en",
    "summary_et",
    "summary_en",
    "easy_read_et",
    "easy_read_en",
    "description_et",
    "description_en",
    "feedback_url",
    "catering_et",
    "catering_en",
    "access_notes_et",
    "access_notes_en",
    "access_contact_name",
    "access_contact_phone",
}


def _model_value(name: str, field: Field) -> Any:
    if name == "venue_id":
        return int(field.data) if str(field.data or "").isdigit() else None
    if isinstance(field, TriStateField):
        return field.as_bool()
    if name in _ENUMS:
        return _ENUMS[name](field.data) if field.data else None
    if name in _TEXT_DEFAULT_EMPTY:
        return (field.data or "").strip()
    if isinstance(field.data, str):
        return field.data.strip() or None
    return field.data


class QuestionForm(FlaskForm):
    """An extra question on the registration form of one event."""

    kind = SelectField(
        _l("Answer type"),
        choices=[
            SelectChoice(QuestionKind.SHORT_TEXT.value, _l("Short text")),
            SelectChoice(QuestionKind.LONG_TEXT.value, _l("Long text")),
            SelectChoice(QuestionKind.SINGLE_CHOICE.value, _l("One choice")),
            SelectChoice(QuestionKind.MULTIPLE_CHOICE.value, _l("Several choices")),
            SelectChoice(QuestionKind.YES_NO.value, _l("Yes or no")),
            SelectChoice(QuestionKind.DATE.value, _l("Date")),
        ],
    )
    label_et = text_field(_l("Question in Estonian"), 300, required=True)
    label_en = text_field(_l("Question in English"), 300)
    help_et = text_field(_l("Hint in Estonian"), 500)
    help_en = text_field(_l("Hint in English"), 500)
    choices_text = TextAreaField(
        _l("Choices, one per line: Estonian | English"),
        validators=[Optional(), Length(max=3000)],
    )
    required = BooleanField(_l("An answer is required"))
    sensitive = BooleanField(
        _l("Sensitive: delete the answers with the health data after the event")
    )

    def question_values(self) -> dict[str, Any]:
        """The values for ``ExtraQuestion``; choices parsed from "et | en" lines."""
        choices = []
        for number, line in enumerate((self.choices_text.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            et, _sep, en = line.partition("|")
            choices.append({"value": f"c{number}", "et": et.strip(), "en": en.strip()})
        return {
            "kind": QuestionKind(self.kind.data),
            "label_et": self.label_et.data.strip(),
            "label_en": (self.label_en.data or "").strip(),
            "help_et": (self.help_et.data or "").strip(),
            "help_en": (self.help_en.data or "").strip(),
            "choices": choices,
            "required": bool(self.required.data),
            "sensitive": bool(self.sensitive.data),
        }

    def validate_choices_text(self, field: Field) -> None:
        """Choice questions need at least two choices."""
        kinds = (QuestionKind.SINGLE_CHOICE.value, QuestionKind.MULTIPLE_CHOICE.value)
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        if self.kind.data in kinds and len(lines) < 2:
            raise ValidationError(_l("Give at least two choices, one per line"))


class AgendaForm(FlaskForm):
    """One item of the programme."""

    starts_at = ZonedDateTimeField(_l("Time"), validators=[InputRequired(_l("Enter the time"))])
    title_et = text_field(_l("Title in Estonian"), 300, required=True)
    title_en = text_field(_l("Title in English"), 300)
    speaker = text_field(_l("Speaker"), 200)
    room_et = text_field(_l("Room in Estonian"), 100)
    room_en = text_field(_l("Room in English"), 100)


class MessageForm(FlaskForm):
    """An organiser's message to the participants of an event."""

    audience = SelectMultipleField(
        _l("Send to"),
        choices=[SelectChoice("confirmed", _l("Confirmed participants")),
                 SelectChoice("waiting", _l("People on the waiting list or awaiting a decision"))],
        default=["confirmed"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[InputRequired(_l("Choose who gets the message"))],
    )
    subject = text_field(_l("Subject in Estonian"), 200, required=True)
    body = TextAreaField(_l("Message in Estonian"),
                         validators=[InputRequired(_l("Write the message")), Length(max=10000)])
    #: Optional: people who registered in English get the Estonian text when it is empty.
    subject_en = text_field(_l("Subject in English"), 200)
    body_en = long_text_field(_l("Message in English"), 10000)
