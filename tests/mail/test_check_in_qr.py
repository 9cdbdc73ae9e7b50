"""Confirmations carry a QR code of the check-in page for staff to scan at the door."""

from __future__ import annotations

from email import message_from_bytes

from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.mime import (
    CHECK_IN_QR_FILENAME,
    build_message,
    check_in_url,
    message_bytes,
)
from koosloome.messaging.notify import notify
from tests.mail.helpers import rendered


def _parts(email):
    message = message_from_bytes(message_bytes(build_message(email, "Koosloome <k@x.ee>")))
    return {part.get_filename(): part for part in message.walk() if part.get_filename()}


def test_confirmation_carries_the_check_in_qr_code(app, make_event, make_registration):
    registration = make_registration(make_event())
    email = rendered(notify(registration, MessageKind.CONFIRMED,
                            calendar=CalendarAction.REQUEST))
    parts = _parts(email)
    qr = parts[CHECK_IN_QR_FILENAME]
    assert qr.get_content_type() == "image/png"
    assert qr.get_payload(decode=True).startswith(b"\x89PNG")
    assert "invite.ics" in parts
    assert "QR" in email.body_text
    assert check_in_url(registration.id).endswith(
        f"/admin/registrations/{registration.id}/check-in"
    )


def test_waiting_list_message_has_no_qr_code(app, make_event, make_registration):
    registration = make_registration(make_event())
    email = rendered(notify(registration, MessageKind.WAITLISTED, position=1))
    assert CHECK_IN_QR_FILENAME not in _parts(email)
