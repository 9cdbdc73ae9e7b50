"""What every bench script needs: databases, gunicorn processes, wrk, the machine, tables.

The scripts are plain Python run with the project's virtualenv (``.venv/bin/python bench/…``).
Each starts its own gunicorn processes on free loopback ports with docs/deploy/gunicorn.conf.py,
on a temporary SQLite file or a PostgreSQL database it creates and drops, and cleans up.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
LUA = BENCH / "lua"
GUNICORN_CONF = REPO / "docs" / "deploy" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent
SECRET_KEY = "bench-secret-key-not-for-production-0123456789"
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def use_app_dir(app_dir: Path) -> None:
    """Import Koosloome from ``app_dir`` (another checkout, e.g. ``git archive`` of an older
    commit with its compiled ``.mo`` files) in this process and in the processes it starts
    with ``clean_environment()``; call it before anything imports ``koosloome``. Gunicorn
    needs the folder as its ``cwd`` as well (it puts its ``cwd`` first on ``sys.path``)."""
    folder = str(Path(app_dir).resolve())
    if folder == str(REPO):
        return
    sys.path.insert(0, folder)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (folder, os.environ.get("PYTHONPATH")) if part)


# --- The machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures were taken on."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    with contextlib.suppress(Exception):
        from sqlalchemy import create_engine, text

        engine = create_engine(POSTGRES_SERVER)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
        info["wrk"] = (out.stdout or out.stderr).split("[")[0].strip()
    return info


def print_machine(info: dict[str, str]) -> None:
    """One line per fact, for the README."""
    for key, value in info.items():
        print(f"- {key}: {value}")


# --- Databases --------------------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, name: str) -> Iterator[str]:
    """A fresh empty database URL: a temporary SQLite file, or a PostgreSQL database that is
    created here and dropped afterwards."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix=f"{name}-")
        try:
            yield f"sqlite:///{folder}/{name}.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from sqlalchemy import create_engine, make_url, text

    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    db_name = f"{name}_{os.getpid()}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{db_name}"'))
    try:
        yield make_url(POSTGRES_SERVER).set(database=db_name).render_as_string(False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        server.dispose()


def koosloome_app(url: str, instance: str, **config: Any) -> Any:
    """A Koosloome app on ``url`` for preparing data and checking results (not for serving);
    ``config`` adds settings (e.g. MAIL_SERVER for the outbox)."""
    from koosloome import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": SECRET_KEY,
        "INSTANCE_PATH": instance,
        "RATELIMIT_ENABLED": False,
        **config,
    })


def migrate(app: Any) -> None:
    """Build the schema the way production does (Alembic), and the partner organisations."""
    import logging

    import flask_migrate

    from koosloome.accounts.partners import ensure_partners
    from koosloome.extensions import db

    with app.app_context():
        flask_migrate.upgrade()
        logging.getLogger("alembic").setLevel(logging.WARNING)
        ensure_partners()
        db.session.commit()


def make_event(app: Any, slug: str, capacity: int, **fields: Any) -> int:
    """A published seminar two weeks ahead, open for registration; returns its id."""
    from sqlalchemy import select

    from koosloome.accounts.models import Organisation
    from koosloome.db import utcnow, write_intent
    from koosloome.events.models import Event, EventKind, EventStatus
    from koosloome.extensions import db
    from koosloome.venues.models import Venue

    # A write transaction from the start: on SQLite a read that turns into a write fails at
    # once when a server process wrote in between.
    with app.app_context(), write_intent():
        organisation = db.session.scalars(
            select(Organisation).where(Organisation.slug == "vpk")
        ).one()
        starts_at = utcnow().replace(microsecond=0) + timedelta(days=14)
        values: dict[str, Any] = {
            "slug": slug, "kind": EventKind.SEMINAR, "status": EventStatus.PUBLISHED,
            "title_et": f"Koormustest {slug}", "title_en": f"Load test {slug}",
            "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=4),
            "capacity": capacity, "organisation": organisation,
            "venue": Venue(name_et="Võru Kultuurimaja Kannel", address="Liiva 13, Võru"),
        }
        values.update(fields)
        event = Event(**values)
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        db.session.remove()
        return event_id


#: What a seeded event says: as long as a real one (the demo's summaries are 50–135
#: characters; these 156), so that page weights are not flattered.
SEED_TITLE = "Külade arenguseminar nr {number}: kogukonnamaja ja noorte ideed"
SEED_SUMMARY = "Arutame, kuidas kogukonnamaja aasta läbi kasutada. " * 3


