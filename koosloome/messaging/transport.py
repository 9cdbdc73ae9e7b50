"""Handing built messages to their next hop: an SMTP server through Flask-Mail, or .eml files
in ``instance/mail/``.

A transport is a context manager for one batch; ``deliver`` raises ``PermanentFailure`` when
the server refused the message for good (5xx) and an ``SMTPException``/``OSError`` when another
attempt may succeed.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from flask import Flask
from flask_mail import Connection

from koosloome.extensions import mail
from koosloome.private_files import private_file, private_folder

log = logging.getLogger(__name__)

#: Seconds to wait for the SMTP server (per socket operation) before treating the attempt as
#: failed and retrying later.
SMTP_TIMEOUT = 60


class PermanentFailure(Exception):
    """The server refused this message for good (5xx): retrying cannot help."""


class Transport(Protocol):
    """Hands built messages to their next hop; used as a context manager for one batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str,
                while_waiting: Callable[[], None] | None = None) -> None:
        """Deliver one message or raise (``PermanentFailure`` for 5xx refusals). Once the
        message has gone out, ``while_waiting`` runs while the server takes it in (it must
        not touch the transport, and its failure does not fail the delivery)."""


class _WhileWaiting:
    """An SMTP connection that runs ``while_waiting`` once the message has gone out and before
    the server's reply is read: the worker builds its next message there, while the server
    takes this one in, instead of after it. smtplib's DATA step sends the dot-stuffed message
    and its closing dot in one ``send`` and then reads the reply; the hook sits in ``send``,
    so smtplib keeps doing the protocol."""

    while_waiting: Callable[[], None] | None = None

    def send(self, s: bytes | str) -> None:
        """Send ``s``; after the message's end (the lone dot), run ``while_waiting`` once."""
        super().send(s)  # type: ignore[misc]
        if self.while_waiting is not None and isinstance(s, bytes) \
                and s.endswith(_END_OF_DATA):
            work, self.while_waiting = self.while_waiting, None
            _meanwhile(work)


#: How smtplib's DATA step ends the message (RFC 5321 4.1.1.4).
_END_OF_DATA = b"\r\n.\r\n"


def _meanwhile(work: Callable[[], None] | None) -> None:
    """Run what the caller does while a message is taken in; its failure is not the
    message's (it is logged)."""
    if work is None:
        return
    try:
        work()
    except Exception:
        log.exception("work done while a message was being delivered failed")


class _SMTP(_WhileWaiting, smtplib.SMTP):
    pass


class _SMTPSSL(_WhileWaiting, smtplib.SMTP_SSL):
    pass


class _TimedConnection(Connection):
    """Flask-Mail's connection, opened with a timeout and a verifying TLS context: its own
    waits for ever on a server that stops answering, and a worker must not."""

    def configure_host(self) -> _SMTP | _SMTPSSL:
        """Connect, say STARTTLS if configured, and log in."""
        state = self.mail
        host: _SMTP | _SMTPSSL
        if state.use_ssl:
            host = _SMTPSSL(state.server, state.port, timeout=SMTP_TIMEOUT,
                            context=ssl.create_default_context())
        else:
            host = _SMTP(state.server, state.port, timeout=SMTP_TIMEOUT)
            if state.use_tls:
                host.starttls(context=ssl.create_default_context())
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


class SmtpTransport:
    """Delivery over SMTP with Flask-Mail, configured by its keys (MAIL_SERVER, MAIL_PORT,
    MAIL_USE_TLS / MAIL_USE_SSL, MAIL_USERNAME / MAIL_PASSWORD).

    One connection serves the batch (opened on first use, dropped after an error). Messages
    are built by ``mime`` as bytes and go out as they are, each with its own envelope."""

    def __init__(self, app: Flask) -> None:
        # Read the configuration now, not at start-up: it may have changed since (and
        # Flask-Mail's "testing" default would suppress sending in the test suite).
        self.state = mail.init_mail(app.config, debug=False, testing=False)
        self.connection: _TimedConnection | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host(self) -> _SMTP | _SMTPSSL:
        if self.connection is None or self.connection.host is None:
            connection = _TimedConnection(self.state)
            connection.host = connection.configure_host()
            self.connection = connection
        assert self.connection.host is not None
        return self.connection.host

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        if self.connection is not None and self.connection.host is not None:
            host = self.connection.host
            try:
                host.quit()
            except (smtplib.SMTPException, OSError):
                host.close()
        self.connection = None

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str,
                while_waiting: Callable[[], None] | None = None) -> None:
        """Send over the batch's connection."""
        host = self._host()
        host.while_waiting = while_waiting
        try:
            host.sendmail(sender, [recipient], data)
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
        finally:
            host.while_waiting = None

    def _reset(self) -> None:
        """After a refused message, make the connection usable for the next one."""
        try:
            if self.connection is not None and self.connection.host is not None:
                self.connection.host.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


def _decode(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


class FileTransport:
    """With no SMTP server configured: each message becomes an .eml file in ``folder``
    (``instance/mail/``), which any mail program opens. The files hold personal data: the
    folder is 0700 and every file 0600."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FileTransport:
        private_folder(self.folder)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def deliver(self, data: bytes, sender: str, recipient: str, message_id: str,
                while_waiting: Callable[[], None] | None = None) -> None:
        """Write ``<time>-<message id>.eml`` (the Message-ID is unique, so is the name)."""
        name = file_name(message_id, datetime.now())
        temporary = private_file(self.folder / (name + ".part"))
        temporary.write_bytes(data)
        temporary.replace(self.folder / name)  # readers never see half a file
        _meanwhile(while_waiting)


def file_name(message_id: str, moment: datetime) -> str:
    """The .eml file name of a message: sortable by time, unique by its Message-ID."""
    return f"{moment.strftime('%Y%m%d-%H%M%S')}-{_local_part(message_id)}.eml"


def file_name_pattern(message_id: str) -> str:
    """A glob that finds the message's .eml file whenever it was written."""
    return f"*-{_local_part(message_id)}.eml"


def _local_part(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", message_id.strip("<>").split("@", 1)[0])


def mail_folder(app: Flask) -> Path:
    """Where the file transport writes: ``instance/mail/``."""
    return Path(app.instance_path) / "mail"


def transport_for(app: Flask) -> Transport:
    """SMTP when MAIL_SERVER is set, else .eml files under ``instance/mail/``."""
    if app.config.get("MAIL_SERVER"):
        return SmtpTransport(app)
    return FileTransport(mail_folder(app))
