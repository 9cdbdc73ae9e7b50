"""Delivery: once, with retries while the server is away, failures that do not block others."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import func, select

from koosloome.accounts.models import Role
from koosloome.accounts.password_reset import queue_reset_email
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging import transport
from koosloome.messaging.claims import ABANDONED, MAX_ATTEMPTS, retry_delay
from koosloome.messaging.delivery import CLAIM_LEASE, render_pending, send_due
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.notify import notify
from koosloome.messaging.outbox import queue_email
from tests.mail.helpers import calendar_parts


def _queue(make_event, make_registration, count: int, **fields) -> list[OutgoingEmail]:
    event = make_event()
    emails = [
        notify(make_registration(event, email=f"p{n}@example.ee", **fields), MessageKind.CONFIRMED)
        for n in range(count)
    ]
    db.session.commit()
    return emails


def _statuses() -> list[EmailStatus]:
    return list(db.session.scalars(select(OutgoingEmail.status).order_by(OutgoingEmail.id)))


def test_a_rolled_back_change_sends_nothing(app, make_event, make_registration):
    registration = make_registration(make_event())
    notify(registration, MessageKind.CONFIRMED)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0


def test_delivers_once_and_records_the_attempt(smtp_server, make_event, make_registration):
    [email] = _queue(make_event, make_registration, 1)
    report = send_due()
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    assert send_due().total == 0
    assert len(smtp_server.messages) == 1
    db.session.refresh(email)
    assert email.status is EmailStatus.SENT
    assert email.sent_at is not None
    assert [(a.ok, a.error) for a in email.delivery_attempts] == [(True, "")]


def test_smtp_down_during_a_burst_loses_nothing_and_sends_each_once_later(
    smtp_server, make_event, make_registration
):
    smtp_server.stop()
    emails = _queue(make_event, make_registration, 12)
    report = send_due()
    assert (report.sent, report.retrying) == (0, 12)
    assert set(_statuses()) == {EmailStatus.RETRY}
    for email in emails:
        db.session.refresh(email)
        assert email.attempts == 1
        assert "Connection refused" in email.last_error
        assert email.next_attempt_at > utcnow()

    smtp_server.start()
    assert send_due().total == 0  # back-off: not due yet
    later = utcnow() + retry_delay(1) + timedelta(seconds=1)
    assert send_due(now=later).sent == 12
    assert send_due(now=later + timedelta(days=1)).total == 0
    received_ids = [received.message["Message-ID"] for received in smtp_server.messages]
    assert sorted(received_ids) == sorted(email.message_id for email in emails)
    assert set(_statuses()) == {EmailStatus.SENT}
    attempts = db.session.scalars(select(DeliveryAttempt.ok)).all()
    assert sorted(attempts) == [False] * 12 + [True] * 12


def test_a_refused_address_fails_with_the_reason_and_the_queue_goes_on(
    smtp_server, make_event, make_registration
):
    emails = _queue(make_event, make_registration, 3)
    smtp_server.refuse.add("p1@example.ee")
    report = send_due()
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(r.rcpt_tos[0] for r in smtp_server.messages) == ["p0@example.ee", "p2@example.ee"]
    refused = emails[1]
    db.session.refresh(refused)
    assert refused.status is EmailStatus.FAILED
    assert refused.last_error.startswith("550 ")
    assert "no such user" in refused.last_error
    assert send_due(now=utcnow() + timedelta(days=2)).total == 0  # never retried


def test_back_off_grows_and_gives_up_after_the_last_attempt(
    smtp_server, make_event, make_registration
):
    assert [retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)
    ]
    assert retry_delay(30) == timedelta(hours=6)
    smtp_server.stop()
    [email] = _queue(make_event, make_registration, 1)
    moment = utcnow()
    for _attempt in range(MAX_ATTEMPTS):
        assert send_due(now=moment).total == 1
        moment += timedelta(hours=7)
    db.session.refresh(email)
    assert email.status is EmailStatus.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert len(email.delivery_attempts) == MAX_ATTEMPTS
    assert send_due(now=moment).total == 0


def test_a_claim_abandoned_by_a_dead_worker_is_taken_up_after_the_lease(
    smtp_server, make_event, make_registration
):
    [email] = _queue(make_event, make_registration, 1)
    email.status = EmailStatus.SENDING  # as a worker that died mid-delivery left it
    email.attempts = 1
    email.next_attempt_at = utcnow() + CLAIM_LEASE
    db.session.commit()
    assert send_due().total == 0
    assert send_due(now=utcnow() + CLAIM_LEASE + timedelta(seconds=1)).sent == 1
    db.session.refresh(email)
    assert [a.error for a in email.delivery_attempts] == [ABANDONED, ""]
    assert len(smtp_server.messages) == 1


def test_without_an_smtp_server_messages_become_eml_files(app, make_event, make_registration):
    assert not app.config["MAIL_SERVER"]
    [email] = _queue(make_event, make_registration, 1)
    assert send_due().sent == 1
    files = list((Path(app.instance_path) / "mail").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=default)
    assert message["Message-ID"] == email.message_id
    assert message["To"].addresses[0].addr_spec == "p0@example.ee"


def test_send_due_refuses_to_commit_someone_elses_pending_changes(app, make_event):
    event = make_event()
    event.capacity = 99
    with pytest.raises(RuntimeError):
        send_due()


def test_queue_email_wants_a_sequence_with_a_calendar_method(app):
    with pytest.raises(ValueError, match="go together"):
        queue_email(kind="x", to_address="a@example.ee", pending={}, calendar_method="REQUEST")


def _register(event, email: str):
    from koosloome.registrations import services
    from koosloome.registrations.services import RegistrationData
    from tests.factories import writing

    with writing():
        outcome = services.register(event, RegistrationData(
            name="Mari Tamm", email=email, consent_privacy=True))
        db.session.commit()
    return outcome.registration


def test_a_registration_queues_its_message_unrendered_and_the_worker_renders_it(
    smtp_server, make_event
):
    event = make_event(title_et="Kaasav planeerimine")
    registration = _register(event, "mari@example.ee")
    email = db.session.scalars(select(OutgoingEmail)).one()
    # Decided at once: who, which calendar and its SEQUENCE; the text comes later.
    assert (email.to_address, email.calendar_method, email.calendar_sequence) == (
        "mari@example.ee", "REQUEST", event.revision)
    assert email.pending == {"position": None}
    assert email.body_text == "" and email.calendar is None

    assert render_pending() == 1
    db.session.refresh(email)
    assert email.pending is None
    assert "Kaasav planeerimine" in email.subject and "Mari Tamm" in email.body_text
    assert b"METHOD:REQUEST" in email.calendar
    assert render_pending() == 0  # stored once, not rendered again
    assert send_due().sent == 1
    assert "Kaasav planeerimine" in smtp_server.messages[0].message["Subject"]
    assert registration.id == email.registration_id


def test_the_worker_renders_what_was_not_rendered_ahead_when_it_claims(smtp_server,
                                                                       make_event):
    import koosloome.messaging.delivery as outbox

    _register(make_event(), "mari@example.ee")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "render_pending", lambda limit=0: 0)  # the step did not run
        assert send_due().sent == 1
    email = db.session.scalars(select(OutgoingEmail)).one()
    db.session.refresh(email)
    assert email.pending is None and email.body_text
    assert "Mari Tamm" in smtp_server.messages[0].message.get_body(("plain",)).get_content()


def test_erasing_a_registration_drops_its_unrendered_messages(smtp_server, make_event):
    from koosloome.registrations.personal_data import erase
    from tests.factories import writing

    registration = _register(make_event(), "mari@example.ee")
    with writing():
        erase(registration)
        db.session.commit()
    # The confirmation that never left is dropped; only the erasure's own message remains,
    # with no calendar: no invitation reached the person, so there is nothing to withdraw.
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert kinds == ["erased"]
    assert send_due().sent == 1
    assert not calendar_parts(smtp_server.messages[0].message)


def test_a_message_whose_registration_is_gone_fails_for_good(smtp_server, make_event):
    registration = _register(make_event(), "mari@example.ee")
    email = db.session.scalars(select(OutgoingEmail)).one()
    email.registration_id = None  # as if the registration were deleted some other way
    db.session.commit()
    assert render_pending() == 0  # fails for good when rendered, with the reason
    db.session.refresh(email)
    assert email.status is EmailStatus.FAILED
    assert "no longer exists" in email.last_error
    assert [a.error for a in email.delivery_attempts] == [email.last_error]
    assert send_due().total == 0
    assert smtp_server.messages == []
    assert registration.id is not None


def test_six_password_resets_in_one_second_are_six_files_with_six_message_ids(
    app, make_user, monkeypatch
):
    # Found: reset messages had an empty Message-ID and files were named by time and
    # Message-ID, so "6 sent" left 5 files.
    previous = os.umask(0o022)  # a careless shell's: files readable by everyone
    try:
        user = make_user(Role.ORGANISER, "vpk")
        with app.test_request_context():
            for _ in range(6):
                queue_reset_email(user, "et")
        db.session.commit()
        frozen = transport.datetime(2026, 12, 3, 9, 0, 0)
        monkeypatch.setattr(transport, "datetime", type("Frozen", (), {
            "now": staticmethod(lambda: frozen)}))
        assert send_due().sent == 6
    finally:
        os.umask(previous)
    ids = db.session.scalars(select(OutgoingEmail.message_id)).all()
    assert len(set(ids)) == 6 and all(ids)
    folder = Path(app.instance_path) / "mail"
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 6
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}
    assert {message_from_bytes(path.read_bytes(), policy=default)["Message-ID"]
            for path in files} == set(ids)
