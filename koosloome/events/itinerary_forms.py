"""Forms of a trip's itinerary: a day, and a stop on a day. The API feeds them its JSON."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, URLField
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from koosloome.events.trip_view import STEP_FREE_LABELS, known_country
from koosloome.form_fields import ClockTimeField, count_field, long_text_field, text_field

#: A stop further than this on foot is a hike, not a visit: a typing slip.
MAX_WALKING_M = 20_000


class TripDayForm(FlaskForm):
    """A day of the trip: which day, its heading and where the group sleeps."""

    # The service checks the day (one of the trip's, not taken) and says which rule failed.
    day = SelectField(_l("Day"), validators=[InputRequired(_l("Choose the day"))],
                      validate_choice=False)
    title_et = text_field(_l("Heading in Estonian"), 200)
    title_en = text_field(_l("Heading in English"), 200)
    overnight_et = text_field(_l("Where we sleep, in Estonian"), 300)
    overnight_en = text_field(_l("Where we sleep, in English"), 300)

    def set_days(self, choices: list[tuple[str, str]]) -> None:
        """The trip's days that can be chosen (ISO date → shown date)."""
        self.day.choices = [SelectChoice("", _l("Choose the day")),
                            *(SelectChoice(value, label) for value, label in choices)]

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        return {name: getattr(self, name).data or "" for name in
                ("day", "title_et", "title_en", "overnight_et", "overnight_en")}


class TripStopForm(FlaskForm):
    """A place the group visits, with what it asks of people who walk little or not at all."""

    at = ClockTimeField(_l("Time at the stop"), validators=[InputRequired(_l("Enter the time"))])
    place_et = text_field(_l("Place in Estonian"), 200, required=True)
    place_en = text_field(_l("Place in English"), 200)
    address = text_field(_l("Address"), 300)
    country = text_field(_l("Country code"), 2, required=True)
    map_url = URLField(_l("Map link"), validators=[Optional(), Length(max=500), URL()])
    host = text_field(_l("Host organisation"), 200)
    learning_et = long_text_field(_l("What we see or learn, in Estonian"), 4000)
    learning_en = long_text_field(_l("What we see or learn, in English"), 4000)
    transport_et = text_field(_l("How we get there, in Estonian"), 300)
    transport_en = text_field(_l("How we get there, in English"), 300)
    meals_et = text_field(_l("Meals, in Estonian"), 300)
    meals_en = text_field(_l("Meals, in English"), 300)
    walking_m = count_field(_l("Walking distance (m)"), MAX_WALKING_M)
    step_free = SelectField(_l("Step-free access"),
                            choices=[SelectChoice(value.value, label) for value, label in
                                     STEP_FREE_LABELS.items()],
                            default="unknown")
    access_note_et = text_field(_l("About access, in Estonian"), 500)
    access_note_en = text_field(_l("About access, in English"), 500)

    def validate_country(self, field: Any) -> None:
        """A two-letter country code (EE, SE, CZ, AT…)."""
        value = (field.data or "").strip().upper()
        if not known_country(value):
            raise ValidationError(_l("Give the country as its two-letter code, like SE or AT"))
        field.data = value

    def values(self) -> dict[str, Any]:
        """What the service stores."""
        names = ("at", "place_et", "place_en", "address", "country", "map_url", "host",
                 "learning_et", "learning_en", "transport_et", "transport_en", "meals_et",
                 "meals_en", "walking_m", "step_free", "access_note_et", "access_note_en")
        values = {name: getattr(self, name).data for name in names}
        for name, value in values.items():
            if value is None and name not in ("at", "walking_m"):
                values[name] = ""
        return values
