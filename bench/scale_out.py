"""Scale-out (issue 9, part 3): two gunicorn instances, one PostgreSQL, one Redis.

    .venv/bin/python bench/scale_out.py [--capacity 150] [--people 600] [--clients 48]
                                        [--no-pgbouncer] [--pool-size 8]

Starts two Koosloome instances (docs/deploy/gunicorn.conf.py, 2 workers × 4 threads each) on
one PostgreSQL database created for the run and Redis database 15 for rate limits (ON, with
REGISTRATION_RATE_LIMIT high enough for the rush). Then a registration rush: ``--people``
people at once for ``--capacity`` seats, half through the JSON API, half through the HTML
form — and each form visitor GETs the page from one instance and POSTs it to the other, so
sessions and CSRF tokens must work across processes. Checks afterwards:

- no 5xx, no connection errors;
- exactly ``capacity`` seats confirmed, the rest on the waiting list (no overbooking);
- every accepted registration stored exactly once, nothing stored that was not accepted;
- the waiting-list positions given to API clients are 1..n without gaps or repeats;
- one queued message per registration;
- both instances counted their requests in the same Redis rate-limit window;
- then two outbox workers (``flask --app koosloome outbox work``, as
  docs/deploy/koosloome-outbox.service runs them) deliver the queued confirmations side by
  side to one aiosmtpd server (bench/smtp_sink.py, its own process): every message arrives
  exactly once (counted by Message-ID), every row is marked sent after one attempt.

Instances and workers get their settings from docs/deploy/koosloome.env.example (what
systemd's EnvironmentFile gives them in production) with this run's database, secret, Redis
database and SMTP port on top; gunicorn runs with docs/deploy/gunicorn.conf.py.

By default they reach PostgreSQL as in production, through PgBouncer in transaction-pooling
mode (bench/pgbouncer.py starts one with docs/deploy/pgbouncer.ini's settings and
``--pool-size`` server connections; the schema is migrated through it too, and
KOOSLOOME_DATABASE_POOLER=pgbouncer is set); ``--no-pgbouncer`` connects them straight. The
checks always read PostgreSQL directly. ``--keep-prepared-statements`` leaves the pooler
setting off behind PgBouncer, to show what it prevents.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h
from pgbouncer import INSTALL_HINT, PgBouncer
from pgbouncer import binary as pgbouncer_binary
from smtp_sink import SmtpSink, exactly_once
from sqlalchemy import make_url

REDIS_URL = "redis://127.0.0.1:6379/15"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--capacity", type=int, default=150)
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--clients", type=int, default=48, help="concurrent client threads")
    parser.add_argument("--redis", default=REDIS_URL)
    parser.add_argument("--pgbouncer", action=argparse.BooleanOptionalAction, default=True,
                        help="instances and workers reach PostgreSQL through PgBouncer in "
                             "transaction-pooling mode, as in production (default: yes)")
    parser.add_argument("--pool-size", type=int, default=8,
                        help="PgBouncer's server connections (default_pool_size; default 8: "
                             "half the instances' threads, so transactions share them)")
    parser.add_argument("--keep-prepared-statements", action="store_true",
                        help="leave KOOSLOOME_DATABASE_POOLER unset behind PgBouncer, to see "
                             "what it prevents (the run is expected to fail)")
    return parser.parse_args()


class Client:
    """One keep-alive connection per instance, with its own cookies (one visitor at a time)."""

    def __init__(self, urls: list[str]) -> None:
        self.connections = [http.client.HTTPConnection(urlsplit(u).hostname, urlsplit(u).port,
                                                       timeout=120) for u in urls]

    def send(self, instance: int, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request to instance 0 or 1; reconnects once if the server closed keep-alive."""
        for attempt in (1, 2):
            connection = self.connections[instance]
            try:
                connection.request(method, path, body, headers or {})
                response = connection.getresponse()
                data = response.read()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, data
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def api_registration(client: Client, instance: int, event_id: int, email: str) -> dict[str, Any]:
    """Register through the API; the outcome as the client saw it."""
    body = json.dumps({"name": "Tormaja", "email": email, "consent_privacy": True}).encode()
    status, _headers, data = client.send(instance, "POST",
                                         f"/api/v1/events/{event_id}/registrations", body,
                                         {"Content-Type": "application/json"})
    outcome: dict[str, Any] = {"path": "api", "email": email, "code": status}
    if status == 202:
        outcome.update(json.loads(data))
    return outcome


