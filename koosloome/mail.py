"""Rendering e-mails in the recipient's language, building the MIME message, handing it over.

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

import io
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import segno
from flask import Flask, current_app, render_template
from flask_babel import force_locale


class StoredEmail(Protocol):
    """What building a message needs of an outbox row (``outbox.OutgoingEmail``); a protocol
    so that this module does not import the outbox, which imports it."""

    kind: str
    to_address: str
    to_name: str
    language: str
    subject: str
    body_text: str
    body_html: str
    calendar: bytes | None
    calendar_method: str | None
    message_id: str
    registration_id: int | None
    created_at: datetime

#: Seconds to wait for the SMTP server before treating the attempt as failed (and retrying).
SMTP_TIMEOUT = 60
_BLANK_RUNS = re.compile(r"\n{3,}")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


@dataclass(frozen=True)
class RenderedEmail:
    """Subject and bodies of one message, in one language."""

    subject: str
    text: str
    html: str


def header_text(value: str, limit: int = 300) -> str:
    """Text safe for one header line: line breaks and control characters become spaces.

    A name or title with CR/LF must never start a new header (header injection)."""
    return " ".join(_LINE_BREAKS.sub(" ", value).split())[:limit]


def render_email(template: str, language: str, subject: str, context: dict[str, Any]) -> (
    RenderedEmail
):
    """Render ``email/<template>.txt`` and ``.html`` in ``language`` (subject already rendered)."""
    with force_locale(language):
        text = render_template(f"email/{template}.txt", language=language, **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    return RenderedEmail(header_text(subject), tidy_text(text), html)


def tidy_text(text: str) -> str:
    """Plain-text body without trailing spaces and with at most one blank line in a row
    (templates stay readable; the reader gets no gaps)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def site_domain(base_url: str) -> str:
    """The host of ``BASE_URL``: the right-hand side of our Message-IDs and calendar UIDs."""
    return urlsplit(base_url).hostname or "localhost"


def new_message_id(base_url: str) -> str:
    """A unique Message-ID on the site's own domain."""
    return make_msgid(domain=site_domain(base_url))


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


def build_message(email: StoredEmail, default_sender: str) -> Message:
    """The complete MIME message for one outbox row.

    Built with the classic ``email.mime`` classes: the newer ``EmailMessage`` re-parses
    address headers and, for a non-ASCII display name with a comma, writes the comma
    unquoted, which splits one recipient into two."""
    from_name, from_address = sender_address(default_sender)
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(email.body_text, "plain", _utf8_qp()))
    body.attach(MIMEText(email.body_html, "html", _utf8_qp()))
    message: Message = body
    attachments: list[MIMEBase] = []
    if email.calendar and email.calendar_method:
        body.attach(_calendar_part(email.calendar, email.calendar_method))
        attachments.append(_invite_attachment(email.calendar))
    if email.kind in CHECK_IN_KINDS and email.registration_id:
        attachments.append(check_in_qr(email.registration_id))
    if attachments:
        message = MIMEMultipart("mixed")
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
    return message


#: Messages that give a seat carry a QR code of the check-in page, for staff to scan at the door.
CHECK_IN_KINDS = frozenset({"confirmed", "promoted", "application_accepted"})
CHECK_IN_QR_FILENAME = "registreerimise-qr.png"


def check_in_url(registration_id: int) -> str:
    """Where staff who scan the participant's QR code land (sign-in required)."""
    return f"{current_app.config['BASE_URL']}/admin/registrations/{registration_id}/check-in"


def check_in_qr(registration_id: int) -> MIMEImage:
    """The QR code of the check-in page as a PNG attachment."""
    buffer = io.BytesIO()
    segno.make(check_in_url(registration_id), error="m").save(
        buffer, kind="png", scale=8, border=4
    )
    part = MIMEImage(buffer.getvalue(), "png")
    part.add_header("Content-Disposition", "attachment", filename=CHECK_IN_QR_FILENAME)
    return part


def message_bytes(message: Message) -> bytes:
    """The message as sent: CRLF line endings, headers exactly as built."""
    return message.as_bytes(policy=compat32.clone(linesep="\r\n"))


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


# --- Transports -------------------------------------------------------------------------------


class PermanentFailure(Exception):
    """The server refused this message for good (5xx): retrying cannot help."""


class Transport(Protocol):
    """Hands built messages to their next hop; used as a context manager for one batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str) -> None:
        """Deliver one message or raise (``PermanentFailure`` for 5xx refusals)."""


class SmtpTransport:
    """Delivery over SMTP, configured by Flask-Mail's keys (MAIL_SERVER, MAIL_PORT,
    MAIL_USE_TLS / MAIL_USE_SSL, MAIL_USERNAME / MAIL_PASSWORD).

    Flask-Mail's own connection has no timeout and only sends its own Message class, so the
    socket is opened here, with a timeout, and the prepared bytes are sent as they are."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server: str = config["MAIL_SERVER"]
        self.port: int = config.get("MAIL_PORT") or 25
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.username: str | None = config.get("MAIL_USERNAME")
        self.password: str | None = config.get("MAIL_PASSWORD")
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(
                self.server, self.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(self.server, self.port, timeout=SMTP_TIMEOUT)
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
        if self.username and self.password:
            smtp.login(self.username, self.password)
        return smtp

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str) -> None:
        """Send over the batch's connection (opened on first use, dropped after an error)."""
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.sendmail(sender, [recipient], data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            self._reset()
            if code >= 500:
                raise PermanentFailure(f"{code} {_decode(reason)}") from exc
            raise
        except smtplib.SMTPDataError as exc:
            self._reset()
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"{exc.smtp_code} {_decode(exc.smtp_error)}") from exc
            raise
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def _reset(self) -> None:
        """After a refused message, make the connection usable for the next one."""
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


def _decode(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


class FileTransport:
    """With no SMTP server configured: each message becomes an .eml file in ``folder``
    (``instance/mail/``), which any mail program opens."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str) -> None:
        """Write ``<time>-<message id>.eml``; the Message-ID keeps the name unique."""
        local_part = message_id.strip("<>").split("@", 1)[0]
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = re.sub(r"[^A-Za-z0-9.-]", "_", f"{stamp}-{local_part}") + ".eml"
        temporary = self.folder / (name + ".part")
        temporary.write_bytes(data)
        temporary.replace(self.folder / name)  # readers never see half a file


def transport_for(app: Flask) -> Transport:
    """SMTP when MAIL_SERVER is set, else .eml files under ``instance/mail/``."""
    if app.config.get("MAIL_SERVER"):
        return SmtpTransport(app.config)
    return FileTransport(Path(app.instance_path) / "mail")