def seed_events(app: Any, how_many: int) -> None:
    """``how_many`` published upcoming events in one INSERT, 7 hours apart from tomorrow: the
    three kinds in turn, each partner's in turn (every fourth co-organised by the other), at
    a venue in Võru or Tartu county. The home page's filters all find some."""
    from sqlalchemy import insert, select

    from koosloome.accounts.models import Organisation
    from koosloome.db import utcnow, write_intent
    from koosloome.events.models import Event, EventKind, EventStatus
    from koosloome.extensions import db
    from koosloome.venues.models import Venue

    with app.app_context(), write_intent():
        partners = [db.session.scalars(select(Organisation).where(Organisation.slug == slug))
                    .one() for slug in ("vpk", "tas")]
        venues = [Venue(name_et="Võru Kultuurimaja Kannel", address="Liiva 13, Võru",
                        county="voru"),
                  Venue(name_et="Tartu Loomemajanduskeskus", address="Kastani 42, Tartu",
                        county="tartu")]
        db.session.add_all(venues)
        db.session.flush()
        kinds = list(EventKind)
        now = utcnow()
        first = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        rows = []
        for number in range(how_many):
            starts = first + timedelta(hours=7 * number)
            rows.append({
                "slug": f"sundmus-{number}", "kind": kinds[number % 3],
                "status": EventStatus.PUBLISHED,
                "title_et": SEED_TITLE.format(number=number),
                "title_en": f"Village development seminar no {number}",
                "summary_et": SEED_SUMMARY,
                "summary_en": "How to use the community house all year round. " * 3,
                "starts_at": starts, "ends_at": starts + timedelta(hours=4), "capacity": 40,
                "organisation_id": partners[number % 2].id,
                "co_organiser_id": partners[1 - number % 2].id if number % 4 == 3 else None,
                "venue_id": venues[number // 2 % 2].id, "created_at": now, "updated_at": now,
            })
        db.session.execute(insert(Event), rows)
        db.session.commit()
        db.session.remove()


def settle(app: Any, event_id: int, quiet: float = 1.0, timeout: float = 90) -> None:
    """Wait until the event's registrations stop changing: when wrk stops, the servers may
    still be working through requests it sent."""
    from sqlalchemy import func, select

    from koosloome.extensions import db
    from koosloome.registrations.models import Registration

    deadline = time.monotonic() + timeout
    seen: list[int] = []
    with app.app_context():
        while time.monotonic() < deadline:
            seen.append(db.session.scalar(select(func.count(Registration.id))
                                          .where(Registration.event_id == event_id)))
            db.session.remove()
            # unchanged over three polls: the queue of a loaded server has drained
            if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]:
                return
            time.sleep(quiet)


@dataclass
class SeatCheck:
    """What the database holds for one event after a run."""

    capacity: int
    confirmed_seats: int
    by_status: dict[str, int]
    rows: int
    duplicate_emails: int
    emails_queued: int
    #: ``event.seats_taken``, the figure the triggers keep (equal to the confirmed seats here:
    #: the bench makes no offers)
    kept_seats: int

    @property
    def ok(self) -> bool:
        """No overbooking, no registration stored twice, one message queued per registration,
        the kept seat figure equal to the count."""
        return (self.confirmed_seats <= self.capacity and self.duplicate_emails == 0
                and self.emails_queued == self.rows and self.kept_seats == self.confirmed_seats)

    def describe(self) -> str:
        """A one-line summary."""
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        verdict = "OK" if self.ok else "FAILED"
        return (f"{verdict}: {self.confirmed_seats}/{self.capacity} seats confirmed; "
                f"{self.rows} registrations ({statuses}); {self.duplicate_emails} duplicate "
                f"e-mails; {self.emails_queued} messages queued; {self.kept_seats} seats kept "
                f"on the event")


