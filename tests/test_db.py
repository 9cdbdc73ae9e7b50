"""SQLite write transactions: requests that may write take the lock first, and only they."""

from __future__ import annotations

import pytest

from koosloome import create_app
from koosloome.extensions import db


@pytest.fixture
def probe_app(make_config, app):
    probe = create_app(make_config())

    @probe.route("/probe", methods=["GET", "POST"])
    def probe_view():
        connection = db.session.connection()
        return {"write_locked": bool(connection.info.get("write_locked"))}

    return probe


def test_only_unsafe_methods_begin_immediate_and_it_does_not_leak(probe_app, is_postgres):
    if is_postgres:
        pytest.skip("SQLite transaction modes")
    client = probe_app.test_client()
    assert client.post("/probe").get_json() == {"write_locked": True}
    assert client.get("/probe").get_json() == {"write_locked": False}
    assert client.post("/probe").get_json() == {"write_locked": True}


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(app, is_postgres):
    if is_postgres:
        pytest.skip("SQLite pragmas")
    connection = db.session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
