"""gunicorn, started as production starts it (docs/deploy/gunicorn.conf.py, access log on),
writes manage and reset links to its access log without their tokens."""

from __future__ import annotations

import urllib.error
import urllib.request

from tests.deploy.servers import app_environment, gunicorn, lines_logged, wait_until


def _get(url: str) -> int:
    """The status of a GET (4xx answers are answers too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_gunicorn_access_log_keeps_the_path_but_not_the_token(
    database_url, make_event, make_registration, tmp_path
):
    token = make_registration(make_event()).manage_token
    access_log = tmp_path / "access.log"
    env = app_environment(database_url, tmp_path / "instance", GUNICORN_ACCESSLOG=str(access_log))
    with gunicorn(env, tmp_path) as port:
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/r/{token}") == 200
        assert _get(f"{base}/reset-password/{token}") == 410  # not a reset token: expired
        wait_until(lines_logged(access_log, "GET /r/", "GET /reset-password/"), "the log lines")
    logged = access_log.read_text()
    assert token not in logged
    assert 'GET /r/[redacted] HTTP/1.1" 200' in logged
    assert "GET /reset-password/[redacted] HTTP/1.1" in logged
