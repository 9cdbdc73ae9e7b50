"""Feeding JSON bodies to the same WTForms forms the HTML pages use.

The API and the pages therefore accept the same values and give the same translated field
errors. JSON types are checked first: a string field given a number is an error, not a guess.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from koosloome.json_api import Errors, unknown_keys
from koosloome.registrations.choices import NEEDS
from koosloome.registrations.fields import TIMED_CONSENTS, Shape, by_shape
from koosloome.registrations.forms import RegistrationForm

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
