"""SQLite write transactions: requests that may write take the lock first, and only they."""

from __future__ import annotations

import pytest

from koosloome import create_app
from koosloome.db import late_write_lock, take_write_lock
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


@pytest.fixture
def late_probe_app(make_config, app):
    probe = create_app(make_config())

    @probe.post("/late-probe")
    @late_write_lock
    def late_probe_view():
        connection = db.session.connection()
        before = bool(connection.info.get("write_locked"))
        taken = take_write_lock(db.session)
        after = bool(db.session.connection().info.get("write_locked"))
        return {"before": before, "taken": taken, "after": after}

    return probe


def test_late_write_lock_views_read_first_and_lock_when_the_service_asks(
    late_probe_app, is_postgres
):
    if is_postgres:
        pytest.skip("SQLite transaction modes")
    client = late_probe_app.test_client()
    assert client.post("/late-probe").get_json() == {"before": False, "taken": True,
                                                     "after": True}


def test_a_transaction_with_unflushed_changes_is_never_ended_to_take_the_lock(
    late_probe_app, is_postgres, make_event
):
    if is_postgres:
        pytest.skip("SQLite transaction modes")
    event = make_event()

    @late_probe_app.post("/late-dirty")
    @late_write_lock
    def dirty_view():
        from koosloome.events.models import Event

        db.session.get(Event, event.id).capacity = 99
        return {"taken": take_write_lock(db.session)}

    assert late_probe_app.test_client().post("/late-dirty").get_json() == {"taken": False}
