"""Reading what the SMTP server received: the parts, the calendar, parsed twice."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.message import Message
from typing import Any

import icalendar
import vobject


@dataclass
class Invite:
    """One calendar from a message, read by icalendar and, independently, by vobject."""

    raw: bytes
    icalendar: icalendar.Calendar
    vobject: Any

    @property
    def event(self) -> icalendar.Event:
        """The VEVENT as icalendar reads it."""
        return self.icalendar.walk("VEVENT")[0]

    @property
    def method(self) -> str:
        """METHOD, as both parsers agree."""
        assert str(self.icalendar["METHOD"]) == self.vobject.method.value
        return self.vobject.method.value

    @property
    def uid(self) -> str:
        """UID, as both parsers agree."""
        assert str(self.event["UID"]) == self.vobject.vevent.uid.value
        return self.vobject.vevent.uid.value

    @property
    def sequence(self) -> int:
        """SEQUENCE, as both parsers agree."""
        assert int(self.event["SEQUENCE"]) == int(self.vobject.vevent.sequence.value)
        return int(self.vobject.vevent.sequence.value)


def parse_invite(data: bytes) -> Invite:
    """Parse a calendar with both libraries (each raises on malformed input)."""
    return Invite(data, icalendar.Calendar.from_ical(data), vobject.readOne(data.decode("utf-8")))


def calendar_parts(message: Message) -> list[Message]:
    """The text/calendar parts."""
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def invite_of(message: Message) -> Invite:
    """The calendar of a message, checked to be the same inline and in invite.ics."""
    inline = calendar_parts(message)
    assert len(inline) == 1
    attachments = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    assert len(attachments) == 1
    data = inline[0].get_payload(decode=True)
    assert attachments[0].get_payload(decode=True) == data
    invite = parse_invite(data)
    assert invite.method == inline[0].get_param("method")
    return invite


def text_body(message: Message) -> str:
    """The text/plain part, decoded."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message: Message) -> str:
    """The text/html part, decoded."""
    return message.get_body(preferencelist=("html",)).get_content()


def rendered(*emails: Any) -> Any:
    """The queued ``emails`` as the outbox worker renders them (the test's writes are
    committed first, as the worker sees only committed rows); one email or a tuple."""
    from koosloome.extensions import db
    from koosloome.messaging.delivery import render_pending

    db.session.commit()
    render_pending()
    for email in emails:
        db.session.refresh(email)
    return emails[0] if len(emails) == 1 else emails


def worker_environment(app: Any, smtp_port: int, instance: Any, **extra: str) -> dict[str, str]:
    """The environment of a real ``outbox work`` process on the test database and SMTP server."""
    return {
        **os.environ,
        "KOOSLOOME_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "KOOSLOOME_SECRET_KEY": app.config["SECRET_KEY"],
        "KOOSLOOME_BASE_URL": app.config["BASE_URL"],
        "KOOSLOOME_MAIL_SERVER": "127.0.0.1",
        "KOOSLOOME_MAIL_PORT": str(smtp_port),
        "KOOSLOOME_MAIL_DEFAULT_SENDER": app.config["MAIL_DEFAULT_SENDER"],
        "KOOSLOOME_INSTANCE_PATH": str(instance),
        **extra,
    }
