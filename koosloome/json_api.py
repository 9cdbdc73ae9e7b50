"""Shared pieces of every JSON API (events, boards): bearer-token staff authentication, errors.

Errors are ``{"error": "<code>", "message": "<translated text>", "fields": {name: [msg]}}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from koosloome.accounts.models import User
from koosloome.accounts.permissions import can_manage_event
from koosloome.accounts.services import user_for_api_token
from koosloome.events.models import Event
from koosloome.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


def json_error(
    status: int, code: str, message: str, fields: Mapping[str, list[str]] | None = None
) -> ResponseReturnValue:
    """A JSON error response."""
    body: dict[str, Any] = {"error": code, "message": message}
    if fields:
        body["fields"] = dict(fields)
    return jsonify(body), status


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_user() -> User | None:
    """The staff user whose API token came with this request (cached on ``g``)."""
    if "api_user" not in g:
        token = bearer_token()
        g.api_user = user_for_api_token(token) if token else None
    return g.api_user


def peek_api_user() -> User | None:
    """``api_user`` without recording the token's use: for a request that must take its
    write lock before it writes anything (a registration on SQLite)."""
    token = bearer_token()
    return user_for_api_token(token, record_use=False) if token else None


def token_required(view: F) -> F:
    """401 unless the request carries a valid staff API token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if api_user() is None:
            response = json_error(401, "unauthorized", _("A valid API token is required."))
            body, status = response  # type: ignore[misc]
            return body, status, {"WWW-Authenticate": 'Bearer realm="koosloome"'}
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ApiProblem(Exception):
    """Raised anywhere in an API handler to answer with a JSON error."""

    def __init__(
        self, status: int, code: str, message: str, fields: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields

    def response(self) -> ResponseReturnValue:
        """The JSON error response."""
        return json_error(self.status, self.code, self.message, self.fields)


# --- JSON bodies as form data -------------------------------------------------------------

Errors = dict[str, list[str]]


def form_keys(form_class: type) -> frozenset[str]:
    """The field names of a form class: the keys its JSON body may have."""
    return frozenset(name for name, value in vars(form_class).items()
                     if isinstance(value, UnboundField))


def unknown_keys(payload: dict[str, Any], known: Iterable[str]) -> Errors:
    """An error for every key the endpoint does not take (catches typos early)."""
    allowed = set(known)
    return {key: [_("Unknown field")] for key in payload if key not in allowed}


def object_formdata(payload: dict[str, Any], known: Iterable[str]) -> tuple[MultiDict, Errors]:
    """Form data for ``EventForm`` or ``VenueForm`` from a JSON object (true/false as the
    forms' yes/no, numbers and dates as text)."""
    payload = dict(payload)
    errors: Errors = unknown_keys(payload, known)
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


def wrong_types(payload: dict[str, Any], expected: Mapping[str, tuple[type, ...]]) -> Errors:
    """An error for every value whose JSON type is not the one documented (``True`` is not a
    text, ``"12"`` not an id); null is left to the caller."""
    errors: Errors = {}
    for key, types in expected.items():
        value = payload.get(key)
        if value is None:
            continue
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            errors[key] = [_("Has the wrong type")]
    return errors


def field_errors(form: Any) -> Errors:
    """A validated form's errors as the API answers them: field name → messages."""
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()
            if messages and name is not None}


def json_object() -> dict[str, Any]:
    """The request's JSON body, which must be an object (400 otherwise)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiProblem(400, "bad_request", _("Send a JSON object"))
    return body


def managed_event(event_id: int) -> Event:
    """The event, if the token's user manages it: 404 when there is none, 403 otherwise."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise ApiProblem(404, "not_found", _("No such event"))
    user = api_user()
    if user is None or not can_manage_event(user, event):
        raise ApiProblem(403, "forbidden", _("You may not manage this event"))
    return event
