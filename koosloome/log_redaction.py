"""Secret tokens in addresses are kept out of the logs that record requests.

A manage link (``/r/<token>…``), a password-reset link (``/reset-password/<token>``) and the
board join link a manage page offers (``/b/<code>/join?r=<manage token>``) are keys: whoever
reads one in a log can open a registration with its health data, or take over an account.
The loggers that write request lines or paths get a filter that replaces the token and keeps
the rest of the line, so a log still shows which kind of page was asked for and how it went:

- ``werkzeug``: the request log of ``flask run`` and of the threaded test servers;
- ``gunicorn.access`` / ``gunicorn.error``: gunicorn's access log (``GUNICORN_ACCESSLOG``) and
  its "Error handling request /r/…" lines; the filter sits on the logger, so it holds whatever
  ``access_log_format`` or handler an operator configures;
- the app's own logger: Flask logs "Exception on /r/… [GET]".

The same patterns are written as nginx ``map`` blocks in docs/deploy/nginx-koosloome.conf.
Join codes of boards (``/b/<code>``) and feedback codes (``/f/<code>``) are not redacted: they
are shown on a screen to a whole room, and their look-ups are rate-limited instead.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

REDACTED = "[redacted]"
#: The path segment after /r/, /g/, /reset-password/, /u/ (unsubscribe) or /subscribe/confirm/,
#: anywhere in a line (request line, Referer).
SECRET_IN_PATH = re.compile(r"(/(?:r|g|u|reset-password|subscribe/confirm)/)[^/?#\s\"']+")
#: ``r=`` in a query string: the manage token a board join link carries.
SECRET_IN_QUERY = re.compile(r"([?&]r=)[^&#\s\"']+")
#: Loggers outside the app that write request lines.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """``text`` with every secret token of an address replaced by ``[redacted]``."""
    text = SECRET_IN_PATH.sub(rf"\g<1>{REDACTED}", text)
    return SECRET_IN_QUERY.sub(rf"\g<1>{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record whose message holds a secret token (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the message once, redact it, and keep the redacted text as the message."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call: the handler reports it, as without this filter
        redacted = redact(message)
        if redacted != message:
            # The arguments are formatted in: handlers must not format the token in again.
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(app: Flask) -> None:
    """Put the filter on every logger that records requests (once per logger)."""
    for logger in (*map(logging.getLogger, REQUEST_LOGGERS), app.logger):
        if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
            logger.addFilter(RedactSecrets())
