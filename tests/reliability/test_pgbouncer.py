"""Koosloome behind PgBouncer in transaction-pooling mode (docs/deploy/pgbouncer.ini).

Each test starts its own PgBouncer with ONE server connection: every client's transactions
then run on it in turn, so whatever one client leaves on the server connection (a prepared
statement, a session setting) the next one meets, every time — what a busy pool does now and
then. Two apps on the same PgBouncer stand for two instances (or an instance and a worker).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import ProgrammingError

from koosloome.accounts.models import Organisation
from koosloome.accounts.partners import ensure_partners
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending, send_due
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.registrations.models import Registration

#: psycopg prepares a statement on the server when it runs for the sixth time on a connection
#: (``prepare_threshold``, 5 by default) with no ROLLBACK since (a rollback forgets the counts).
PREPARED_AFTER = 6
#: Registrations and messages per app.
REPEATS = 8
PERSON = {"name": "Tormaja", "consent_privacy": True}


def _register(app: Any, event_id: int, email: str) -> int:
    """One registration through the JSON API of ``app``; the status code. (Flask's own test
    client: the suite's renders the queued message after each request, the worker's job.)"""
    response = FlaskClient(app).post(f"/api/v1/events/{event_id}/registrations",
                                     json={**PERSON, "email": email})
    return response.status_code


class _Recorder:
    """A transport that keeps the Message-ID of each message handed to it."""

    def __init__(self) -> None:
        self.delivered: list[str] = []

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str,
                while_waiting: Callable[[], None] | None = None) -> None:
        """Keep the Message-ID (and let the worker build its next message, as SMTP does)."""
        self.delivered.append(message_id)
        if while_waiting is not None:
            while_waiting()


def _one_message(app: Any, transport: _Recorder) -> int:
    """One claim of one message by ``app``'s outbox (``FOR UPDATE SKIP LOCKED``) and its
    delivery; how many it sent (0 when nothing was due)."""
    go = iter([False, False])  # the claim loop, then the delivery loop; then stop
    with app.app_context():
        report = send_due(transport=transport, batch_size=1, should_stop=lambda: next(go, True))
        db.session.remove()
    return report.sent


def _look_up_event_repeatedly(app: Any, event_id: int, times: int) -> None:
    """What a worker loop does: the same query, a transaction each, on one connection."""
    with app.app_context(), db.engine.connect() as connection:
        for _ in range(times):
            connection.execute(select(Event.title_et).where(Event.id == event_id)).one()
            connection.commit()


def test_without_the_setting_prepared_statements_break_behind_pgbouncer(
    app, make_app, make_event, start_pgbouncer
):
    bouncer = start_pgbouncer(default_pool_size=1)
    event_id = make_event().id
    first, second = (make_app(SQLALCHEMY_DATABASE_URI=bouncer.url()) for _ in range(2))
    # psycopg prepares the query on its sixth run as "_pg3_0", on the server connection the
    # first app has at that moment; the second app's psycopg names its own first one alike.
    _look_up_event_repeatedly(first, event_id, PREPARED_AFTER)
    with pytest.raises(ProgrammingError) as failure:
        _look_up_event_repeatedly(second, event_id, PREPARED_AFTER)
    assert isinstance(failure.value.orig, psycopg.errors.DuplicatePreparedStatement)
    assert 'prepared statement "_pg3_0" already exists' in str(failure.value)


def test_with_the_setting_nothing_is_prepared(app, make_app, make_event, start_pgbouncer):
    bouncer = start_pgbouncer(default_pool_size=1)
    event_id = make_event().id
    first, second = (make_app(SQLALCHEMY_DATABASE_URI=bouncer.url(), DATABASE_POOLER="pgbouncer")
                     for _ in range(2))
    _look_up_event_repeatedly(first, event_id, PREPARED_AFTER)
    _look_up_event_repeatedly(second, event_id, PREPARED_AFTER)
    with second.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) == 0
        db.session.remove()


def test_registrations_and_outbox_claims_work_through_pgbouncer(
    app, make_app, make_event, start_pgbouncer
):
    """Without DATABASE_POOLER this fails at the second instance's sixth registration (a 500:
    'prepared statement "_pg3_0" already exists')."""
    bouncer = start_pgbouncer(default_pool_size=1)
    event_id = make_event(capacity=REPEATS).id
    instances = [make_app(SQLALCHEMY_DATABASE_URI=bouncer.url(), DATABASE_POOLER="pgbouncer")
                 for _ in range(2)]
    with instances[0].app_context(), db.engine.connect() as connection:
        assert connection.connection.driver_connection.prepare_threshold is None

    codes = [_register(instances[n % 2], event_id, f"p{n}@example.ee")
             for n in range(2 * REPEATS)]
    assert codes == [202] * (2 * REPEATS)
    statuses = Counter(db.session.scalars(
        select(Registration.status).where(Registration.event_id == event_id)))
    assert statuses == {"confirmed": REPEATS, "waitlisted": REPEATS}

    # The worker renders what registrations queued (one query per message, an UPDATE each in
    # one transaction: psycopg would prepare them), then claims and sends one message at a
    # time, the two instances in turn (FOR UPDATE SKIP LOCKED).
    with instances[0].app_context():
        assert render_pending() == 2 * REPEATS
        db.session.remove()
    with instances[1].app_context():
        assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) == 0
        db.session.remove()
    transport = _Recorder()
    sent = [0, 0]
    for turn in range(4 * REPEATS):
        sent[turn % 2] += _one_message(instances[turn % 2], transport)
    assert sent == [REPEATS, REPEATS]
    queued = set(db.session.scalars(
        select(OutgoingEmail.message_id).where(OutgoingEmail.event_id == event_id)))
    assert len(queued) == 2 * REPEATS
    assert Counter(transport.delivered) == dict.fromkeys(queued, 1)
    assert set(db.session.scalars(select(OutgoingEmail.status))) == {EmailStatus.SENT}

    pool = bouncer.pool(db.engine.url.database)
    assert pool["pool_mode"] == "transaction"
    assert pool["sv_active"] + pool["sv_idle"] + pool["sv_used"] <= 1


def test_healthz_needs_no_second_server_connection(make_app, start_pgbouncer):
    # /healthz opens a connection of its own: were a request's session holding another, the
    # one server connection would be taken, and PgBouncer would keep it waiting (and fail it).
    bouncer = start_pgbouncer(default_pool_size=1, query_wait_timeout=5)
    instance = make_app(SQLALCHEMY_DATABASE_URI=bouncer.url(), DATABASE_POOLER="pgbouncer")
    response = instance.test_client().get("/healthz")
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_restore_through_transaction_pooling_would_leave_the_pool_without_search_path(
    fresh_database, start_pgbouncer, tmp_path
):
    """Why ``flask restore`` needs KOOSLOOME_DATABASE_DIRECT_URL behind a pooler."""
    from koosloome.backup import backup_database, restore_database

    direct = fresh_database("pooled_restore")
    engine = create_engine(direct)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id integer PRIMARY KEY)"))
    engine.dispose()
    backup = backup_database(direct, tmp_path / "note.backup")
    bouncer = start_pgbouncer(default_pool_size=1)
    pooled_url = bouncer.url(database=direct.rsplit("/", 1)[1])
    restore_database(backup, pooled_url)  # pg_restore's session settings stay on the server
    pooled = create_engine(pooled_url)
    try:
        with pooled.connect() as connection:
            assert connection.execute(text("SHOW search_path")).scalar() == ""
            with pytest.raises(ProgrammingError) as failure:
                connection.execute(text("SELECT count(*) FROM note"))
            assert isinstance(failure.value.orig, psycopg.errors.UndefinedTable)
    finally:
        pooled.dispose()


def test_backup_and_restore_go_around_the_pooler(
    make_app, fresh_database, start_pgbouncer, tmp_path
):
    direct = fresh_database("pooled_backup")
    bouncer = start_pgbouncer(default_pool_size=1)
    instance = make_app(SQLALCHEMY_DATABASE_URI=bouncer.url(database=direct.rsplit("/", 1)[1]),
                        DATABASE_POOLER="pgbouncer", DATABASE_DIRECT_URL=direct)
    backup = tmp_path / "koosloome.backup"
    with instance.app_context():
        db.create_all()  # through PgBouncer: DDL runs in transactions too
        ensure_partners()
        db.session.commit()
        partners = db.session.scalar(select(func.count()).select_from(Organisation))
        runner = instance.test_cli_runner()
        result = runner.invoke(args=["backup", str(backup)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["restore", "--yes", str(backup)])
        assert result.exit_code == 0, result.output
        assert f":{bouncer.port}/" not in result.output  # restored straight, not via the pooler
        # The app's next transactions, on the pool's one server connection, find their tables.
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == partners > 0
        assert db.session.scalar(text("SHOW search_path")) != ""
        db.session.remove()
