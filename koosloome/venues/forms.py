"""The venue form: a place's facts in both languages, and when and by whom they were checked.

Used by the back office and, fed with the JSON body, by the API.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectChoice, SelectField, URLField
from wtforms.validators import URL, Length, Optional

from koosloome.form_fields import TriStateField, count_field, long_text_field, text_field
from koosloome.registrations.choices import COUNTIES
from koosloome.venues.models import Entrance, HearingLoop

_ENUMS = {"entrance": Entrance, "hearing_loop": HearingLoop}


class VenueForm(FlaskForm):
    """Everything known about a venue's accessibility; empty means unknown (not shown)."""

    name_et = text_field(_l("Name in Estonian"), 200, required=True)
    name_en = text_field(_l("Name in English"), 200)
    address = text_field(_l("Address"), 300)
    county = SelectField(
        _l("County"),
        choices=[SelectChoice("", _l("Not stated")),
                 *(SelectChoice(code, label) for code, label in COUNTIES)],
        validators=[Optional()],
    )
    map_url = URLField(_l("Map link"), validators=[Optional(), Length(max=500), URL()])
    transit_stop_et = text_field(_l("Nearest public-transport stop, in Estonian"), 200)
    transit_stop_en = text_field(_l("Nearest public-transport stop, in English"), 200)
    transit_stop_distance_m = count_field(_l("Walking distance from the stop (m)"))
    dropoff_point_et = text_field(_l("Drop-off point, in Estonian"), 300)
    dropoff_point_en = text_field(_l("Drop-off point, in English"), 300)
    accessible_parking_spaces = count_field(_l("Accessible parking spaces"), 1000)
    accessible_parking_distance_m = count_field(_l("Distance from parking to the entrance (m)"))
    entrance = SelectField(
        _l("Entrance"),
        choices=[
            SelectChoice("", _l("Not stated")),
            SelectChoice(Entrance.LEVEL.value, _l("Level, no steps")),
            SelectChoice(Entrance.RAMP.value, _l("Ramp")),
            SelectChoice(Entrance.STEPS.value, _l("Steps, no ramp")),
        ],
        validators=[Optional()],
    )
    entrance_steps = count_field(_l("Number of steps"), 1000)
    door_width_cm = count_field(_l("Door width (cm)"), 1000)
    automatic_door = TriStateField(_l("Automatic door"))
    lift = TriStateField(_l("Lift"))
    step_free_rooms = TriStateField(_l("All rooms used are step-free"))
    accessible_wc = TriStateField(_l("Accessible toilet"))
    seats_with_armrests = TriStateField(_l("Chairs with armrests"))
    wheelchair_spaces = count_field(_l("Spaces for wheelchair users"), 1000)
    hearing_loop = SelectField(
        _l("Hearing loop"),
        choices=[
            SelectChoice("", _l("Not stated")),
            SelectChoice(HearingLoop.NONE.value, _l("No")),
            SelectChoice(HearingLoop.FIXED.value, _l("Yes, fixed in the room")),
            SelectChoice(HearingLoop.PORTABLE.value, _l("Yes, portable")),
        ],
        validators=[Optional()],
    )
    quiet_room = TriStateField(_l("Quiet room"))
    assistance_dog_area = TriStateField(_l("Relief area for assistance dogs"))
    evacuation_et = text_field(_l("Evacuation of people with disabilities, in Estonian"), 500)
    evacuation_en = text_field(_l("Evacuation of people with disabilities, in English"), 500)
    access_notes_et = long_text_field(_l("Other access information in Estonian"), 5000)
    access_notes_en = long_text_field(_l("Other access information in English"), 5000)
    facts_checked_on = DateField(_l("Facts checked on the spot on"), validators=[Optional()])
    facts_checked_by = text_field(_l("Checked by"), 200)

    def values(self, only: set[str] | None = None) -> dict[str, Any]:
        """Field values ready for the model (enums, booleans, None for "not stated")."""
        return {name: _model_value(name, field) for name, field in self._fields.items()
                if name != "csrf_token" and (only is None or name in only)}


def _model_value(name: str, field: Field) -> Any:
    if isinstance(field, TriStateField):
        return field.as_bool()
    if name in _ENUMS:
        return _ENUMS[name](field.data) if field.data else None
    if name == "county":
        return field.data or None
    if isinstance(field.data, str):
        return field.data.strip()
    return field.data
