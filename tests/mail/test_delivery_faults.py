"""Delivery that keeps its promises under faults (issue 14): a slow batch is not sent twice,
a database that drops the worker's connection does not end the worker, one message that
cannot be rendered fails alone, and an SMTP outcome is never lost to a database outage."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging import claims
from koosloome.messaging.claims import ABANDONED
from koosloome.messaging.delivery import Courier, send_due
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.notify import notify
from koosloome.messaging.outbox import queue_email
from tests.mail.helpers import worker_environment

FLASK = [sys.executable, "-m", "flask", "--app", "koosloome"]
ROOT = Path(__file__).resolve().parents[2]
WORKER_NAME = "koosloome-test-worker"


def start_worker(app, smtp_port: int, instance: Path, *, batch_size: int,
                 lease_seconds: int = 600) -> subprocess.Popen:
    """A real ``outbox work`` process on the test database; returns once it polls."""
    environment = worker_environment(
        app, smtp_port, instance, KOOSLOOME_OUTBOX_CLAIM_SECONDS=str(lease_seconds),
        PGAPPNAME=WORKER_NAME,  # how the test finds the worker's connections
    )
    worker = subprocess.Popen(
        [*FLASK, "outbox", "work", "--interval", "0.2", "--batch-size", str(batch_size)],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert worker.stdout is not None
    first = worker.stdout.readline()
    assert first.startswith("Delivering e-mail every"), first
    return worker


def stop(workers: list[subprocess.Popen]) -> list[str]:
    """SIGTERM each worker and collect what it printed; each must have stopped cleanly."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * len(workers), outputs
    assert all("Stopped." in output for output in outputs), outputs
    return outputs


