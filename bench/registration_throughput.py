"""Registration throughput (issue 9, 1a): the HTML form and the JSON API against a bare insert.

    .venv/bin/python bench/registration_throughput.py [--db sqlite|postgres|both]
        [--clients 16,64] [--seconds 8] [--rounds 2] [--json results.json]

Three gunicorn apps run with the same settings (docs/deploy/gunicorn.conf.py, 2 workers × 8
threads): the baseline (bench/baseline_app.py: Flask + Flask-SQLAlchemy, one INSERT per
request) and Koosloome. wrk drives them with 2 threads — the same C load generator for every
path, so the baseline is not handicapped by a slower client:

- baseline: POST /insert with a unique e-mail;
- api: POST /api/v1/events/{id}/registrations with a unique e-mail;
- form: GET /events/<slug>/register without cookies (a new visitor: page, session cookie, CSRF
  token), then POST of the form with that cookie and token (CSRF on). One registration = two
  requests; registrations/s counts the POSTs answered with the confirmation page (200).

Each round runs every path once per client count, interleaved, so noise hits all alike; the
table shows the best of the rounds and the ratio of best to best. A first part uses an event
with a huge capacity (everyone confirmed), a second one an event with 100 seats (the rest join
the waiting list). After every Koosloome run the database is checked: confirmed seats never
exceed capacity, no e-mail is registered twice, every registration queued its message.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

TARGETS = {"api": 0.50, "form": 0.25}
P95_TARGET_MS = 100
EXPECTED = {"baseline": {"201"}, "api": {"202"}, "form": {"200", "registered"},
            "api before": {"202"}, "form before": {"200", "registered"}}


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", default="16,64", help="comma-separated wrk connections")
    parser.add_argument("--seconds", type=float, default=8, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="repeat every run; best-of is shown")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--waitlist-capacity", type=int, default=100)
    parser.add_argument("--app-dir", type=Path, default=h.REPO,
                        help="serve Koosloome from another checkout (e.g. `git archive` of an "
                             "older commit) to compare before and after a change")
    parser.add_argument("--compare-dir", type=Path,
                        help="also serve Koosloome from this checkout (an earlier commit) and "
                             "run its API and form paths ('api before', 'form before') in the "
                             "same rounds, interleaved: before and after under the same noise")
    parser.add_argument("--json", help="also write raw results here")
    return parser.parse_args()


def bench_database(kind: str, args: argparse.Namespace) -> tuple[list[list[object]], list[str]]:
    """All runs on one database; returns table rows and problems found."""
    clients_list = [int(c) for c in args.clients.split(",")]
    rows: list[list[object]] = []
    problems: list[str] = []
    serial = itertools.count(1)
    baseline_best: dict[int, h.Run] = {}
    with tempfile.TemporaryDirectory(prefix="koosloome-bench-") as instance, \
            h.database(kind, "koosloome_bench") as url, \
            h.database(kind, "koosloome_bench_baseline") as baseline_url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        env = h.clean_environment() | {"DATABASE_URL": baseline_url}
        h.run_python(str(h.BENCH / "baseline_app.py"), env)
        port = h.free_port()
        koosloome = h.Gunicorn("wsgi:app", h.koosloome_env(url, instance, port), port=port,
                               workers=args.workers, threads=args.threads, name="koosloome",
                               cwd=args.app_dir)
        baseline = h.Gunicorn("baseline_app:app", env, workers=args.workers,
                              threads=args.threads, extra_args=["--pythonpath", str(h.BENCH)],
                              name="baseline")
        servers = {"": koosloome}
        if args.compare_dir:
            port = h.free_port()
            servers[" before"] = h.Gunicorn(
                "wsgi:app", h.koosloome_env(url, instance, port), port=port,
                workers=args.workers, threads=args.threads, name="koosloome-before",
                cwd=args.compare_dir)
        paths = ["baseline"] + [f"{path}{suffix}" for suffix in servers
                                for path in ("api", "form")]
        with contextlib.ExitStack() as stack:
            for server in (*servers.values(), baseline):
                stack.enter_context(server)
            def run(path: str, clients: int, capacity: int, seconds: float) -> h.Run:
                number = next(serial)
                run_id = f"{kind[0]}{number}t{int(time.time())}"
                if path == "baseline":
                    return h.wrk("baseline", "baseline_insert.lua", baseline.url, clients,
                                 seconds, path="/insert", run_id=run_id)
                slug = f"bench-{number}"
                event_id = h.make_event(app, slug, capacity)
                server = servers[path.removeprefix("api").removeprefix("form")]
                if path.startswith("api"):
                    result = h.wrk(path, "api_register.lua", server.url, clients, seconds,
                                   path=f"/api/v1/events/{event_id}/registrations",
                                   run_id=run_id, done_status="202")
                else:
                    result = h.wrk(path, "form_register.lua", server.url, clients,
                                   seconds, path=f"/events/{slug}/register", run_id=run_id,
                                   done_status="registered")
                check = h.check_seats(app, event_id)
                result.extra["check"] = check
                # Requests still in flight when wrk stopped may be stored without wrk seeing
                # the answer: at most one per connection.
                if not check.ok or not result.done <= check.rows <= result.done + clients:
                    problems.append(f"FAILED {kind} {path} {clients} clients: "
                                    f"{check.describe()} (wrk saw {result.done} accepted)")
                return result

            for path in paths:  # warm up: templates, pools, caches
                run(path, 16, 1_000_000, 2)
            parts = [("open", 1_000_000, clients_list),
                     ("waiting list", args.waitlist_capacity, clients_list[:1])]
            for part, capacity, client_counts in parts:
                results: dict[tuple[str, int], list[h.Run]] = {}
                for _round in range(args.rounds):
                    for clients in client_counts:
                        for path in paths:
                            if part != "open" and path == "baseline":
                                continue
                            results.setdefault((path, clients), []).append(
                                run(path, clients, capacity, args.seconds))
                for clients in client_counts:
                    if part == "open":
                        baseline_best[clients] = h.best(results[("baseline", clients)])
                    base = baseline_best[clients]
                    for path in paths:
                        if (path, clients) not in results:
                            continue
                        rows.append(table_row(kind, part, path, clients,
                                              results[(path, clients)], base))
                        problems += target_problems(kind, part, path, clients,
                                                    h.best(results[(path, clients)]), base)
        for server in (*servers.values(), baseline):
            if server.errors_logged():
                problems.append(f"{server.name} logged errors: {server.errors_logged()[:3]}")
    return rows, problems


def table_row(kind: str, part: str, path: str, clients: int, runs: list[h.Run],
              base: h.Run) -> list[object]:
    """One line of the results table (best of the rounds)."""
    run = h.best(runs)
    ratio = run.done_per_second / base.done_per_second if base.done else 0
    all_rates = " / ".join(f"{r.done_per_second:.0f}" for r in runs)
    state = ""
    if path != "baseline":
        check = run.extra["check"]
        state = ", ".join(f"{k} {v}" for k, v in sorted(check.by_status.items()))
    return [
        path, "SQLite" if kind == "sqlite" else "PostgreSQL", part, clients,
        f"{run.done_per_second:.0f}", all_rates, f"{run.requests / run.seconds:.0f}",
        f"{ratio:.0%}", f"{run.p50_ms:.1f}", f"{run.p95_ms:.1f}",
        run.unexpected(EXPECTED[path]) + run.socket_errors + run.timeouts,
        run.server_errors, state,
    ]


def target_problems(kind: str, part: str, path: str, clients: int, run: h.Run,
                    base: h.Run) -> list[str]:
    """Targets of issue 9 this run misses (the earlier checkout's paths are not judged)."""
    if path.endswith(" before"):
        return []
    found = []
    where = f"{kind} {part} {path} {clients} clients"
    if run.server_errors:
        found.append(f"{where}: {run.server_errors} responses 5xx")
    if path in TARGETS and base.done:
        ratio = run.done_per_second / base.done_per_second
        if ratio < TARGETS[path]:
            found.append(f"{where}: {ratio:.0%} of the baseline (target {TARGETS[path]:.0%})")
    if clients <= 16 and run.p95_ms >= P95_TARGET_MS:
        found.append(f"{where}: p95 {run.p95_ms:.0f} ms (target < {P95_TARGET_MS} ms)")
    return found


HEADER = ["path", "DB", "event", "clients", "done/s (best)", "done/s (each round)", "req/s",
          "ratio to baseline", "p50 ms", "p95 ms", "non-2xx", "5xx", "stored"]


def main() -> None:
    """Run, print the machine, the table and any missed target."""
    args = parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    info = h.machine()
    print("## Machine")
    h.print_machine(info)
    all_rows: list[list[object]] = []
    problems: list[str] = []
    for kind in kinds:
        rows, found = bench_database(kind, args)
        all_rows += rows
        problems += found
    print(f"\n## Registration throughput ({args.workers} workers × {args.threads} threads, "
          f"wrk 2 threads, {args.seconds:g} s runs, best of {args.rounds})\n")
    print(h.markdown_table(HEADER, all_rows))
    print("\n'done/s' counts registrations (API 202, form POST answered with the confirmation)"
          " or baseline inserts;"
          " 'req/s' counts every request (the form path sends two per registration)."
          " Latency is per request.")
    print("\n## Checks and targets")
    print("\n".join(f"- {p}" for p in problems) if problems else "- all met")
    h.write_json(args.json, {"machine": info, "header": HEADER, "rows": all_rows,
                             "problems": problems})
    sys.exit(1 if any("FAILED" in p or "5xx" in p for p in problems) else 0)


if __name__ == "__main__":
    main()