def check_seats(app: Any, event_id: int) -> SeatCheck:
    """Count what was stored for ``event_id``, straight from the tables."""
    from sqlalchemy import func, select

    from koosloome.events.models import Event
    from koosloome.extensions import db
    from koosloome.messaging.models import OutgoingEmail
    from koosloome.registrations.models import Registration, RegistrationStatus

    settle(app, event_id)
    with app.app_context():
        event = db.session.get(Event, event_id)
        capacity, kept = event.capacity, event.seats_taken
        seats = db.session.scalar(
            select(func.coalesce(func.sum(Registration.seats), 0)).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        by_status = {
            status.value: count
            for status, count in db.session.execute(
                select(Registration.status, func.count())
                .where(Registration.event_id == event_id)
                .group_by(Registration.status)
            )
        }
        duplicates = db.session.scalar(
            select(func.count()).select_from(
                select(Registration.email)
                .where(Registration.event_id == event_id)
                .group_by(Registration.email)
                .having(func.count() > 1)
                .subquery()
            )
        )
        queued = db.session.scalar(
            select(func.count(func.distinct(OutgoingEmail.registration_id))).where(
                OutgoingEmail.event_id == event_id
            )
        )
        db.session.remove()
    return SeatCheck(capacity, int(seats), by_status, sum(by_status.values()),
                     int(duplicates), int(queued), int(kept))


def run_python(script: str, env: dict[str, str]) -> None:
    """Run a helper script with this interpreter (e.g. to create the baseline's table)."""
    subprocess.run([sys.executable, script], env=env, cwd=REPO, check=True)


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """The caller's environment without Koosloome or database settings."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("KOOSLOOME_", "GUNICORN_")) and key != "DATABASE_URL"}


def koosloome_env(url: str, instance: str, port: int, **extra: str) -> dict[str, str]:
    """What a Koosloome gunicorn needs: the database, a fixed secret, rate limits off."""
    env = clean_environment()
    env.update({
        "DATABASE_URL": url,
        "KOOSLOOME_SECRET_KEY": SECRET_KEY,
        "KOOSLOOME_INSTANCE_PATH": instance,
        "KOOSLOOME_RATELIMIT_ENABLED": "false",
        "KOOSLOOME_BASE_URL": f"http://127.0.0.1:{port}",
    })
    env.update(extra)
    return env


ENV_EXAMPLE = REPO / "docs" / "deploy" / "koosloome.env.example"


def deploy_env(**overrides: str | None) -> dict[str, str]:
    """The caller's environment plus docs/deploy/koosloome.env.example — what systemd gives
    koosloome.service and koosloome-outbox.service — with ``overrides`` on top (``None``
    removes a variable, e.g. the example's SMTP user name)."""
    env = clean_environment()
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[key.strip()] = value
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


class Gunicorn:
    """A gunicorn master on a free port, started with docs/deploy/gunicorn.conf.py."""

    def __init__(self, app_spec: str, env: dict[str, str], *, port: int | None = None,
                 workers: int = 2, threads: int = 8, extra_args: list[str] | None = None,
                 name: str = "gunicorn", cwd: Path = REPO) -> None:
        self.port = port or free_port()
        self.name = name
        self.url = f"http://127.0.0.1:{self.port}"
        # Open for the process's lifetime, closed in stop().
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix=f"{name}-", suffix=".log", delete=False)
        args = [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF),
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--threads", str(threads), *(extra_args or []), app_spec]
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str = "/healthz", timeout: float = 60) -> None:
        """Wait until ``path`` answers 200 (raises with the log when gunicorn died)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError), \
                    urllib.request.urlopen(self.url + path, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        """The end of gunicorn's log."""
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def errors_logged(self) -> list[str]:
        """Tracebacks and error lines the workers logged (kept after ``stop``)."""
        if self.process.poll() is not None and hasattr(self, "_errors"):
            return self._errors
        text = Path(self.log.name).read_text(errors="replace")
        return [line for line in text.splitlines()
                if "Traceback" in line or "[ERROR]" in line or "Error:" in line]

    def stop(self) -> None:
        """TERM the master (it stops its workers), KILL the group if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._errors = self.errors_logged()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> Gunicorn:
        self.wait_ready()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# --- wrk --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One wrk run: what was sent, what came back, how fast."""

    label: str
    clients: int
    seconds: float
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    counts: dict[str, int]
    socket_errors: int
    timeouts: int
    #: the responses that count as done work (201 for the API, 302 for the form POST, …)
    done: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def done_per_second(self) -> float:
        """Completed operations (registrations, inserts) per second."""
        return self.done / self.seconds

    @property
    def server_errors(self) -> int:
        """5xx responses."""
        return sum(v for k, v in self.counts.items() if k.isdigit() and k.startswith("5"))

    def unexpected(self, expected: set[str]) -> int:
        """Responses with a status outside ``expected`` (e.g. 409, 422, 5xx)."""
        return sum(v for k, v in self.counts.items() if k.isdigit() and k not in expected)


def wrk(label: str, script: str, url: str, clients: int, seconds: float, *,
        path: str = "/", run_id: str = "run", done_status: str = "201",
        threads: int = 2, headers: dict[str, str] | None = None) -> Run:
    """Run wrk with one of bench/lua/*.lua and read the JSON line its ``done`` prints.

    ``headers`` reach the script as BENCH_HEADERS, one ``Name: value`` a line (get.lua sends
    them with every request)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "BENCH_LUA_DIR": str(LUA), "BENCH_PATH": path, "BENCH_RUN": run_id,
           "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())}
    args = [binary, f"-t{min(threads, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
            "--timeout", "15s", "-s", str(LUA / script), url + path]
    out = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    match = re.search(r"^BENCH_JSON (.*)$", out.stdout, re.M)
    if match is None:
        raise RuntimeError(f"wrk gave no summary:\n{out.stdout}\n{out.stderr}")
    data = json.loads(match.group(1))
    counts = {str(k): int(v) for k, v in data["counts"].items()}
    return Run(
        label=label, clients=clients, seconds=data["duration_us"] / 1e6,
        requests=data["requests"], p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000, counts=counts, socket_errors=data["socket_errors"],
        timeouts=data["timeouts"], done=counts.get(done_status, 0),
    )


def best(runs: list[Run]) -> Run:
    """The run with the most completed operations per second (best-of, as README says)."""
    return max(runs, key=lambda run: run.done_per_second)


def median(values: list[float]) -> float:
    """The median (of two values: their mean)."""
    return statistics.median(values)


# --- Output -----------------------------------------------------------------------------------


def markdown_table(header: list[str], rows: list[list[Any]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_json(path: str | None, payload: Any) -> None:
    """Save raw results when ``--json PATH`` was given."""
    if path:
        Path(path).write_text(json.dumps(payload, indent=2, default=str) + "\n")
