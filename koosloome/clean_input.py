"""Text from outside carries no control characters (but tab, line feed and carriage return).

PostgreSQL refuses NUL in text (a search or a form with one would fail with an error page),
XLSX (XML) cannot hold the other C0 controls, and an escape sequence in a name would colour
the terminal of whoever reads the logs. Nobody types them; they come from a bad paste or a
probe. So they are removed where people's text enters: form fields and the query string; a
URL whose path has one names nothing we have (404). The JSON API is written to by programs
and is strict instead: a string with one is a field error (422), so what a client sends is
exactly what is stored and checked (``maxLength`` included).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, jsonify, make_response
from flask.wrappers import Request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

#: C0 controls except tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """``value`` without control characters (tab and line breaks stay)."""
    return CONTROL_CHARACTERS.sub("", value)


def clean_value(value: Any) -> Any:
    """Strings cleaned, also inside the lists and objects of a JSON document."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


class CleanMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """Form fields and query arguments with their text cleaned (uploaded files untouched)."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        super().__init__([(key, clean_value(value)) for key, value in iter_multi_items(mapping)])


class CleanRequest(Request):
    """The request class of the app: ``form``, ``args``, ``values`` and ``get_json()`` hold
    cleaned text."""

    parameter_storage_class = CleanMultiDict

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """The JSON body; a string with a control character is refused (422) in the API and
        cleaned elsewhere (``request.json`` reads through this)."""
        body = super().get_json(force=force, silent=silent, cache=cache)
        if self.path.startswith("/api/"):
            _refuse_control_characters_in(body)
            return body
        return clean_value(body)


def _holds_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, list):
        return any(_holds_control_characters(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_control_characters(k) or _holds_control_characters(v)
                   for k, v in value.items())
    return False


def _refuse_control_characters_in(body: Any) -> None:
    """422 naming each top-level field whose text holds a control character."""
    if not _holds_control_characters(body):
        return
    message = _("Text may not contain control characters")
    fields = {str(key): [message] for key, value in body.items()
              if _holds_control_characters(key) or _holds_control_characters(value)} \
        if isinstance(body, dict) else {"body": [message]}
    abort(make_response(jsonify(error="invalid", message=_("Some fields are not right"),
                                fields=fields), 422))


def init_clean_input(app: Flask) -> None:
    """Use ``CleanRequest``; a path with a control character is not found."""
    app.request_class = CleanRequest

    @app.url_value_preprocessor
    def _refuse_control_characters(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        for value in (values or {}).values():
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                abort(404)
