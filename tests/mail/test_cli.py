"""``outbox send``, ``outbox work`` (as real processes) and ``reminders send``."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.notify import notify
from tests.mail.helpers import worker_environment

FLASK = [sys.executable, "-m", "flask", "--app", "koosloome"]
ROOT = Path(__file__).resolve().parents[2]


def test_outbox_send_delivers_and_reports(runner, smtp_server, make_event, make_registration):
    event = make_event()
    for number in range(3):
        notify(make_registration(event, email=f"c{number}@example.ee"), MessageKind.CONFIRMED)
    db.session.commit()
    smtp_server.refuse.add("c2@example.ee")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry later, 1 failed." in result.output
    assert len(smtp_server.messages) == 2


def test_reminders_send_queues_each_reminder_once(runner, make_event, make_registration):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(days=1))
    make_registration(event, created_at=now - timedelta(days=7))
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "Queued 1 reminder(s) and 0 thank-you message(s); 0 digest(s)" in first.output
    second = runner.invoke(args=["reminders", "send"])
    assert "Queued 0 reminder(s)" in second.output
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert kinds == ["reminder"]


def _worker(app, smtp_port: int, instance: Path) -> subprocess.Popen:
    environment = worker_environment(app, smtp_port, instance)
    return subprocess.Popen(
        [*FLASK, "outbox", "work", "--interval", "0.2", "--batch-size", "3"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _ready(worker: subprocess.Popen) -> str:
    """Wait for the worker's first line, printed once its signal handlers are in place."""
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.startswith("Delivering e-mail every"), line
    return line


def _sent_count() -> int:
    db.session.rollback()  # see the workers' commits
    query = select(func.count()).where(OutgoingEmail.status == EmailStatus.SENT)
    return db.session.scalar(query)


def test_two_outbox_workers_deliver_each_message_exactly_once(
    app, smtp_server, make_event, make_registration, tmp_path
):
    # Runs on SQLite too (claims take turns there); on PostgreSQL it exercises SKIP LOCKED.
    total = 60
    smtp_server.recorder.delay = 0.03  # slow enough that both workers have work in hand
    workers = [_worker(app, smtp_server.port, tmp_path / f"w{n}") for n in range(2)]
    outputs = [_ready(worker) for worker in workers]
    try:
        # Queued only once both workers are polling, so neither can take it all alone. On
        # SQLite the test writes as the app does: in a transaction that takes the write lock
        # first (a read-then-write one fails when a worker committed in between).
        db.session.rollback()
        with write_intent():
            event = make_event()
            for number in range(total):
                registration = make_registration(event, email=f"w{number}@example.ee")
                notify(registration, MessageKind.CONFIRMED)
            db.session.commit()
        deadline = time.monotonic() + 90
        while _sent_count() < total and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [out + worker.communicate(timeout=30)[0] for out, worker in zip(outputs, workers,
                                                                                 strict=True)]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert all("Stopped." in output for output in outputs), outputs

    assert _sent_count() == total
    ids = Counter(received.message["Message-ID"] for received in smtp_server.messages)
    assert len(ids) == total
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    attempts = db.session.scalar(select(func.count()).select_from(DeliveryAttempt))
    assert attempts == total
    # Both workers took part (each prints a line per round in which it sent something).
    assert all(" sent," in output for output in outputs), outputs


def test_outbox_work_stops_cleanly_on_sigint(app, smtp_server, tmp_path):
    worker = _worker(app, smtp_server.port, tmp_path / "w")
    ready = _ready(worker)
    worker.send_signal(signal.SIGINT)
    output = ready + worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert "Stopped." in output
