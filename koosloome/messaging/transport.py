"""Handing built messages to their next hop: an SMTP server, or .eml files in ``instance/mail/``.

A transport is a context manager for one batch; ``deliver`` raises ``PermanentFailure`` when
the server refused the message for good (5xx) and an ``SMTPException``/``OSError`` when another
attempt may succeed.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from flask import Flask

#: Seconds to wait for the SMTP server before treating the attempt as failed (and retrying).
SMTP_TIMEOUT = 60


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
