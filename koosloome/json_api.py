"""Shared pieces of every JSON API (events, boards): bearer-token staff authentication, errors.

Errors are ``{"error": "<code>", "message": "<translated text>", "fields": {name: [msg]}}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.accounts.models import User
from koosloome.accounts.services import user_for_api_token

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
