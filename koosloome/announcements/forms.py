"""The organisers' announcement form and the public "tell me about coming events" form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from koosloome.form_fields import long_text_field, text_field
from koosloome.honeypot import HoneypotMixin
from koosloome.i18n import format_long_date
from koosloome.registrations.choices import COUNTIES, LANGUAGE_CHOICES
from koosloome.registrations.forms import NO_CHOICE, MultiCheckboxField, options


def _title(event: Any, language: str) -> str:
    return event.title_en if language == "en" and event.title_en else event.title_et


class AnnouncementForm(FlaskForm):
    """One announcement: its texts in both languages and its audience; ``set_events`` gives
    the events that have ended."""

    subject_et = text_field(_l("Subject in Estonian"), 300, required=True)
    body_et = TextAreaField(_l("Text in Estonian"), validators=[
        InputRequired(_l("This field is required")), Length(max=10_000)])
    subject_en = text_field(_l("Subject in English"), 300)
    body_en = long_text_field(_l("Text in English"), 10_000)
    counties = MultiCheckboxField(_l("Only people from these counties"),
                                  choices=options(COUNTIES), validators=[Optional()])
    past_events = MultiCheckboxField(_l("Only people who took part in these events"),
                                     coerce=int, validators=[Optional()])

    def set_events(self, events: list[Any], language: str) -> None:
        """The events that have ended, newest first, with their dates."""
        self.past_events.choices = [
            SelectChoice(event.id, f"{_title(event, language)} "
                                   f"({format_long_date(event.starts_at, language)})")
            for event in events]

    def values(self) -> dict[str, Any]:
        """What the service stores (the events apart)."""
        values = {name: self[name].data or "" for name in (
            "subject_et", "body_et", "subject_en", "body_en")}
        values["counties"] = list(self.counties.data or [])
        return values


class SubscribeForm(HoneypotMixin, FlaskForm):
    """Ask for news of coming events: an address, and optionally a name and county."""

    name = StringField(_l("Your name"), validators=[Optional(), Length(max=200)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(_l("Enter your e-mail address")),
            Length(max=254),
            Email(_l("Enter an e-mail address in the right format, like name@example.ee")),
        ],
    )
    language = RadioField(_l("Language for our messages"), choices=options(LANGUAGE_CHOICES),
                          default="et", validators=[InputRequired(_l("Choose a language"))])
    county = SelectField(_l("County"), choices=options([NO_CHOICE, *COUNTIES]),
                         validators=[Optional()])


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""
