"""Secret tokens of addresses stay out of the request logs the app writes or owns: the dev
server's (werkzeug) request log, Flask's exception log, the honeypot's note."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from koosloome.log_redaction import redact

TOKEN = "Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw"


class Lines(logging.Handler):
    """Keeps each record as its handler would write it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Store the formatted line."""
        self.lines.append(self.format(record))


@pytest.fixture
def logged(request: pytest.FixtureRequest) -> Iterator[Lines]:
    """The lines written to the logger named by the test's parameter (default: werkzeug)."""
    name = getattr(request, "param", "werkzeug")
    logger, handler = logging.getLogger(name), Lines()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _request_through_dev_server(app, path: str) -> None:
    """One request through werkzeug's server (what `flask run` uses); returns once it is
    logged: handle_request() logs before it returns, and the thread is joined."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=30).close()
    except urllib.error.HTTPError as error:
        error.close()
    finally:
        thread.join(timeout=30)
        server.server_close()


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/r/{TOKEN}", "GET /r/[redacted] HTTP/1.1"),
        (f"/r/{TOKEN}/feedback", "GET /r/[redacted]/feedback HTTP/1.1"),
        (f"/r/{TOKEN}/invite.ics", "GET /r/[redacted]/invite.ics HTTP/1.1"),
        (f"/reset-password/{TOKEN}", "GET /reset-password/[redacted] HTTP/1.1"),
        (f"/b/ABC234/join?r={TOKEN}", "GET /b/ABC234/join?r=[redacted] HTTP/1.1"),
    ],
)
def test_dev_server_request_log_keeps_the_path_but_not_the_token(app, logged, path, shown):
    _request_through_dev_server(app, path)
    text = "\n".join(logged.lines)
    assert TOKEN not in text
    assert shown in text


def test_a_manage_page_with_a_real_token_is_logged_without_it(
    app, logged, make_event, make_registration
):
    token = make_registration(make_event()).manage_token
    _request_through_dev_server(app, f"/r/{token}")
    assert any('"GET /r/[redacted] HTTP/1.1" 200' in line for line in logged.lines), logged.lines
    assert not any(token in line for line in logged.lines)


@pytest.mark.parametrize("logged", ["koosloome"], indirect=True)
def test_flask_exception_log_holds_no_token(app, logged):
    # Flask's own wording when a view raises (Flask.log_exception).
    app.logger.error(f"Exception on /r/{TOKEN}/edit [POST]")
    assert logged.lines == ["Exception on /r/[redacted]/edit [POST]"]


@pytest.mark.parametrize("logged", ["gunicorn.error"], indirect=True)
def test_gunicorn_error_log_holds_no_token(app, logged):
    # gunicorn's wording when a worker fails a request (Worker.handle_error).
    logging.getLogger("gunicorn.error").error("Error handling request %s", f"/r/{TOKEN}")
    assert logged.lines == ["Error handling request /r/[redacted]"]


def test_a_referer_from_a_manage_page_is_redacted_too():
    line = f'"GET /static/css/koosloome.css HTTP/1.1" 200 "https://k.ee/r/{TOKEN}/edit"'
    assert (
        redact(line)
        == '"GET /static/css/koosloome.css HTTP/1.1" 200 "https://k.ee/r/[redacted]/edit"'
    )


def test_addresses_without_secrets_are_left_alone():
    line = '"GET /events/avatud-seminar?page=2&sort=r HTTP/1.1" 200 "/b/ABC234/join?code=r"'
    assert redact(line) == line
