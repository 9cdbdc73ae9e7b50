"""Messages as a real SMTP server receives them: structure, language, invites, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from koosloome.extensions import db
from koosloome.messaging.content import STANDALONE_KINDS
from koosloome.messaging.delivery import send_due
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.messaging.notify import notify, notify_erased
from koosloome.registrations.models import RegistrationStatus
from koosloome.seating.lifecycle import tell_event_cancelled, tell_event_changed
from tests.mail.helpers import calendar_parts, html_body, invite_of, rendered, text_body

REQUEST, CANCEL = CalendarAction.REQUEST, CalendarAction.CANCEL


def _send(registration, kind, **context):
    email = notify(registration, kind, **context)
    db.session.commit()
    report = send_due()
    assert report.sent == 1, report
    return email


def test_confirmation_arrives_with_invite_inline_and_attached(
    smtp_server, make_event, make_registration
):
    event = make_event(title_et="Kaasav planeerimine", lift=True)
    registration = make_registration(event, name="Mari Maasikas", email="mari@example.ee")
    _send(registration, MessageKind.CONFIRMED, calendar=REQUEST)

    [received] = smtp_server.messages
    assert received.rcpt_tos == ["mari@example.ee"]
    assert received.mail_from == "koosloome@koosloome.test"
    message = received.message
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment, qr_code = message.get_payload()
    assert qr_code.get_content_type() == "image/png"  # the check-in QR code for the door
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.get_payload()] == [
        "text/plain", "text/html", "text/calendar",
    ]
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_param("charset") == "UTF-8"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"
    invite = invite_of(message)
    assert invite.method == "REQUEST"
    assert invite.sequence == 0
    assert invite.vobject.vevent.attendee.value == "mailto:mari@example.ee"
    assert invite.vobject.vevent.dtstart.value.astimezone(event.starts_at.tzinfo) == event.starts_at
    assert registration.manage_url in invite.vobject.vevent.description.value
    assert "Lift: Jah" in invite.vobject.vevent.description.value


def test_messages_are_in_the_participants_language(smtp_server, make_event, make_registration):
    event = make_event(title_et="Kaasav planeerimine", title_en="Inclusive planning")
    estonian = make_registration(event, email="et@example.ee", language="et")
    english = make_registration(event, email="en@example.ee", language="en")
    notify(estonian, MessageKind.CONFIRMED, calendar=REQUEST)
    notify(english, MessageKind.CONFIRMED, calendar=REQUEST)
    db.session.commit()
    send_due()

    et_message = smtp_server.to("et@example.ee")[0].message
    assert et_message["Subject"] == "Oled registreeritud: Kaasav planeerimine"
    assert et_message["Content-Language"] == "et"
    assert "Oled registreeritud sündmusele „Kaasav planeerimine“" in text_body(et_message)
    assert "Vaata, muuda või tühista oma registreeringut" in html_body(et_message)
    assert 'lang="et"' in html_body(et_message)
    assert invite_of(et_message).vobject.vevent.summary.value == "Kaasav planeerimine"

    en_message = smtp_server.to("en@example.ee")[0].message
    assert en_message["Subject"] == "You are registered: Inclusive planning"
    assert en_message["Content-Language"] == "en"
    assert "See, change or cancel your registration" in text_body(en_message)
    assert invite_of(en_message).vobject.vevent.summary.value == "Inclusive planning"


def test_estonian_dates_and_times_in_the_text(smtp_server, make_event, make_registration):
    from datetime import UTC, datetime

    starts_at = datetime(2030, 3, 5, 12, 0, tzinfo=UTC)  # 14:00 in Tallinn
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    _send(make_registration(event, email="aeg@example.ee"), MessageKind.CONFIRMED)
    text = text_body(smtp_server.messages[0].message)
    assert "Millal: teisipäev, 5. märts 2030, 14:00–17:00" in text


def test_waiting_list_message_has_position_and_no_calendar(
    smtp_server, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event, status=RegistrationStatus.WAITLISTED)
    _send(registration, MessageKind.WAITLISTED, position=3)
    message = smtp_server.messages[0].message
    assert message.get_content_type() == "multipart/alternative"
    assert calendar_parts(message) == []
    assert "Sinu koht järjekorras: 3." in text_body(message)


def test_update_series_keeps_uid_and_raises_sequence_then_cancels(
    smtp_server, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event, email="sari@example.ee")
    _send(registration, MessageKind.CONFIRMED, calendar=REQUEST)
    for hours in (1, 2):
        event.starts_at += timedelta(hours=hours)
        event.ends_at += timedelta(hours=hours)
        event.revision += 1
        assert tell_event_changed(event) == 1
        db.session.commit()
        send_due()
    event.status = event.status.CANCELLED
    assert tell_event_cancelled(event) == 1
    db.session.commit()
    send_due()

    invites = [invite_of(received.message) for received in smtp_server.to("sari@example.ee")]
    assert [invite.method for invite in invites] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    assert len({invite.uid for invite in invites}) == 1
    sequences = [invite.sequence for invite in invites]
    assert sequences == sorted(set(sequences))  # strictly rising
    assert invites[2].vobject.vevent.dtstart.value.astimezone(event.starts_at.tzinfo) == (
        event.starts_at
    )
    assert invites[3].vobject.vevent.status.value == "CANCELLED"


def test_registration_cancelled_withdraws_the_invite_with_the_same_uid(
    smtp_server, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event)
    _send(registration, MessageKind.CONFIRMED, calendar=REQUEST)
    registration.status = RegistrationStatus.CANCELLED
    _send(registration, MessageKind.CANCELLED, calendar=CANCEL)
    first, second = (invite_of(r.message) for r in smtp_server.messages)
    assert second.method == "CANCEL"
    assert second.uid == first.uid
    assert second.sequence > first.sequence


def test_header_injection_attempts_stay_inert(smtp_server, make_event, make_registration):
    event = make_event(title_et='Töötuba "Koos", Võru\r\nBcc: victim@example.ee')
    name = 'Tamm, Mari "Mummu" Õun\r\nBcc: evil@example.ee'
    registration = make_registration(event, name=name, email="mari@example.ee")
    _send(registration, MessageKind.CONFIRMED, calendar=REQUEST)

    [received] = smtp_server.messages
    assert received.rcpt_tos == ["mari@example.ee"]
    message = received.message
    assert message["Bcc"] is None
    header_block = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in header_block
    [address] = message["To"].addresses
    assert address.addr_spec == "mari@example.ee"
    assert address.display_name == 'Tamm, Mari "Mummu" Õun Bcc: evil@example.ee'
    assert message["Subject"] == (
        'Oled registreeritud: Töötuba "Koos", Võru Bcc: victim@example.ee'
    )
    invite = invite_of(message)
    # In the invite the title keeps its line break (escaped as \n), the name its comma.
    assert invite.vobject.vevent.summary.value == event.title_et.replace("\r\n", "\n")
    assert invite.vobject.vevent.attendee.params["CN"] == [
        "Tamm, Mari 'Mummu' Õun Bcc: evil@example.ee"
    ]


@pytest.mark.parametrize("language", ["et", "en"])
def test_an_erasure_is_confirmed_without_a_link_and_withdraws_the_invitation(
    smtp_server, make_event, make_registration, language
):
    event = make_event(title_et="Pealkiri", title_en="Title")
    registration = make_registration(event, email="kustuta@example.ee", language=language)
    _send(registration, MessageKind.CONFIRMED, calendar=REQUEST)
    notify_erased(registration)
    db.session.delete(registration)  # the message outlives the registration
    db.session.commit()
    assert send_due().sent == 1
    invite, cancel = (invite_of(r.message) for r in smtp_server.to("kustuta@example.ee"))
    assert (cancel.method, cancel.uid) == ("CANCEL", invite.uid)
    assert cancel.sequence > invite.sequence
    message = smtp_server.messages[-1].message
    assert ("Pealkiri" if language == "et" else "Title") in message["Subject"]
    assert "/r/" not in text_body(message) and "/r/" not in html_body(message)


def test_message_id_is_on_the_sites_domain_and_sender_is_formatted(
    smtp_server, make_event, make_registration
):
    _send(make_registration(make_event()), MessageKind.CONFIRMED)
    message = smtp_server.messages[0].message
    assert message["Message-ID"].endswith("@koosloome.test>")
    assert message["From"].addresses[0].display_name == "Koosloome"
    assert message["From"].addresses[0].addr_spec == "koosloome@koosloome.test"
    assert message["Auto-Submitted"] == "auto-generated"


def test_phone_only_registration_gets_no_email(app, make_event, make_registration):
    registration = make_registration(make_event(), email=None, phone="+372 5555 1234")
    assert notify(registration, MessageKind.CONFIRMED) is None
    assert db.session.scalars(select(OutgoingEmail)).all() == []


@pytest.mark.parametrize("kind", [kind for kind in MessageKind if kind not in STANDALONE_KINDS])
@pytest.mark.parametrize("language", ["et", "en"])
def test_every_kind_renders_with_manage_link_in_both_languages(
    app, make_event, make_registration, kind, language
):
    event = make_event(title_et="Pealkiri", title_en="Title", feedback_url="https://forms.example/f")
    registration = make_registration(event, language=language)
    email = rendered(notify(registration, kind, position=2, subject="Teade",
                            body="Tere!\n\nTooge kaasa.", arrangement="captions",
                            reason="Kirjutustõlk on haige"))
    link = registration.manage_url
    assert link in email.body_text
    assert link in email.body_html
    assert email.language == language
    assert email.body_text.startswith("Tere," if language == "et" else "Hello,")
    if kind is not MessageKind.ORGANISER_MESSAGE:
        assert ("Pealkiri" if language == "et" else "Title") in email.subject
    assert email.status is EmailStatus.QUEUED


def test_organiser_message_text_is_escaped_in_html(app, make_event, make_registration):
    registration = make_registration(make_event())
    email = rendered(notify(registration, MessageKind.ORGANISER_MESSAGE, subject="Info",
                            body="<script>alert(1)</script>\n\nTeine lõik"))
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html
    assert "<script>alert(1)</script>" in email.body_text


def test_a_name_that_looks_like_an_encoded_word_reads_as_typed():
    """Mail programs decode ``=?utf-8?q?…?=`` in a display name: such a name is encoded itself,
    so nobody can make their name show as something else (or as an address)."""
    from email.headerregistry import HeaderRegistry

    from koosloome.messaging.mime import address_header

    name = "=?utf-8?q?admin=40koosloome=2Eee?= Mari"
    header = HeaderRegistry()("To", address_header(name, "mari@example.ee"))
    assert [(a.display_name, a.addr_spec) for a in header.addresses] == [
        (name, "mari@example.ee")]