def wait_until(condition: Callable[[], bool], seconds: float = 120) -> None:
    """Poll ``condition`` (it reads the database afresh) until true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _count(*conditions) -> int:
    db.session.rollback()  # see the workers' commits
    return db.session.scalar(select(func.count(OutgoingEmail.id)).where(*conditions))


def _queue(make_event, make_registration, count: int, prefix: str) -> list[str]:
    """``count`` confirmations, queued (unrendered) in one write transaction."""
    db.session.rollback()
    with write_intent():
        event = make_event()
        addresses = [f"{prefix}{number}@example.ee" for number in range(count)]
        for address in addresses:
            notify(make_registration(event, email=address), MessageKind.CONFIRMED)
        db.session.commit()
    return addresses


def _broken_message() -> int:
    """A queued message whose template values do not fit its template (an organiser's
    message without its subject)."""
    db.session.rollback()
    with write_intent():
        event_id, registration_id = db.session.execute(
            select(OutgoingEmail.event_id, OutgoingEmail.registration_id).limit(1)).one()
        email = queue_email(kind=MessageKind.ORGANISER_MESSAGE.value,
                            to_address="broken@example.ee", pending={}, event_id=event_id,
                            registration_id=registration_id)
        db.session.commit()
    return email.id


def _received(smtp_server) -> Counter:
    return Counter(address for received in smtp_server.messages
                   for address in received.rcpt_tos)


def test_a_slow_batch_is_sent_once_by_two_workers_with_a_short_lease(
    app, smtp_server, make_event, make_registration, tmp_path
):
    # Found: one lease for a whole batch and no ownership check. With an SMTP server taking
    # 1 s a message and a 6 s lease, 20 messages reached the server 35 times, and 15 false
    # "the worker stopped" attempts were recorded.
    smtp_server.recorder.delay = 1.0
    workers = [start_worker(app, smtp_server.port, tmp_path / f"w{n}", batch_size=10,
                            lease_seconds=4) for n in range(2)]
    try:
        addresses = _queue(make_event, make_registration, 20, "slow")
        wait_until(lambda: _count(OutgoingEmail.status == EmailStatus.SENT) == 20)
    finally:
        outputs = stop(workers)
    assert _received(smtp_server) == Counter({address: 1 for address in addresses})
    attempts = db.session.scalars(select(DeliveryAttempt.error)).all()
    assert len(attempts) == 20 and ABANDONED not in attempts
    assert all(" sent," in output for output in outputs), outputs  # both took part


def test_a_worker_outlives_dropped_connections_and_a_broken_message(
    app, is_postgres, smtp_server, make_event, make_registration, tmp_path
):
    if not is_postgres:
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no server to drop us")
    smtp_server.recorder.delay = 0.1
    addresses = _queue(make_event, make_registration, 15, "outage")
    broken = _broken_message()
    worker = start_worker(app, smtp_server.port, tmp_path / "w", batch_size=4)
    admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    terminated = 0
    try:
        # Cut the worker off from the database again and again while it delivers.
        while _count(OutgoingEmail.status == EmailStatus.SENT) < 15:
            assert worker.poll() is None, worker.communicate()[0]
            with admin.connect() as connection:
                terminated += connection.execute(text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"), {"name": WORKER_NAME}).scalar()
            time.sleep(0.3)
            assert terminated < 500, "no progress"
        assert worker.poll() is None  # still running
    finally:
        admin.dispose()
        output = stop([worker])[0]
    assert terminated > 0
    assert "The database did not answer" in output
    assert _received(smtp_server) == Counter({address: 1 for address in addresses})
    failed = db.session.get(OutgoingEmail, broken)
    assert failed.status is EmailStatus.FAILED
    assert "could not be rendered" in failed.last_error and "subject" in failed.last_error


def test_a_template_error_fails_that_message_alone(smtp_server, make_event, make_registration):
    addresses = _queue(make_event, make_registration, 3, "fine")
    broken = _broken_message()
    report = send_due()
    assert report.sent == 3
    assert _received(smtp_server) == Counter({address: 1 for address in addresses})
    failed = db.session.get(OutgoingEmail, broken)
    assert failed.status is EmailStatus.FAILED
    assert failed.last_error.startswith("The message could not be rendered: KeyError")
    assert [attempt.error for attempt in failed.delivery_attempts] == [failed.last_error]


def test_an_outcome_given_during_a_database_outage_is_recorded_later_not_resent(
    app, smtp_server, make_event, make_registration, monkeypatch
):
    [address] = _queue(make_event, make_registration, 1, "kept")
    record = claims.record
    calls = {"n": 0}

    def record_while_the_database_is_down(outcome):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("UPDATE outgoing_email", {}, Exception("server closed"))
        return record(outcome)

    monkeypatch.setattr(claims, "record", record_while_the_database_is_down)
    courier = Courier()
    with pytest.raises(OperationalError):
        courier.send_due()
    db.session.rollback()
    assert len(courier.unrecorded) == 1 and len(smtp_server.messages) == 1
    report = courier.send_due()  # the database answers again
    assert report.sent == 1 and courier.unrecorded == []
    assert _received(smtp_server) == Counter({address: 1})  # not sent again
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.status is EmailStatus.SENT and email.claim_token is None


def test_an_outcome_for_a_claim_that_passed_to_another_worker_is_not_recorded(
    smtp_server, make_event, make_registration
):
    [address] = _queue(make_event, make_registration, 1, "stale")
    courier = Courier()
    with write_intent():
        claimed = claims.claim(utcnow(), 5, courier.lease)
        db.session.commit()
    with write_intent():  # another worker took the message up after the lease ran out
        db.session.execute(text("UPDATE outgoing_email SET claim_token = 'theirs'"))
        db.session.commit()
    with write_intent():
        assert claims.record(claims.Outcome(claimed[0], utcnow())) is None
        assert not claims.still_held(claimed[0])
        assert claims.renew(claimed, utcnow(), courier.lease) == set()
        db.session.commit()
    email = db.session.scalars(select(OutgoingEmail)).one()
    db.session.refresh(email)
    assert (email.status, email.claim_token) == (EmailStatus.SENDING, "theirs")
    assert email.delivery_attempts == [] and address


def test_a_message_that_cannot_be_built_ahead_fails_alone(
    smtp_server, make_event, make_registration, monkeypatch
):
    # The worker builds each message while the server takes in the one before; a build error
    # there is the message's own, as it would be in its turn.
    from koosloome.messaging import delivery

    addresses = _queue(make_event, make_registration, 3, "ahead")
    delivery.render_pending()
    build = delivery.build_message

    def build_but_not_for_the_second(email, *args):
        if email.to_address == addresses[1]:
            raise ValueError("a broken part")
        return build(email, *args)

    monkeypatch.setattr(delivery, "build_message", build_but_not_for_the_second)
    report = send_due()
    assert (report.sent, report.failed) == (2, 1)
    assert _received(smtp_server) == Counter({addresses[0]: 1, addresses[2]: 1})
    failed = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.to_address == addresses[1])).one()
    assert failed.status is EmailStatus.FAILED
    assert failed.last_error == "The message could not be built: ValueError: a broken part"


def test_work_done_while_the_server_takes_a_message_in_cannot_fail_it(app, smtp_server):
    from koosloome.messaging.transport import SmtpTransport

    done = []

    def failing() -> None:
        done.append(len(smtp_server.messages))
        raise RuntimeError("not the message's fault")

    with SmtpTransport(app) as transport:
        transport.deliver(b"Subject: x\r\n\r\nhello\r\n", "k@koosloome.test", "a@example.ee",
                          "<1@x>", failing)
        transport.deliver(b"Subject: y\r\n\r\nagain\r\n", "k@koosloome.test", "b@example.ee",
                          "<2@x>")
    assert [r.rcpt_tos for r in smtp_server.messages] == [["a@example.ee"], ["b@example.ee"]]
    assert len(done) == 1


def test_work_while_waiting_runs_once_a_message_has_gone_and_only_then(app, smtp_server):
    from koosloome.messaging.transport import PermanentFailure, SmtpTransport

    smtp_server.refuse.add("gone@example.ee")
    ran: list[str] = []
    # A line that is a lone dot, and one that starts with one: smtplib stuffs them, and the
    # hook must not take either for the end of the message.
    body = b"Subject: z\r\n\r\nfirst\r\n.\r\n.second\r\n"
    with SmtpTransport(app) as transport:
        with pytest.raises(PermanentFailure):  # refused at RCPT: no DATA, nothing waited for
            transport.deliver(body, "k@koosloome.test", "gone@example.ee", "<3@x>",
                              lambda: ran.append("refused"))
        transport.deliver(body, "k@koosloome.test", "c@example.ee", "<4@x>",
                          lambda: ran.append("sent"))
        transport.deliver(body, "k@koosloome.test", "d@example.ee", "<5@x>")
    assert ran == ["sent"]
    assert [r.rcpt_tos for r in smtp_server.messages] == [["c@example.ee"], ["d@example.ee"]]
    assert smtp_server.messages[0].message.get_payload() == "first\r\n.\r\n.second\r\n"
