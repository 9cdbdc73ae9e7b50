"""A local SMTP server for the benchmarks: aiosmtpd in its own process, one line per message.

    python bench/smtp_sink.py PORT LOGFILE

Every message received is appended to LOGFILE as ``<Message-ID>\\t<recipients>\\t<bytes>\\t
<has text/calendar>`` and flushed, so the bench can count deliveries by Message-ID (none
twice, none missing). Its own process: an in-process server would share the GIL with the
sender being measured. Stops on SIGTERM. ``SmtpSink`` starts and reads it.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.I | re.M)


class _Handler:
    """Appends one line per message to the log file."""

    def __init__(self, log: Any) -> None:
        self.log = log

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content
        header_end = raw.find(b"\r\n\r\n")
        found = _MESSAGE_ID.search(raw[: header_end if header_end > 0 else len(raw)])
        message_id = found.group(1).decode("ascii", "replace") if found else "-"
        has_calendar = int(b"text/calendar" in raw)
        self.log.write(f"{message_id}\t{','.join(envelope.rcpt_tos)}\t{len(raw)}\t"
                       f"{has_calendar}\n")
        self.log.flush()
        return "250 OK"


def serve(port: int, log_path: str) -> None:
    """Run until SIGTERM."""
    from aiosmtpd.controller import Controller

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with open(log_path, "a", encoding="utf-8") as log:
        controller = Controller(_Handler(log), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        stop.wait()
        controller.stop()


@dataclass
class Delivery:
    """One message as the sink logged it."""

    message_id: str
    recipients: str
    size: int
    has_calendar: bool


class SmtpSink:
    """Start ``smtp_sink.py`` on a free port in a child process; read what it received."""

    def __init__(self, log_path: Path) -> None:
        with socket.socket() as probe:  # aiosmtpd cannot take port 0: pick one first
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log_path = log_path
        log_path.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(self.port), str(log_path)],
            stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")

    def deliveries(self) -> list[Delivery]:
        """Everything received so far."""
        found = []
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            message_id, recipients, size, calendar = line.split("\t")
            found.append(Delivery(message_id, recipients, int(size), calendar == "1"))
        return found

    def wait_for(self, count: int, timeout: float = 60) -> list[Delivery]:
        """Deliveries once ``count`` have arrived (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.deliveries()
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return self.deliveries()

    def stop(self) -> None:
        """TERM the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> SmtpSink:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def exactly_once(expected: set[str], deliveries: list[Delivery]) -> list[str]:
    """Problems when the deliveries are not exactly one per expected Message-ID."""
    counts = Counter(d.message_id for d in deliveries)
    twice = sorted(m for m, n in counts.items() if n > 1)
    missing = sorted(expected - set(counts))
    unknown = sorted(set(counts) - expected)
    problems = []
    if twice:
        problems.append(f"{len(twice)} messages delivered more than once, e.g. {twice[:3]}")
    if missing:
        problems.append(f"{len(missing)} messages never delivered, e.g. {missing[:3]}")
    if unknown:
        problems.append(f"{len(unknown)} unexpected messages, e.g. {unknown[:3]}")
    return problems


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2])