def form_registration(client: Client, instance: int, slug: str, email: str) -> dict[str, Any]:
    """GET the form from one instance, POST it to the other with that session and token."""
    status, headers, html = client.send(instance, "GET", f"/events/{slug}/register")
    outcome: dict[str, Any] = {"path": "form", "email": email, "code": status}
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html)
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    if status != 200 or token is None or not cookie:
        return outcome
    body = (f"csrf_token={token.group(1).decode()}&name=Tormaja&email={email.replace('@', '%40')}"
            "&consent_privacy=y&language=et").encode()
    status, headers, _ = client.send(1 - instance, "POST", f"/events/{slug}/register", body,
                                     {"Content-Type": "application/x-www-form-urlencoded",
                                      "Cookie": cookie})
    outcome["code"] = status
    outcome["posted"] = True
    return outcome


def rush(urls: list[str], event_id: int, slug: str, people: int, clients: int,
         run_id: str) -> tuple[list[dict[str, Any]], float]:
    """Everybody at once (a barrier), spread over both instances and both paths."""
    outcomes: list[dict[str, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    numbers = iter(range(people))

    def worker() -> None:
        client = Client(urls)
        barrier.wait()
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            email = f"{run_id}-{number}@example.ee"
            try:
                if number % 2:
                    result = api_registration(client, number % 4 // 2, event_id, email)
                else:
                    result = form_registration(client, number % 4 // 2, slug, email)
            except OSError as error:
                result = {"path": "?", "email": email, "code": f"error {error!r}"}
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - started


def check_registrations(app: Any, event_id: int, capacity: int,
                        outcomes: list[dict[str, Any]]) -> list[str]:
    """Compare what clients were told with what the database holds."""
    from sqlalchemy import func, select

    from koosloome.extensions import db
    from koosloome.messaging.models import OutgoingEmail
    from koosloome.registrations.models import Registration

    problems = []
    accepted = {o["email"] for o in outcomes if o["code"] in (202, 200)}
    statuses = Counter(str(o["code"]) for o in outcomes)
    if any(code.startswith("5") or code.startswith("error") for code in statuses):
        problems.append(f"server errors or failed connections: {dict(statuses)}")
    check = h.check_seats(app, event_id)
    if check.by_status.get("confirmed", 0) != capacity or check.confirmed_seats != capacity:
        problems.append(f"expected exactly {capacity} seats confirmed: {check.describe()}")
    if not check.ok:
        problems.append(check.describe())
    with app.app_context():
        stored = Counter(db.session.scalars(
            select(Registration.email).where(Registration.event_id == event_id)))
        per_registration = Counter(db.session.scalars(
            select(OutgoingEmail.registration_id).where(OutgoingEmail.event_id == event_id)))
        rows = db.session.scalar(select(func.count(Registration.id))
                                 .where(Registration.event_id == event_id))
        db.session.remove()
    if set(stored) != accepted:
        problems.append(f"stored but not accepted: {sorted(set(stored) - accepted)[:5]}; "
                        f"accepted but not stored: {sorted(accepted - set(stored))[:5]}")
    if any(n > 1 for n in stored.values()):
        problems.append("an e-mail address stored twice")
    if len(per_registration) != rows or any(n != 1 for n in per_registration.values()):
        problems.append("not exactly one queued message per registration")
    positions = sorted(o["waitlist_position"] for o in outcomes
                       if o["path"] == "api" and o.get("waitlist_position") is not None)
    if len(positions) != len(set(positions)):
        problems.append(f"waiting-list positions repeated: {positions[:20]}")
    return problems


def check_rate_limit_shared(redis_url: str, requests_sent: int) -> tuple[str, list[str]]:
    """Flask-Limiter's counters for the registration limit live in Redis, counted by both
    instances: their sum is the number of limited requests both instances received."""
    import redis

    client = redis.Redis.from_url(redis_url)
    total = 0
    for key in client.scan_iter("LIMITS:*"):
        value = client.get(key) if b"regist" in key else None
        if value is not None and value.isdigit():
            total += int(value)
    summary = (f"registration-limit counters in Redis add up to {total}; requests the "
               f"limit applies to: {requests_sent}")
    problems = [] if total == requests_sent else [f"rate-limit state not shared: {summary}"]
    return summary, problems


def check_outbox_delivers_exactly_once(app: Any, env: dict[str, str], event_id: int,
                                       folder: Path, timeout: float = 300
                                       ) -> tuple[str, list[str]]:
    """Two outbox workers side by side, one SMTP server: every queued message exactly once."""
    from sqlalchemy import func, select

    from koosloome.extensions import db
    from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail

    with app.app_context():
        expected = set(db.session.scalars(select(OutgoingEmail.message_id)
                                          .where(OutgoingEmail.event_id == event_id)))
        db.session.remove()
    problems: list[str] = []
    with SmtpSink(folder / "smtp-sink.log") as sink:
        worker_env = {**env, "KOOSLOOME_MAIL_SERVER": "127.0.0.1",
                      "KOOSLOOME_MAIL_PORT": str(sink.port), "KOOSLOOME_MAIL_USE_TLS": "false"}
        for key in ("KOOSLOOME_MAIL_USERNAME", "KOOSLOOME_MAIL_PASSWORD"):
            worker_env.pop(key, None)
        logs = [folder / f"outbox-worker-{n}.log" for n in (1, 2)]
        started = time.monotonic()
        workers = []
        for log in logs:
            with log.open("w") as out:
                workers.append(subprocess.Popen(
                    [str(h.BIN / "flask"), "--app", "koosloome", "outbox", "work",
                     "--interval", "0.5"], cwd=h.REPO, env=worker_env, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True))
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if any(worker.poll() is not None for worker in workers):
                    problems.append("an outbox worker exited early")
                    break
                with app.app_context():
                    waiting = db.session.scalar(
                        select(func.count()).select_from(OutgoingEmail).where(
                            OutgoingEmail.event_id == event_id,
                            OutgoingEmail.status != EmailStatus.SENT))
                    db.session.remove()
                if waiting == 0:
                    break
                time.sleep(0.2)
            seconds = time.monotonic() - started
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)  # finishes its message, then exits
            for worker in workers:
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
        received = sink.wait_for(len(expected), timeout=5)
    problems += [f"outbox: {p}" for p in exactly_once(expected, received)]
    with app.app_context():
        statuses = {str(status): n for status, n in db.session.execute(
            select(OutgoingEmail.status, func.count()).where(OutgoingEmail.event_id == event_id)
            .group_by(OutgoingEmail.status))}
        attempts = db.session.scalar(select(func.max(OutgoingEmail.attempts))
                                     .where(OutgoingEmail.event_id == event_id)) or 0
        ok_attempts = db.session.scalar(
            select(func.count()).select_from(DeliveryAttempt).join(OutgoingEmail)
            .where(OutgoingEmail.event_id == event_id, DeliveryAttempt.ok.is_(True))) or 0
        db.session.remove()
    if statuses != {"sent": len(expected)} or ok_attempts != len(expected) or attempts != 1:
        problems.append(f"outbox rows: {statuses}, {ok_attempts} successful attempts, "
                        f"at most {attempts} attempts per message")
    per_worker = [sum(int(n) for n in re.findall(r"^(\d+) sent", log.read_text(), re.M))
                  for log in logs]
    for number, log in enumerate(logs, 1):
        if "Traceback" in log.read_text():
            problems.append(f"outbox worker {number} logged a traceback")
    summary = (f"two outbox workers delivered {len(received)} messages for {len(expected)} "
               f"queued in {seconds:.1f} s ({len(received) / seconds:.0f}/s; "
               f"{' + '.join(str(n) for n in per_worker)} by worker, including start-up); "
               f"{len({d.message_id for d in received})} distinct Message-IDs")
    return summary, problems


class PoolWatch:
    """Samples PgBouncer's pool every 0.1 s in a thread: the most client connections, server
    connections in use and clients waiting for one seen at once."""

    def __init__(self, bouncer: PgBouncer, database: str) -> None:
        self.bouncer, self.database = bouncer, database
        self.peak: Counter[str] = Counter()
        self.mode = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            pool = self.bouncer.pool(self.database)
            if not pool:
                continue
            self.mode = pool["pool_mode"]
            current = {"clients": pool["cl_active"] + pool["cl_waiting"],
                       "waiting": pool["cl_waiting"], "servers busy": pool["sv_active"],
                       "servers": pool["sv_active"] + pool["sv_idle"] + pool["sv_used"]}
            for key, value in current.items():
                self.peak[key] = max(self.peak[key], value)

    def __enter__(self) -> PoolWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> tuple[str, list[str]]:
        """What PgBouncer saw (SHOW STATS for the run's database), and a problem if it did not
        pool transactions."""
        stats = next((row for row in self.bouncer.admin("SHOW STATS")
                      if row["database"] == self.database), {})
        transactions = int(stats.get("total_xact_count", 0))
        waited_ms = int(stats.get("total_wait_time", 0)) / 1000
        text = (f"PgBouncer ({self.mode} pooling, default_pool_size "
                f"{self.bouncer.settings['default_pool_size']}): at most "
                f"{self.peak['clients']} client connections, {self.peak['servers busy']} server "
                f"connections busy at once ({self.peak['servers']} open), at most "
                f"{self.peak['waiting']} waiting for one; {transactions} transactions, "
                f"{int(stats.get('total_query_count', 0))} queries, "
                f"{waited_ms / max(transactions, 1):.2f} ms average wait for a server connection")
        problems = [] if self.mode == "transaction" else [f"PgBouncer pool mode {self.mode!r}"]
        return text, problems


def _close_connections(app: Any) -> None:
    """Close an app's pooled connections (before PgBouncer stops and the database is dropped)."""
    from koosloome.extensions import db

    with app.app_context():
        db.engine.dispose()


def _connections(args: argparse.Namespace, url: str,
                 bouncer: PgBouncer | None) -> dict[str, str | None]:
    """How instances and workers reach the database: through PgBouncer (DATABASE_URL to it,
    the pooler setting, the direct URL for backups), or straight."""
    if bouncer is None:
        return {"DATABASE_URL": url, "KOOSLOOME_DATABASE_POOLER": None,
                "KOOSLOOME_DATABASE_DIRECT_URL": None}
    return {"DATABASE_URL": bouncer.url(make_url(url).database),
            "KOOSLOOME_DATABASE_POOLER": None if args.keep_prepared_statements else "pgbouncer",
            "KOOSLOOME_DATABASE_DIRECT_URL": url}


def _start_pgbouncer(args: argparse.Namespace) -> contextlib.AbstractContextManager[Any]:
    """PgBouncer in front of the bench's server (docs/deploy/pgbouncer.ini's settings), or
    nothing with --no-pgbouncer."""
    if not args.pgbouncer:
        return contextlib.nullcontext()
    if pgbouncer_binary() is None:
        raise SystemExit(f"pgbouncer is missing: {INSTALL_HINT} (or run with --no-pgbouncer)")
    return PgBouncer(h.POSTGRES_SERVER, default_pool_size=args.pool_size)


def main() -> None:
    """Run the rush and the checks; exit 1 when anything is not exact."""
    args = parse_args()
    import redis

    redis_client = redis.Redis.from_url(args.redis)
    redis_client.ping()
    redis_client.flushdb()  # database 15 belongs to this script
    info = h.machine()
    program = pgbouncer_binary()
    if args.pgbouncer and program is not None:
        info["pgbouncer"] = subprocess.run([str(program), "--version"], capture_output=True,
                                           text=True, check=False).stdout.splitlines()[0]
    print("## Machine")
    h.print_machine(info)
    pool_summary = ""
    with tempfile.TemporaryDirectory(prefix="koosloome-scale-") as instance, \
            h.database("postgres", "koosloome_scale") as url, \
            _start_pgbouncer(args) as bouncer:
        connections = _connections(args, url, bouncer)
        # The schema as the services' ExecStartPre builds it: through the pooler, if any.
        schema_app = h.koosloome_app(connections["DATABASE_URL"], instance,
                                     DATABASE_POOLER=connections["KOOSLOOME_DATABASE_POOLER"])
        h.migrate(schema_app)
        _close_connections(schema_app)
        app = h.koosloome_app(url, instance)  # the checks read PostgreSQL directly
        event_id = h.make_event(app, "ooperiretk", args.capacity)
        # What systemd gives koosloome.service (docs/deploy/koosloome.env.example), with this
        # run's database, secret, Redis database and a registration limit the rush stays under.
        env = h.deploy_env(**connections, KOOSLOOME_SECRET_KEY=h.SECRET_KEY,
                           KOOSLOOME_INSTANCE_PATH=instance,
                           KOOSLOOME_RATELIMIT_ENABLED="true",
                           KOOSLOOME_RATELIMIT_STORAGE_URI=args.redis,
                           KOOSLOOME_REGISTRATION_RATE_LIMIT="100000 per hour")
        watch = (PoolWatch(bouncer, make_url(url).database) if bouncer is not None
                 else contextlib.nullcontext())
        with watch:
            servers = []
            for name in ("a", "b"):
                port = h.free_port()
                servers.append(h.Gunicorn("wsgi:app",
                                          {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                                          port=port, workers=2, threads=4,
                                          name=f"koosloome-{name}"))
            try:
                for server in servers:
                    server.wait_ready()
                outcomes, seconds = rush([s.url for s in servers], event_id, "ooperiretk",
                                         args.people, args.clients, f"s{int(time.time())}")
                problems = check_registrations(app, event_id, args.capacity, outcomes)
                requests_limited = sum(1 for o in outcomes
                                       if o["path"] == "api" or o.get("posted"))
                limit_summary, limit_problems = check_rate_limit_shared(args.redis,
                                                                        requests_limited)
                problems += limit_problems
            finally:
                for server in servers:
                    server.stop()
            for server in servers:
                if server.errors_logged():
                    problems.append(f"{server.name} logged: {server.errors_logged()[:3]}")
            # The rush queued one confirmation per registration: now deliver them, two workers.
            outbox_summary, outbox_problems = check_outbox_delivers_exactly_once(
                app, env, event_id, Path(instance))
            problems += outbox_problems
        if bouncer is not None:
            pool_summary, pool_problems = watch.summary()
            problems += pool_problems
        _close_connections(app)
        redis_client.flushdb()
    statuses = Counter(f"{o['path']} {o['code']} {o.get('status', '')}".strip()
                       for o in outcomes)
    route = (f"through PgBouncer (transaction pooling, {args.pool_size} server connections"
             f"{', psycopg preparing statements' if args.keep_prepared_statements else ''})"
             if args.pgbouncer else "straight to PostgreSQL")
    print(f"\n## Scale-out rush: {args.people} people, {args.capacity} seats, "
          f"{args.clients} clients, 2 instances × 2 workers × 4 threads, PostgreSQL + Redis, "
          f"{route}\n")
    print(f"- finished in {seconds:.1f} s ({args.people / seconds:.0f} registrations/s)")
    print(f"- answers: {dict(sorted(statuses.items()))}")
    print(f"- {limit_summary}")
    print(f"- {outbox_summary}")
    if pool_summary:
        print(f"- {pool_summary}")
    print("\n## Checks")
    print("\n".join(f"- FAILED: {p}" for p in problems) if problems else "- all exact")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
