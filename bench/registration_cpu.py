"""Where a registration's CPU goes (issue 20, 1a): in-process, no server, no load generator.

    .venv/bin/python bench/registration_cpu.py [--db sqlite|postgres] [--requests 200]
        [--rounds 3] [--profile]

Served throughput on two shared cores follows CPU per request, so this splits one JSON API
registration into steps and times each with ``time.process_time`` (this process's CPU, which
other sessions' load hardly moves), through Flask's test client:

- bare insert: bench/baseline_app.py's ``POST /insert`` (Flask + Flask-SQLAlchemy, one ORM
  INSERT and a commit), the yardstick of ``registration_throughput.py``;
- healthz: Koosloome's ``GET /healthz``, what any request costs in this app;
- event JSON: ``GET /api/v1/events/{id}``: a request that loads the event;
- refused (422): ``POST .../registrations`` without a name: the event loaded and all fields
  validated, nothing locked or written;
- registration (202): the whole thing: validated, the event locked, the rules, the address
  looked up, a manage-link token, the registration and its outbox row written, committed.

The step from "refused" to "registration" is the database work and what must happen under
the lock. Each figure is the minimum over ``--rounds`` of the mean over ``--requests``.
``--profile`` adds cProfile's exact call counts and a split of the registration's time by
package (cProfile's times are inflated by itself; compare shares, not milliseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

BODY = {"name": "Koormus", "consent_privacy": True}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    return parser.parse_args()


def cpu_ms(step: Callable[[], None], requests: int, rounds: int) -> float:
    """The least mean CPU milliseconds per call over ``rounds`` of ``requests`` calls."""
    for _ in range(min(20, requests)):
        step()  # warm caches (form classes, compiled SQL) as a served worker has them
    means = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(requests):
            step()
        means.append((time.process_time() - start) * 1000 / requests)
    return min(means)


def expect(response: Any, status: int) -> None:
    if response.status_code != status:
        raise SystemExit(f"expected {status}, got {response.status_code}: "
                         f"{response.get_data(as_text=True)[:300]}")


def baseline_client(url: str) -> Any:
    os.environ["DATABASE_URL"] = url
    os.environ["BASELINE_CREATE_SCHEMA"] = "1"
    import baseline_app

    return baseline_app.create_app().test_client()


def steps(app: Any, baseline: Any, event_id: int) -> dict[str, Callable[[], None]]:
    """The named requests, each a callable that sends one and checks its answer."""
    client = app.test_client()
    serial = itertools.count()
    path = f"/api/v1/events/{event_id}/registrations"

    def bare() -> None:
        expect(baseline.post("/insert", json={"name": "x", "email": f"{next(serial)}@e.ee"}), 201)

    def register() -> None:
        expect(client.post(path, json={**BODY, "email": f"cpu-{next(serial)}@example.ee"}), 202)

    return {
        "bare insert": bare,
        "healthz": lambda: expect(client.get("/healthz"), 200),
        "event JSON": lambda: expect(client.get(f"/api/v1/events/{event_id}"), 200),
        "refused (422)": lambda: expect(client.post(path, json={"consent_privacy": True}), 422),
        "registration (202)": register,
    }


PACKAGES = ("sqlalchemy", "wtforms", "flask_babel", "babel", "flask_limiter", "limits",
            "flask_wtf", "flask_login", "flask", "werkzeug", "jinja2", "psycopg", "koosloome")


def package_of(filename: str) -> str:
    """Which package a profiled function belongs to, by its file."""
    if filename.startswith("~") or filename == "<built-in>":
        return "C (sqlite3, hashing, builtins)"
    parts = Path(filename).parts
    for package in PACKAGES:
        if package in parts:
            return package
    return "standard library and the rest"


def profile(step: Callable[[], None], requests: int) -> None:
    """cProfile ``requests`` calls of ``step``: calls per request and time shares."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        step()
    profiler.disable()
    stats = pstats.Stats(profiler)
    shares: dict[str, float] = defaultdict(float)
    calls = 0
    for (filename, _line, _name), (_cc, ncalls, tottime, _ct, _callers) in stats.stats.items():
        shares[package_of(filename)] += tottime
        calls += ncalls
    total = sum(shares.values())
    print(f"\nProfile of the registration: {calls / requests:,.0f} Python and C calls per "
          f"request, {total * 1000 / requests:.1f} profiled ms")
    for package, seconds in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"  {package:32} {seconds * 100 / total:5.1f} %")


def main() -> None:
    args = parse_args()
    h.print_machine(h.machine())
    with tempfile.TemporaryDirectory(prefix="koosloome-cpu-") as instance, \
            h.database(args.db, "koosloome_cpu") as url, \
            h.database(args.db, "koosloome_cpu_baseline") as baseline_url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        event_id = h.make_event(app, "cpu", capacity=10**6)
        named = steps(app, baseline_client(baseline_url), event_id)
        figures = {name: cpu_ms(step, args.requests, args.rounds)
                   for name, step in named.items()}
        bare = figures["bare insert"]
        print(f"\nCPU per request ({args.db}, min of {args.rounds} × {args.requests}):")
        print(h.markdown_table(["request", "CPU ms", "× bare insert"],
                               [[name, f"{ms:.2f}", f"{ms / bare:.1f}"]
                                for name, ms in figures.items()]))
        under_lock = figures["registration (202)"] - figures["refused (422)"]
        print(f"\nregistration − refused (lock, rules, lookup, token, two rows, commit): "
              f"{under_lock:.2f} ms = {under_lock / bare:.1f} × the bare insert")
        if args.profile:
            profile(named["registration (202)"], args.requests)


if __name__ == "__main__":
    main()
