"""Feeding JSON bodies to the same WTForms forms the HTML pages use.

The API and the pages therefore accept the same values and give the same translated field
errors. JSON types are checked first: a string field given a number is an error, not a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from koosloome.registrations.choices import NEEDS
from koosloome.registrations.fields import TIMED_CONSENTS, Shape, by_shape
from koosloome.registrations.forms import RegistrationForm

Errors = dict[str, list[str]]

_NEED_FIELD = {need.code: ("diet" if need.group == "diet" else f"needs_{need.group}")
               for need in NEEDS}
REGISTRATION_STRINGS = by_shape(Shape.TEXT, Shape.OPTIONAL_TEXT)
REGISTRATION_BOOLEANS = (*by_shape(Shape.FLAG, Shape.YES_NO), *TIMED_CONSENTS)
_YES_NO_FIELDS = frozenset(by_shape(Shape.YES_NO))
REGISTRATION_KEYS = frozenset(
    {*REGISTRATION_STRINGS, *REGISTRATION_BOOLEANS, "needs", "has_disability", "answers"}
)


def _type_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def unknown_keys(payload: dict[str, Any], known: Iterable[str]) -> Errors:
    """An error for every key the endpoint does not take (catches typos early)."""
    allowed = set(known)
    return {key: [_("Unknown field")] for key in payload if key not in allowed}


def registration_formdata(payload: dict[str, Any]) -> tuple[MultiDict, Errors]:
    """The form data for ``RegistrationForm`` from a JSON registration, and type errors."""
    errors = unknown_keys(payload, REGISTRATION_KEYS)
    data: MultiDict = MultiDict()
    for key in REGISTRATION_STRINGS:
        value = payload.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            _type_error(errors, key, _("Must be text"))
            continue
        data.add(key, value)
    for key in REGISTRATION_BOOLEANS:
        value = payload.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            _type_error(errors, key, _("Must be true or false"))
        elif key in _YES_NO_FIELDS:
            data.add(key, "yes" if value else "no")
        elif value:
            data.add(key, "y")
    disability = payload.get("has_disability")
    if disability is not None and not isinstance(disability, bool):
        _type_error(errors, "has_disability", _("Must be true, false or null"))
    elif disability is not None:
        data.add("has_disability", "yes" if disability else "no")
    _add_needs(payload.get("needs"), data, errors)
    _add_answers(payload.get("answers"), data, errors)
    return data, errors


def _add_needs(needs: Any, data: MultiDict, errors: Errors) -> None:
    if needs is None:
        return
    if not isinstance(needs, list) or not all(isinstance(code, str) for code in needs):
        _type_error(errors, "needs", _("Must be a list of codes"))
        return
    for code in needs:
        field = _NEED_FIELD.get(code)
        if field is None:
            _type_error(errors, "needs", _("Unknown need: %(code)s", code=code))
        else:
            data.add(field, code)


def _add_answers(answers: Any, data: MultiDict, errors: Errors) -> None:
    if answers is None:
        return
    if not isinstance(answers, dict):
        _type_error(errors, "answers", _("Must be an object of question ids and answers"))
        return
    for key, value in answers.items():
        name = f"q_{key}"
        if isinstance(value, bool):
            data.add(name, "yes" if value else "no")
        elif isinstance(value, str):
            data.add(name, value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            for item in value:
                data.add(name, item)
        else:
            _type_error(errors, "answers", _("Answer %(id)s has the wrong type", id=key))


def form_errors(form: RegistrationForm | Any) -> Errors:
    """The form's field errors under API field names (question fields under ``answers.<id>``,
    need groups under ``needs``)."""
    errors: Errors = {}
    for name, messages in form.errors.items():
        if not messages:
            continue
        key = name
        if name.startswith("q_"):
            key = f"answers.{name[2:]}"
        elif name in set(_NEED_FIELD.values()):
            key = "needs"
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


def event_formdata(payload: dict[str, Any], known: Iterable[str]) -> tuple[MultiDict, Errors]:
    """Form data for ``EventForm`` from a JSON event (``venue`` object flattened)."""
    payload = dict(payload)
    venue = payload.pop("venue", None)
    errors: Errors = {}
    if venue is not None:
        if not isinstance(venue, dict):
            errors["venue"] = [_("Must be an object")]
        else:
            for key, value in venue.items():
                payload[key if key.startswith("venue_") or key in _VENUE_PLAIN
                        else f"venue_{key}"] = value
    errors.update(unknown_keys(payload, known))
    data: MultiDict = MultiDict()
    for key, value in payload.items():
        if key in errors or value is None:
            continue
        if isinstance(value, bool):
            data.add(key, "yes" if value else "no")
        elif isinstance(value, int | float | str):
            data.add(key, str(value))
        elif isinstance(value, date):
            data.add(key, value.isoformat())
        else:
            errors.setdefault(key, []).append(_("Has the wrong type"))
    return data, errors


#: Venue facts that keep their own names inside the API's ``venue`` object.
_VENUE_PLAIN = frozenset({
    "transit_stop", "transit_stop_distance_m", "dropoff_point", "accessible_parking_spaces",
    "accessible_parking_distance_m", "entrance", "entrance_steps", "door_width_cm",
    "automatic_door", "lift", "step_free_rooms", "accessible_wc", "seats_with_armrests",
    "wheelchair_spaces", "hearing_loop", "quiet_room", "assistance_dog_area", "catering_et",
    "catering_en", "evacuation_et", "evacuation_en", "access_notes_et", "access_notes_en",
    "access_contact_name", "access_contact_phone",
})
VENUE_FIELDS = ("venue_name", "venue_address", "venue_map_url", *sorted(_VENUE_PLAIN))
