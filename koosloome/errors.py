"""Domain exceptions and the translated error pages (JSON under /api/)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from koosloome.extensions import db
from koosloome.unit_of_work import note_refusal

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class DomainError(Exception):
    """A business rule refused an action. Each kind carries its answer: an HTTP status, a code
    for the JSON API and a translated message. Raised in a request, it also means the
    request's writes are not kept (``unit_of_work``); one handler answers it (see
    ``init_error_handlers``)."""

    status = 409
    code = "not_possible"
    message: Any = _l("This is not possible. Check what you entered and try again.")
    #: field name → translated messages, for form-like refusals
    fields: dict[str, list[str]] | None = None

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        note_refusal()

    def describe(self) -> str:
        """The translated message for the person (a kind may word it by its details)."""
        return str(self.message)


class InvalidFields(DomainError):
    """Values break a rule; ``errors`` (and ``fields``) map field names to translated messages,
    shown beside their fields on a page and under ``fields`` in the API (422)."""

    status = 422
    code = "invalid"
    message: Any = _l("Some fields are not right")

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = self.fields = errors


class NotAllowed(DomainError):
    """The actor may not do this."""

    status = 403
    code = "not_allowed"
    message = _l("You cannot change this.")


def back_to(endpoint: str, *, anchor: str = "", **from_view_args: str) -> Callable[[F], F]:
    """Where a person goes when a business rule refuses their action: back to ``endpoint``,
    with the reason shown there. Its URL values come from the view's own, by name
    (``back_to(".detail", registration_id="registration_id")``); ``anchor`` may name them
    too (``anchor="idea-{idea_id}"``)."""

    def decorate(view: F) -> F:
        view.back_to = (endpoint, anchor, from_view_args)  # type: ignore[attr-defined]
        return view

    return decorate


def _refused(error: DomainError) -> ResponseReturnValue:
    """JSON under /api/; a message and the page the view names (``back_to``); else the error
    page with the rule's own status and message."""
    if wants_json():
        body: dict[str, Any] = {"error": error.code, "message": error.describe()}
        if error.fields:
            body["fields"] = error.fields
        return jsonify(body), error.status
    view = current_app.view_functions.get(request.endpoint or "")
    target = getattr(view, "back_to", None)
    if target is None:
        return error_response(error.status, error.describe())
    endpoint, anchor, from_view_args = target
    view_args = request.view_args or {}
    values = {name: view_args[source] for name, source in from_view_args.items()}
    flash(error.describe(), "error")
    return redirect(url_for(endpoint, _anchor=anchor.format(**view_args) or None, **values))


ERROR_TEXTS = {
    400: (_l("The request could not be understood"), _l(
        "Something in the request was not right. Go back, reload the page and try again."
    )),
    403: (_l("You do not have access to this page"), _l(
        "If you think you should have access, contact the organisers."
    )),
    404: (_l("Page not found"), _l(
        "If you typed the web address, check it is correct. The page may also have been removed."
    )),
    405: (_l("This action is not possible here"), _l(
        "Go back to the previous page and try again."
    )),
    409: (_l("This is not possible now"), _l(
        "Go back to the previous page: what you asked for cannot be done at the moment."
    )),
    422: (_l("Some details are not right"), _l(
        "Go back to the previous page, check what you entered and try again."
    )),
    413: (_l("The request was too large"), _l("Send less data and try again.")),
    429: (_l("Too many attempts"), _l(
        "You have tried this too many times in a short while. Wait a minute and try again."
    )),
    500: (_l("Sorry, something went wrong on our side"), _l(
        "Please try again. If it keeps happening, contact the organisers."
    )),
    503: (_l("The service is temporarily unavailable"), _l(
        "We cannot reach the database right now. Please try again in a few minutes; "
        "nothing you saved earlier is lost."
    )),
}
CSRF_TEXT = _l(
    "The form had expired or was sent from elsewhere. Nothing was saved: go back, "
    "reload the page and send the form again."
)


def wants_json() -> bool:
    """API clients get JSON errors; people get pages."""
    return request.path.startswith("/api/")


def error_response(code: int, message: str | None = None) -> ResponseReturnValue:
    """Render the error page (or JSON) for ``code``."""
    title, text = ERROR_TEXTS.get(code) or ERROR_TEXTS[400 if code < 500 else 500]
    if wants_json():
        return jsonify(error=str(title), message=str(message or text)), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message or text
    ), code


def init_error_handlers(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and an unreachable database."""

    app.register_error_handler(DomainError, _refused)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
        return error_response(400, str(CSRF_TEXT))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code is None or error.code < 400:
            return error
        response = error_response(error.code)
        if error.code == 429 or error.code == 405:
            # Keep Retry-After / Allow headers that the exception carries.
            body, code = response
            headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
            return body, code, headers
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> ResponseReturnValue:
        log.error("database error: %s", error)
        try:
            db.session.rollback()
        except DBAPIError:  # the connection is gone; the pool replaces it on the next request
            db.session.close()
        if error.connection_invalidated or isinstance(error, OperationalError):
            return error_response(503)
        return error_response(500)

    @app.errorhandler(InternalServerError)
    def _internal_error(_error: InternalServerError) -> ResponseReturnValue:
        return error_response(500)
