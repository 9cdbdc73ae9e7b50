"""The MIME message for one outbox row, exactly as it goes over the wire.

A message with a calendar is shaped like the invitations Google Calendar sends, which every
major client understands (iMIP, RFC 6047)::

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset=UTF-8
      application/ics; name="invite.ics"   (attachment: the same calendar)

Without a calendar it is just multipart/alternative (text and HTML).
"""

from __future__ import annotations

import re
import secrets
from email.charset import QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from koosloome.messaging.check_in_codes import CHECK_IN_KINDS, check_in_url, qr_png
from koosloome.messaging.models import OutgoingEmail

_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def header_text(value: str, limit: int = 300) -> str:
    """Text safe for one header line: line breaks and control characters become spaces.

    A name or title with CR/LF must never start a new header (header injection)."""
    return " ".join(_LINE_BREAKS.sub(" ", value).split())[:limit]


def site_domain(base_url: str) -> str:
    """The host of ``BASE_URL``: the right-hand side of our Message-IDs and calendar UIDs."""
    return urlsplit(base_url).hostname or "localhost"


def new_message_id(base_url: str) -> str:
    """A unique Message-ID on the site's own domain: 128 random bits from ``secrets``
    (``make_msgid`` draws from the ``random`` module, whose state others may reset) and short
    enough that the header is never folded."""
    return f"<{secrets.token_hex(16)}@{site_domain(base_url)}>"


def address_header(name: str, address: str) -> str:
    """``"Name, with comma" <a@b.ee>``: formataddr quotes and encodes the name as needed.

    An ASCII name that looks like an RFC 2047 encoded word (``=?utf-8?q?…?=``) would be
    decoded by the reader's mail program and show as something else: it is encoded itself."""
    name, address = header_text(name, 200), header_text(address, 254)
    if "=?" in name:
        return f"{Header(name, 'utf-8').encode()} <{address}>"
    return formataddr((name, address))


def sender_address(default_sender: str) -> tuple[str, str]:
    """MAIL_DEFAULT_SENDER (``Name <address>`` or a bare address) as (name, address)."""
    name, address = parseaddr(default_sender)
    return name, address


def build_message(email: OutgoingEmail, default_sender: str,
                  check_in_png: bytes | None = None) -> Message:
    """The complete MIME message for one outbox row. A message that gives a seat carries
    ``check_in_png``, the registration's stored check-in QR code (``check_in_codes``); without
    it the code is made here, which takes longer than the rest of the message.

    Built with the classic ``email.mime`` classes: the newer ``EmailMessage`` re-parses
    address headers and, for a non-ASCII display name with a comma, writes the comma
    unquoted, which splits one recipient into two."""
    from_name, from_address = sender_address(default_sender)
    body = MIMEMultipart("alternative", boundary=_boundary())
    body.attach(MIMEText(email.body_text, "plain", _utf8_qp()))
    body.attach(MIMEText(email.body_html, "html", _utf8_qp()))
    message: Message = body
    attachments: list[MIMEBase] = []
    if email.calendar and email.calendar_method:
        body.attach(_calendar_part(email.calendar, email.calendar_method))
        attachments.append(_invite_attachment(email.calendar))
    if email.kind in CHECK_IN_KINDS and email.registration_id:
        png = check_in_png or qr_png(check_in_url(email.registration_id))
        attachments.append(check_in_attachment(png))
    if attachments:
        message = MIMEMultipart("mixed", boundary=_boundary())
        message.attach(body)
        for attachment in attachments:
            message.attach(attachment)
    message["From"] = address_header(from_name, from_address)
    message["To"] = address_header(email.to_name, email.to_address)
    message["Subject"] = Header(header_text(email.subject), "utf-8")
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = email.message_id
    message["Content-Language"] = email.language
    # Automatic messages: no out-of-office replies (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (email.extra_headers or {}).items():
        if name in EXTRA_HEADERS:
            # Unfolded: a URL in angle brackets reads best on one line (998 is the limit).
            message[name] = Header(header_text(value, 900), maxlinelen=998)
    return message


#: The extra headers a queued message may carry (``OutgoingEmail.extra_headers``): the
#: one-click unsubscribe of bulk mail (RFC 2369, RFC 8058). Any other name is ignored, so a
#: row can never set From, To or a second Subject.
EXTRA_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"})


CHECK_IN_QR_FILENAME = "registreerimise-qr.png"


def check_in_attachment(png: bytes) -> MIMEImage:
    """The check-in QR code as a PNG attachment."""
    part = MIMEImage(png, "png")
    part.add_header("Content-Disposition", "attachment", filename=CHECK_IN_QR_FILENAME)
    return part


class _Wire(Compat32):
    """``compat32`` with CRLF line endings (the classic generator our messages have always
    been written with), minus its slowest step for nothing: it runs every header line through
    ``email.header.Header`` to fold it, half of a message's flattening, though a short line of
    printable ASCII comes back unchanged. Such lines are written as they are; every other
    header goes the classic way. ``tests/mail/test_mime_wire.py`` holds the two to the same
    bytes."""

    def fold(self, name: str, value: Any) -> str:
        """One header line (str generator)."""
        if _unfolded(name, value, self.max_line_length):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        """One header line (bytes generator, what ``message_bytes`` uses)."""
        if _unfolded(name, value, self.max_line_length):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


def _unfolded(name: str, value: Any, max_line_length: int | None) -> bool:
    """True when compat32 would write the header line exactly as it is."""
    return (isinstance(value, str) and value.isascii() and value.isprintable()
            and len(name) + 2 + len(value) <= (max_line_length or 78))


WIRE = _Wire(linesep="\r\n")


def message_bytes(message: Message) -> bytes:
    """The message as sent: CRLF line endings, headers exactly as built."""
    return message.as_bytes(policy=WIRE)


def _boundary() -> str:
    """A multipart boundary that no part can contain, so the generator need not search the
    parts for it: every part is quoted-printable or base64, and in neither can "=" be
    followed by "_" (RFC 2045, 6.7 and 6.8; "=_" is the usual prefix for this reason)."""
    return f"=_{secrets.token_hex(12)}"


def _utf8_qp() -> Charset:
    charset = Charset("utf-8")
    charset.body_encoding = QP
    return charset


def _calendar_part(calendar: bytes, method: str) -> MIMEBase:
    """``text/calendar; method=…; charset=UTF-8`` for the multipart/alternative (base64 keeps
    the calendar's CRLF line endings byte for byte)."""
    part = MIMEBase("text", "calendar", method=method, charset="UTF-8")
    part.set_payload(calendar)
    encode_base64(part)
    return part


def _invite_attachment(calendar: bytes) -> MIMEBase:
    """The same calendar as an ``invite.ics`` attachment, as Google Calendar attaches it."""
    part = MIMEBase("application", "ics", name="invite.ics")
    part.set_payload(calendar)
    encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part
