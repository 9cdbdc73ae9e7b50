"""Text from outside carries no control characters (but tab, line feed and carriage return).

PostgreSQL refuses NUL in text (a search or a form with one would fail with an error page),
XLSX (XML) cannot hold the other C0 controls, and an escape sequence in a name would colour
the terminal of whoever reads the logs. Nobody types them; they come from a bad paste or a
probe. So they are removed where the text enters: form fields, the query string and JSON
bodies; a URL whose path has one names nothing we have (404).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort
from flask.wrappers import Request
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
        """The JSON body with its strings cleaned (``request.json`` reads through this)."""
        return clean_value(super().get_json(force=force, silent=silent, cache=cache))


def init_clean_input(app: Flask) -> None:
    """Use ``CleanRequest``; a path with a control character is not found."""
    app.request_class = CleanRequest

    @app.url_value_preprocessor
    def _refuse_control_characters(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        for value in (values or {}).values():
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                abort(404)
