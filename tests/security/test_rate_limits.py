"""Rate limits: memory storage by default, Redis shared between processes, a switch to turn
them off, and the translated 429 page with Retry-After."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: An empty form: refused by validation before any password hashing, yet counted by the limit.
LOGIN = {"email": "", "password": ""}
LOGIN_LIMIT_PER_MINUTE = 10


def _post_logins(client, times: int, **kwargs) -> list:
    return [client.post("/login", data=LOGIN, **kwargs) for _ in range(times)]


def test_login_is_limited_in_memory_with_a_translated_429_and_retry_after(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    client = app.test_client()
    responses = _post_logins(client, LOGIN_LIMIT_PER_MINUTE + 1)
    assert [r.status_code for r in responses[:-1]] == [200] * LOGIN_LIMIT_PER_MINUTE
    refused = responses[-1]
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Liiga palju katseid" in refused.get_data(as_text=True)
    assert "Content-Security-Policy" in refused.headers
    client.set_cookie("lang", "en")
    assert "Too many attempts" in client.post("/login", data=LOGIN).get_data(as_text=True)


def test_reading_the_login_page_is_not_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    assert {client.get("/login").status_code for _ in range(15)} == {200}


def test_rate_limits_can_be_switched_off_for_load_tests(make_app):
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    statuses = {r.status_code for r in _post_logins(client, LOGIN_LIMIT_PER_MINUTE + 5)}
    assert statuses == {200}


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(make_app):
    # (the per-account limit is set apart: this is about addresses)
    client = make_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1,
                      LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute").test_client()
    first = _post_logins(client, LOGIN_LIMIT_PER_MINUTE + 1,
                         headers={"X-Forwarded-For": "198.51.100.1"})
    assert first[-1].status_code == 429
    other = client.post("/login", data=LOGIN, headers={"X-Forwarded-For": "198.51.100.2"})
    assert other.status_code == 200


def test_without_a_trusted_proxy_forwarded_for_is_ignored(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    for number in range(LOGIN_LIMIT_PER_MINUTE):
        client.post("/login", data=LOGIN, headers={"X-Forwarded-For": f"198.51.100.{number}"})
    spoofed = client.post("/login", data=LOGIN, headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failing_limit_storage_does_not_block_people(make_app):
    # Nothing listens on this port: Redis is "down". Requests go through, unlimited.
    app = make_app(RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0")
    statuses = {r.status_code for r in _post_logins(app.test_client(), 12)}
    assert statuses == {200}


# --- Redis, shared by several processes (as gunicorn workers are) ---------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"

#: One "worker": a fresh process configured from the environment only, posting to /login.
WORKER = textwrap.dedent("""
    import json, sys
    from koosloome import create_app
    from koosloome.extensions import db
    app = create_app()
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = []
    for _ in range(int(sys.argv[1])):
        response = client.post("/login", data={})
        statuses.append([response.status_code, response.headers.get("Retry-After")])
    with app.app_context():
        db.engine.dispose()
    print(json.dumps(statuses))
""")


@pytest.fixture
def redis_client():
    """A client of the Redis on 127.0.0.1:6379 (skipped outside CI when none runs)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield client
    client.close()


def test_redis_storage_shares_counts_between_processes(redis_client, tmp_path):
    prefix = f"koosloome-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "KOOSLOOME_RATELIMIT_ENABLED": "true",
        "KOOSLOOME_RATELIMIT_STORAGE_URI": REDIS_URL,
        "KOOSLOOME_RATELIMIT_KEY_PREFIX": prefix,
        "KOOSLOOME_SECRET_KEY": "test",
        "KOOSLOOME_WTF_CSRF_ENABLED": "false",
        "KOOSLOOME_INSTANCE_PATH": str(tmp_path),
        "KOOSLOOME_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/worker.sqlite3",
    }
    env.pop("DATABASE_URL", None)

    def worker(posts: int) -> list:
        result = subprocess.run([sys.executable, "-c", WORKER, str(posts)], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    try:
        first = worker(LOGIN_LIMIT_PER_MINUTE)
        assert [status for status, _ in first] == [200] * LOGIN_LIMIT_PER_MINUTE
        keys = [key.decode() for key in redis_client.scan_iter(f"*{prefix}*")]
        assert keys, "the counters are not in Redis under the configured prefix"
        second = worker(1)  # another process sees the counts of the first
        assert second[0][0] == 429
        assert int(second[0][1]) > 0
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)


# --- look-ups of board join codes and feedback codes ---------------------------------------

CODE_MISSES_PER_MINUTE = 30


def _unknown_codes(count: int) -> list[str]:
    """Six-character codes that no board or survey has (factories never make these)."""
    return [f"ZZZ{number:03d}" for number in range(count)]


@pytest.fixture
def limited_client(make_app):
    return make_app(RATELIMIT_ENABLED=True).test_client()


def test_guessing_board_codes_is_refused_after_the_misses_of_a_minute(limited_client,
                                                                      make_board):
    board = make_board()
    misses = [limited_client.get(f"/b/{code}/join").status_code
              for code in _unknown_codes(CODE_MISSES_PER_MINUTE)]
    assert set(misses) == {404}
    refused = limited_client.get("/b/ZZZ999/join")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Spent: from this address even a right guess waits.
    assert limited_client.get(f"/b/{board.join_code}/join").status_code == 429


def test_opening_a_known_board_code_again_and_again_is_not_limited(limited_client,
                                                                   make_board):
    board = make_board()
    statuses = {limited_client.get(f"/b/{board.join_code}/join").status_code
                for _ in range(CODE_MISSES_PER_MINUTE + 10)}
    assert statuses == {200}


def test_boards_feedback_and_the_board_api_share_one_count_of_misses(limited_client):
    codes = _unknown_codes(CODE_MISSES_PER_MINUTE)
    for code in codes[:10]:
        assert limited_client.get(f"/b/{code}").status_code == 404
    for code in codes[10:20]:
        assert limited_client.get(f"/f/{code}").status_code == 404
    for code in codes[20:25]:
        assert limited_client.get(f"/api/v1/boards/{code}").status_code == 404
    for code in codes[25:]:  # the "type the code" form: a miss is the form shown again
        assert limited_client.post("/join", data={"code": code}).status_code == 400
    assert limited_client.get("/f/ZZZ999/qr.svg").status_code == 429
    api = limited_client.get("/api/v1/boards/ZZZ999")
    assert api.status_code == 429
    assert api.is_json


def test_failed_sign_ins_are_limited_per_account_from_any_address(make_app, make_user):
    # Found: only the client address was limited; many addresses could guess one password.
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="5 per 15 minutes")
    with app.app_context():
        from koosloome.accounts.models import Role
        from tests import factories

        user = factories.make_user(Role.ORGANISER, "vpk")
        email = user.email
    client = app.test_client()
    wrong = {"email": email, "password": "vale parool 123"}
    statuses = [client.post("/login", data=wrong,
                            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
                for n in range(6)]
    assert statuses == [200] * 5 + [429]
    right = client.post("/login", data={"email": email, "password": "correct horse battery"},
                        environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert right.status_code == 429  # the account waits, whoever knocks
    other = client.post("/login", data={"email": "keegi@example.ee", "password": "x" * 10},
                        environ_base={"REMOTE_ADDR": "10.0.0.98"})
    assert other.status_code == 200  # another account is not affected
