"""SMS for people without e-mail (issue 17.3), through Messente's Omnimessage API, tested
against a local stand-in that speaks it: a free seat, a reminder or a change reaches a mobile
phone once; a landline gets none; an outage is tried again, a refusal is not; without a
provider nothing is queued."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.models import CallTask, OutgoingSms, SmsStatus
from koosloome.registrations.models import Registration, RegistrationStatus
from tests import sms_standin

PHONE_ONLY = {"name": "Helju Hõbe", "phone": "+372 5123 4567", "language": "et",
              "consent_privacy": "y"}


@pytest.fixture
def standin(app):
    standin, server = sms_standin.start()
    app.config.update(SMS_PROVIDER="messente", SMS_API_URL=standin.url,
                      SMS_USERNAME=standin.username, SMS_PASSWORD=standin.password,
                      SMS_SENDER="Koosloome")
    yield standin
    server.shutdown()
    server.server_close()


def _sms() -> list[OutgoingSms]:
    return list(db.session.scalars(select(OutgoingSms).order_by(OutgoingSms.id)))


def _wait_for_a_seat(client, make_event, phone: str = PHONE_ONLY["phone"]):
    """A full event; the phone-only person waits; the one with the seat cancels."""
    event = make_event(capacity=1, title_et="Eakate kaasamine")
    client.post(f"/events/{event.slug}/register", data={
        "name": "Mari Maasikas", "email": "mari@example.ee", "language": "et",
        "consent_privacy": "y"})
    client.post(f"/events/{event.slug}/register", data={**PHONE_ONLY, "phone": phone})
    mari = db.session.scalars(select(Registration).where(Registration.email.is_not(None))).one()
    client.post(f"/r/{mari.manage_token}/cancel")
    return event


def test_a_free_seat_reaches_a_phone_only_person_by_sms_once(runner, client, make_event,
                                                             standin):
    _wait_for_a_seat(client, make_event)
    helju = db.session.scalars(select(Registration).where(Registration.email.is_(None))).one()
    assert helju.status is RegistrationStatus.CONFIRMED
    [sms] = _sms()
    assert (sms.kind, sms.to_number, sms.status) == ("promoted", "+37251234567",
                                                     SmsStatus.QUEUED)
    # The call is made all the same: an SMS may go unread.
    assert {task.kind for task in db.session.scalars(select(CallTask))} == {
        "waitlisted", "promoted"}

    output = runner.invoke(args=["sms", "send"]).output
    assert "SMS: 1 sent" in output
    [received] = standin.received
    assert (received.to, received.sender) == ("+37251234567", "Koosloome")
    assert received.text.startswith("Koht vabanes: saad tulla sündmusele „Eakate kaasamine“")
    assert len(received.text) <= 306
    db.session.expire_all()
    [sms] = _sms()
    assert sms.status is SmsStatus.SENT and sms.provider_id == received.omnimessage_id
    assert sms.text == received.text and sms.pending is None

    assert "SMS: 0 sent" in runner.invoke(args=["sms", "send"]).output
    assert len(standin.received) == 1  # never twice


def test_a_landline_gets_no_sms_but_still_a_call(client, make_event, standin):
    _wait_for_a_seat(client, make_event, phone="+372 742 1234")
    assert _sms() == []
    assert db.session.scalars(select(CallTask.kind).where(
        CallTask.kind == "promoted")).all() == ["promoted"]


def test_an_outage_is_tried_again_and_a_refusal_is_not(runner, client, make_event, standin):
    _wait_for_a_seat(client, make_event)
    standin.fail_with = 503
    assert "1 to try later" in runner.invoke(args=["sms", "send"]).output
    db.session.expire_all()
    [sms] = _sms()
    assert (sms.status, sms.attempts) == (SmsStatus.QUEUED, 1)
    assert sms.next_attempt_at > utcnow() and "503" in sms.last_error
    assert "SMS: 0 sent" in runner.invoke(args=["sms", "send"]).output  # not due yet

    standin.fail_with = None
    db.session.execute(update(OutgoingSms).values(next_attempt_at=utcnow() - timedelta(1)))
    db.session.commit()
    assert "SMS: 1 sent" in runner.invoke(args=["sms", "send"]).output
    assert len(standin.received) == 1


def test_wrong_credentials_fail_the_message_with_the_providers_reason(runner, app, client,
                                                                      make_event, standin):
    _wait_for_a_seat(client, make_event)
    app.config["SMS_PASSWORD"] = "not-the-password"
    assert "1 failed" in runner.invoke(args=["sms", "send"]).output
    db.session.expire_all()
    [sms] = _sms()
    assert sms.status is SmsStatus.FAILED and sms.last_error.startswith("401")
    assert standin.received == []


def test_the_sms_is_in_english_for_someone_who_registered_in_english(runner, client, make_event,
                                                                     standin):
    event = make_event(capacity=5, title_en="Including older people")
    client.post(f"/events/{event.slug}/register", data={**PHONE_ONLY, "language": "en"})
    runner.invoke(args=["reminders", "send"])
    assert _sms() == []  # two weeks ahead: no reminder yet
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(update(Registration).values(created_at=long_ago, confirmed_at=long_ago))
    event.starts_at = utcnow() + timedelta(days=1, hours=2)
    event.ends_at = event.starts_at + timedelta(hours=3)
    db.session.commit()
    runner.invoke(args=["reminders", "send"])
    assert [sms.kind for sms in _sms()] == ["reminder"]
    runner.invoke(args=["sms", "send"])
    [received] = standin.received
    assert received.text.startswith("Reminder: “Including older people” on ")


def test_erasure_takes_the_sms_too(client, make_event, standin):
    _wait_for_a_seat(client, make_event)
    helju = db.session.scalars(select(Registration).where(Registration.email.is_(None))).one()
    client.post(f"/r/{helju.manage_token}/erase")
    assert _sms() == []


def test_without_a_provider_no_sms_is_queued(client, make_event):
    _wait_for_a_seat(client, make_event)
    assert _sms() == []
