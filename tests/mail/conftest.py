"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests, and helpers to read what it got.

``smtp_server`` starts one on a free port and points the app at it; ``smtp_server.refuse``
makes it answer 550 for an address; ``smtp_server.stop()`` / ``start()`` take it down and
bring it back on the same port.
"""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


def free_port() -> int:
    """A TCP port nobody listens on right now (aiosmtpd cannot use port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> Message:
        """Parsed with the modern policy (headers decoded, addresses parsed)."""
        return email.message_from_bytes(self.raw, policy=default)


@dataclass
class Recorder:
    """The aiosmtpd handler: keeps every message, refuses chosen recipients."""

    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    delay: float = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"


class SmtpServer:
    """A started aiosmtpd controller and its recorder."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.recorder = Recorder()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        """Everything received so far."""
        return self.recorder.messages

    @property
    def refuse(self) -> set[str]:
        """Addresses answered with 550."""
        return self.recorder.refuse

    def start(self) -> None:
        """Listen (again) on the same port."""
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Go away: connections are refused until ``start``."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        """Messages for ``address``."""
        return [m for m in self.messages if address in m.rcpt_tos]


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1; the app delivers to it."""
    server = SmtpServer(free_port())
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()
