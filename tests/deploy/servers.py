"""Real server processes for the deployment tests: gunicorn with docs/deploy/gunicorn.conf.py
on a free loopback port, and waiting on conditions (a port that answers, a log line written)
instead of on time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "deploy-test-secret-key-not-for-production"
#: How long a process may take to start, or a log line to appear, before the test fails.
DEADLINE_SECONDS = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], bool],
    what: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Poll ``condition`` until it holds; fail at once when ``process`` died, with its log."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        died = process is not None and process.poll() is not None
        if died or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            state = "the process exited" if died else f"not after {DEADLINE_SECONDS} s"
            raise AssertionError(f"waiting for {what}: {state}\n{tail}")
        time.sleep(0.05)


def port_open(port: int) -> Callable[[], bool]:
    """A condition: something accepts connections on 127.0.0.1:``port``."""

    def check() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    return check


def lines_logged(path: Path, *needles: str) -> Callable[[], bool]:
    """A condition: lines holding each of ``needles`` have been written to ``path`` (a server
    may log a request after the client has its answer, and not always in order)."""

    def check() -> bool:
        text = path.read_text(errors="replace") if path.exists() else ""
        return all(needle in text for needle in needles)

    return check


def line_count(path: Path, count: int) -> Callable[[], bool]:
    """A condition: at least ``count`` lines have been written to ``path``."""
    return lambda: path.exists() and len(path.read_text(errors="replace").splitlines()) >= count


def app_environment(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without Koosloome or gunicorn settings, plus the test
    database, a fixed secret and ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KOOSLOOME_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "KOOSLOOME_SECRET_KEY": SECRET_KEY,
            "KOOSLOOME_INSTANCE_PATH": str(instance),
            "KOOSLOOME_RATELIMIT_ENABLED": "false",
        }
    )
    env.update(extra)
    return env


def stop(process: subprocess.Popen) -> None:
    """TERM a process started here (gunicorn's master stops its workers); KILL its group if
    it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextmanager
def gunicorn(env: dict[str, str], folder: Path) -> Iterator[int]:
    """gunicorn serving ``wsgi:app`` with docs/deploy/gunicorn.conf.py on a free port (one
    worker, two threads); yields the port once it accepts connections. Its error log goes to
    ``folder/gunicorn.log``."""
    port = free_port()
    log = folder / "gunicorn.log"
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(DEPLOY / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(port_open(port), f"gunicorn on port {port}", process, log)
        yield port
    finally:
        stop(process)
