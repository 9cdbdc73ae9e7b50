"""The wire format: ``message_bytes`` writes what the classic compat32 generator writes, only
faster (short ASCII header lines skip the folding machinery; the boundaries are chosen so no
part can contain them, and need no search)."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import compat32, default

import pytest

from koosloome.messaging.mime import WIRE, build_message, message_bytes
from koosloome.messaging.models import OutgoingEmail

CLASSIC = compat32.clone(linesep="\r\n")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3


def _email(**fields) -> OutgoingEmail:
    values = {
        "kind": "confirmed", "to_address": "mari@example.ee", "to_name": "Mari Maasikas",
        "language": "et", "subject": "Oled registreeritud: Kaasav planeerimine",
        "body_text": "Tere!\n\nNäeme seal.\n", "body_html": "<p>Tere!</p>\n",
        "calendar": b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        "calendar_method": "REQUEST", "message_id": "<abc123@koosloome.example.ee>",
        "registration_id": 7, "created_at": datetime(2026, 12, 4, 9, 30, tzinfo=UTC),
        "extra_headers": None,
    }
    values.update(fields)
    return OutgoingEmail(**values)


CASES = {
    "confirmation": {},
    "ascii subject and name": {"subject": "You are registered: Seminar", "to_name": "Mary"},
    "name with a comma and non-ASCII": {"to_name": "Õunapuu, Mari-Liis"},
    "name with quotes": {"to_name": 'Mari "Maasikas" Tamm'},
    "name like an encoded word": {"to_name": "=?utf-8?q?Mari?="},
    "long name": {"to_name": "Mari " * 30},
    "long ASCII subject": {"subject": "Registered " * 12},
    "long Estonian subject": {"subject": "Sündmuse „Kaasav planeerimine” uus aeg " * 4},
    "no name": {"to_name": ""},
    "long address": {"to_address": "a" * 60 + "@" + "pikk-domeen." * 5 + "ee"},
    "no calendar, no QR code": {"kind": "waitlisted", "calendar": None,
                                "calendar_method": None},
    "unsubscribe headers": {"kind": "announcement", "calendar": None, "calendar_method": None,
                            "extra_headers": {
                                "List-Unsubscribe": "<https://koosloome.example.ee/u/"
                                                    + "x" * 120 + ">",
                                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                "List-Id": "Koosloome <uudised.koosloome.example.ee>"}},
    "tabs and lines in the text": {"body_text": "a\tb\n.\n..start\nFrom here\n" + "ä" * 200},
}


@pytest.mark.parametrize("fields", CASES.values(), ids=CASES.keys())
def test_a_message_is_written_byte_for_byte_as_the_classic_generator_writes_it(fields):
    message = build_message(_email(**fields), "Koosloome <koosloome@koosloome.test>", PNG)
    assert message_bytes(message) == message.as_bytes(policy=CLASSIC)


def test_header_lines_are_folded_as_the_classic_generator_folds_them():
    rng = random.Random(20261204)
    alphabets = [
        string.ascii_letters + string.digits + string.punctuation + "    ",  # what we write
        string.printable + "äöüõÄÖÜÕ€\u2028",  # and anything else
    ]
    names = ["To", "Subject", "Content-Type", "List-Unsubscribe", "X-A-Rather-Long-Name"]
    for number in range(4000):
        alphabet = alphabets[number % 2]
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 160)))
        for name in names:
            assert _folded(WIRE.fold_binary, name, value) == \
                _folded(CLASSIC.fold_binary, name, value), value
            assert _folded(WIRE.fold, name, value) == _folded(CLASSIC.fold, name, value), value


def _folded(fold, name: str, value: str) -> object:
    """The folded line, or the kind of error folding raised (the same for both)."""
    try:
        return fold(name, value)
    except Exception as exc:
        return type(exc)


def test_no_part_can_contain_a_boundary():
    # Lines that would end a part early if a boundary were "=_" plus anything, or "--".
    text = "--=_0123\n=_\n--\n-- \n" + "=_" * 50
    email = _email(body_text=text, body_html=f"<pre>{text}</pre>")
    data = message_bytes(build_message(email, "k@koosloome.test", PNG))
    parsed = message_from_bytes(data, policy=default)
    assert _lf(parsed.get_body(("plain",)).get_content()) == text
    assert _lf(parsed.get_body(("html",)).get_content()) == f"<pre>{text}</pre>"
    assert [part.get_content_type() for part in parsed.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar",
        "application/ics", "image/png"]
    boundaries = {part.get_boundary() for part in parsed.walk() if part.is_multipart()}
    assert len(boundaries) == 2 and all(b.startswith("=_") for b in boundaries)
    for part in parsed.walk():
        if not part.is_multipart():
            assert not any(boundary in part.as_string() for boundary in boundaries)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")
