"""Confirmations carry a QR code of the check-in page for staff to scan at the door; it is
made once a registration, when its first such message is rendered, and stored."""

from __future__ import annotations

import io
from email import message_from_bytes

import segno
from PIL import Image
from sqlalchemy import delete, select

from koosloome.extensions import db
from koosloome.messaging import check_in_codes, mime
from koosloome.messaging.check_in_codes import check_in_url
from koosloome.messaging.delivery import render_pending, send_due
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.mime import CHECK_IN_QR_FILENAME, build_message, message_bytes
from koosloome.messaging.models import CheckInCode
from koosloome.messaging.notify import notify
from koosloome.registrations.models import Registration
from tests.factories import writing
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


def _pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    """The size and pixels of a 1-bit black-and-white PNG (Pillow reads it, checking every
    chunk's CRC), one byte a pixel: 0 dark, 255 light."""
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert (picture.format, picture.mode) == ("PNG", "1")  # 1-bit greyscale, as segno's
    return picture.size, picture.convert("L").tobytes()


def test_the_check_in_png_is_the_picture_segno_draws():
    url = "https://koosloome.example.ee/admin/registrations/12345/check-in"
    code = segno.make(url, error="m")
    ours = check_in_codes.qr_png(url)
    theirs = io.BytesIO()
    code.save(theirs, kind="png", scale=8, border=4)
    assert _pixels(ours) == _pixels(theirs.getvalue())
    side = code.symbol_size()[0] * 8  # 4 modules of quiet zone each side, 8 pixels a module
    assert _pixels(ours)[0] == (side, side)


def _confirmation(make_event, make_registration):
    registration = make_registration(make_event())
    email = notify(registration, MessageKind.CONFIRMED, calendar=CalendarAction.REQUEST)
    db.session.commit()
    return registration, email


def _stored(registration_id: int) -> CheckInCode | None:
    db.session.expire_all()
    return db.session.get(CheckInCode, registration_id)


def test_the_code_is_made_once_when_the_first_message_is_rendered_and_sent_as_stored(
    smtp_server, make_event, make_registration, monkeypatch
):
    registration, email = _confirmation(make_event, make_registration)
    assert _stored(registration.id) is None
    assert render_pending() == 1
    stored = _stored(registration.id)
    assert stored.url == check_in_url(registration.id)
    made = []
    monkeypatch.setattr(check_in_codes, "qr_png", lambda url: made.append(url) or b"")
    monkeypatch.setattr(mime, "qr_png", check_in_codes.qr_png)
    # A second message that carries it (promoted after a place opened) reuses it.
    again = notify(registration, MessageKind.PROMOTED, calendar=CalendarAction.REQUEST)
    db.session.commit()
    assert render_pending() == 1
    assert send_due().sent == 2
    assert made == []
    for received in smtp_server.messages:
        attached = [part for part in received.message.walk()
                    if part.get_filename() == CHECK_IN_QR_FILENAME]
        assert [part.get_payload(decode=True) for part in attached] == [stored.png]
    assert {m.message["Message-ID"] for m in smtp_server.messages} == {
        email.message_id, again.message_id}


def test_a_code_for_another_address_of_the_site_is_made_again(
    app, make_event, make_registration
):
    registration, _email = _confirmation(make_event, make_registration)
    render_pending()
    old = _stored(registration.id)
    old_url, old_png = old.url, old.png
    app.config["BASE_URL"] = "https://uus.koosloome.example.ee"
    assert check_in_codes.stored_codes([registration.id]) == {}  # not today's URL
    notify(registration, MessageKind.PROMOTED, calendar=CalendarAction.REQUEST)
    db.session.commit()
    render_pending()
    new = _stored(registration.id)
    assert new.url == check_in_url(registration.id) != old_url
    assert new.png != old_png
    assert check_in_codes.stored_codes([registration.id]) == {registration.id: new.png}


def test_a_message_without_a_stored_code_still_carries_one(app, make_event, make_registration):
    registration, email = _confirmation(make_event, make_registration)
    rendered(email)
    db.session.execute(delete(CheckInCode))
    db.session.commit()
    qr = _parts(email)[CHECK_IN_QR_FILENAME]
    assert qr.get_payload(decode=True) == check_in_codes.qr_png(check_in_url(registration.id))


def test_no_code_is_stored_for_a_registration_deleted_while_it_was_made(
    app, make_event, make_registration
):
    registration, _email = _confirmation(make_event, make_registration)
    codes = check_in_codes.missing_codes([registration.id])
    db.session.rollback()
    db.session.execute(delete(Registration).where(Registration.id == registration.id))
    db.session.commit()
    with writing():
        check_in_codes.store_codes(codes)
        db.session.commit()
    assert db.session.scalars(select(CheckInCode)).all() == []
