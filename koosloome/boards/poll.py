"""The idea board's no-change poll, answered before Flask's request machinery.

An open board page asks ``/b/<code>/live`` every few seconds with the ETag of what it shows
(``static/js/board.js``); nearly always nothing has changed and the answer is 304. Through
Flask even that answer pays for what a page needs: the session cookie opened and saved, every
``before_request``/``after_request``/teardown hook, the rate limiter's storage (Redis in
production), Flask-Babel's locale, an ORM session. ``LivePollShortcut`` wraps the WSGI app
and answers exactly that case itself: a GET of a participant's fragment (no query string, no
Authorization header) whose If-None-Match holds the ETag the view would give now, read with
the view's own one Core query on a plain connection. Anything else goes to Flask unchanged
and is answered as before: another ETag (something changed: the fragment), no cookie or a
badly signed one, an unknown code, a removed participant, the big screen's
``?view=present``, a database error.

No rate limit is consulted here. The code look-up limit slows the guessing of join codes
(only misses count). A 304 from here needs a cookie signed with the secret key for this board
(the code is in its name) carrying the token of one of its participants: whoever has one
knows the code already. Every request that proves less reaches Flask and its limits.

The 304 carries what Flask's does: the ETag, ``Cache-Control``, ``Vary`` and the security
headers of every response (``tests/boards/test_poll.py`` compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie, parse_etags, quote_etag

from koosloome.boards.identity import cookie_name, token_from_cookie
from koosloome.boards.services import JOIN_CODE_LENGTH, LiveState, live_state
from koosloome.extensions import db
from koosloome.i18n import LANGUAGE_COOKIE, choose_locale, language_of
from koosloome.security import security_headers

#: The fragment's address with a code as the board's page links it (other spellings, and
#: anything else, are Flask's to answer).
LIVE_PATH = re.compile(rf"/b/([A-Z0-9]{{{JOIN_CODE_LENGTH}}})/live")
#: Each reader's fragment is their own (their votes and ideas), checked on every poll.
LIVE_CACHE_CONTROL = "no-cache, private"
#: Where the shortcut leaves the state it read when Flask has to answer (one query, not two).
STATE_KEY = "koosloome.boards.live_state"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def live_etag(state: LiveState, language: str, present: bool) -> str:
    """Everything the fragment depends on: the board and its revision, the reader, the
    language and the view (a participant's board or the big screen)."""
    return (f"b{state.board_id}-r{state.revision}-p{state.participant_id or 0}-{language}-"
            f"{'present' if present else 'board'}")


class LivePollShortcut:
    """WSGI middleware: a participant's no-change poll answered with one query, the rest
    passed to ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp) -> None:
        self.wsgi_app = wsgi_app
        self.config = app.config
        with app.app_context():
            self.engine = db.engine
        self.headers = [("Cache-Control", LIVE_CACHE_CONTROL), ("Vary", "Cookie"),
                        *security_headers(app).items()]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        """304 for a no-change poll, else whatever the app answers."""
        etag = self.unchanged(environ)
        if etag is None:
            return self.wsgi_app(environ, start_response)
        start_response("304 Not Modified", [("ETag", quote_etag(etag)), *self.headers])
        return []

    def unchanged(self, environ: dict[str, Any]) -> str | None:
        """The ETag, when the request is a participant's poll that already holds it."""
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if not wanted or environ.get("REQUEST_METHOD") != "GET" \
                or environ.get("QUERY_STRING") or "HTTP_AUTHORIZATION" in environ:
            return None
        found = LIVE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None:
            return None
        code = found.group(1)
        cookies = parse_cookie(environ)
        token = token_from_cookie(cookies.get(cookie_name(code)), self.config["SECRET_KEY"])
        if token is None:
            return None
        try:
            with self.engine.connect() as connection:
                state = live_state(code, token, connection)
        except SQLAlchemyError:
            return None  # Flask answers with its error page, and logs it
        if state is None or state.participant_id is None:
            return None
        environ[STATE_KEY] = state
        etag = live_etag(state, self._language(environ, cookies), present=False)
        return etag if etag in parse_etags(wanted) else None

    def _language(self, environ: dict[str, Any], cookies: Any) -> str:
        # What Flask-Babel would choose for this request (i18n.select_locale).
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        return language_of(choose_locale(cookies.get(LANGUAGE_COOKIE), accepted, self.config))


def install_poll_shortcut(app: Flask) -> None:
    """Put the shortcut in front of everything else the app's WSGI callable does."""
    app.wsgi_app = LivePollShortcut(app, app.wsgi_app)  # type: ignore[method-assign]
