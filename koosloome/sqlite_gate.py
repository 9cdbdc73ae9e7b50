"""A queue for SQLite's one writer, so that waiting writers start the moment it is free.

SQLite makes a writer that finds the database locked sleep and retry, with sleeps growing to
100 ms, however soon the lock is released. Under a registration rush most writers then spend
their time asleep while the lock sits free (measured: p95 latency over a second for
transactions of a few milliseconds). The gate queues writers before ``BEGIN IMMEDIATE``
instead: a lock for the threads of this process, then an ``flock`` on a file beside the
database for the processes of this machine. Both wake a waiter as soon as the holder is
done; SQLite's own lock and busy timeout stay the rule for everyone else (the CLI, a writer
the gate timed out on).
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


class WriterGate:
    """One per database file and process; ``acquire`` before BEGIN IMMEDIATE, ``release``
    after COMMIT or ROLLBACK."""

    def __init__(self, database_path: str | Path) -> None:
        self._path = f"{database_path}-writer-gate"
        self._pid = -1
        self._fd = -1
        self._threads = threading.Lock()

    def _file(self) -> int:
        # Opened in each process (gunicorn may fork after import): flock excludes open files,
        # and a descriptor inherited across fork would be one file for both processes.
        if self._pid != os.getpid():
            self._threads = threading.Lock()
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, timeout_s: float) -> bool:
        """Wait for our turn (False after ``timeout_s`` within this process: the caller goes
        on to SQLite's own lock, as a thread that already writes elsewhere must)."""
        fd = self._file()
        if not self._threads.acquire(timeout=timeout_s):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # only one thread per process gets here at a time
        except BaseException:
            self._threads.release()
            raise
        return True

    def release(self) -> None:
        """Let the next writer in."""
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()
