"""Domain exceptions and the translated error pages (JSON under /api/)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from koosloome.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused an action; views turn it into a translated message."""


class NotAllowed(DomainError):
    """The actor may not do this."""


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
