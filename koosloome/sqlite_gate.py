"""A queue for SQLite's one writer, so that waiting writers start soon after it is free.

SQLite makes a writer that finds the database locked sleep and retry, with sleeps growing to
100 ms, however soon the lock is released. Under a registration rush most writers then spend
their time asleep while the lock sits free (measured: p95 latency over a second for
transactions of a few milliseconds). The gate queues writers before ``BEGIN IMMEDIATE``
instead: a lock for the threads of this process (a waiter wakes when it is released), then an
``flock`` on a file beside the database for the processes of this machine (tried every half
millisecond). A writer that waits longer than the timeout goes on to SQLite's own lock and
busy timeout, which stay the rule for everyone else (the CLI, for one).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: How often a writer looks whether another process has left the gate.
POLL_S = 0.0005


@dataclass(frozen=True)
class Pass:
    """What ``release`` needs: the lock and the open file this writer went through."""

    threads: threading.Lock
    fd: int


class WriterGate:
    """One per database file and engine; ``acquire`` before BEGIN IMMEDIATE, ``release`` the
    pass after COMMIT or ROLLBACK."""

    def __init__(self, database_path: str | Path) -> None:
        self._path = f"{database_path}-writer-gate"
        self._setup = threading.Lock()
        self._pid = -1
        self._fd = -1
        self._threads = threading.Lock()

    def _resources(self) -> tuple[threading.Lock, int]:
        # Opened in each process (gunicorn may fork after import): flock excludes open files,
        # and a descriptor inherited across fork would be one file for both processes.
        with self._setup:
            if self._pid != os.getpid():
                self._threads = threading.Lock()
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            return self._threads, self._fd

    def acquire(self, timeout_s: float) -> Pass | None:
        """Wait for our turn; None after ``timeout_s`` (the caller then goes on to SQLite's
        own lock, as a thread that already writes on another connection must)."""
        threads, fd = self._resources()
        deadline = time.monotonic() + timeout_s
        if not threads.acquire(timeout=timeout_s):
            return None
        while True:  # only one thread per process gets here at a time
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    threads.release()
                    return None
                time.sleep(POLL_S)
            except BaseException:
                threads.release()
                raise
            else:
                return Pass(threads, fd)

    @staticmethod
    def release(gate_pass: Pass) -> None:
        """Let the next writer in."""
        fcntl.flock(gate_pass.fd, fcntl.LOCK_UN)
        gate_pass.threads.release()
