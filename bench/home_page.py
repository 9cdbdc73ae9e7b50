"""The home page with many upcoming events (issue 20.2): bytes, CPU per request and SQL
statements in-process, and requests/s under wrk against /healthz.

    .venv/bin/python bench/home_page.py [--db sqlite|postgres|both] [--events 1000]
        [--requests 100] [--rounds 2] [--seconds 5] [--clients 16]
        [--compare-dir DIR] [--json FILE]

One database per kind is seeded with ``--events`` published upcoming events
(``_harness.seed_events``: kinds, partners and counties in turn, 7 hours apart).

- **In-process** (Flask's test client, no network): a child process per checkout and round
  sends every path ``--requests`` times, interleaved, and takes ``time.process_time`` per
  request; it also counts the SQL statements of one request and the response's bytes. The
  child imports Koosloome from the checkout it is given, so ``--compare-dir`` (an earlier
  commit: ``git archive <commit> | tar -x -C DIR`` plus its compiled ``.mo`` files) measures
  before and after on the same data in the same run.
- **Served** (gunicorn with docs/deploy/gunicorn.conf.py, wrk with bench/lua/get.lua): each
  checkout's /healthz (its baseline: one ``SELECT 1``) and home page, the paths interleaved
  in every round; requests/s best of the rounds, and the home page as a share of /healthz.

Exit 1 when a path answers anything but 200 (an error page is no speed-up).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

#: (label, path): the baseline, the home page's states, and the API's list.
PATHS = [
    ("healthz", "/healthz"),
    ("home", "/"),
    ("home, page 50", "/?page=50"),
    ("home, kind+county, page 3", "/?kind=workshop&county=voru&page=3"),
    ("API list, upcoming", "/api/v1/events?upcoming=true"),
]
#: What wrk loads: the baseline and the first page.
SERVED = [("healthz", "/healthz"), ("home", "/")]
DB_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

#: The child: imports Koosloome from argv[1]; measures the paths given as JSON in argv[2].
CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from sqlalchemy import event
from koosloome import create_app
from koosloome.extensions import db

spec = json.loads(sys.argv[2])
app = create_app({"SQLALCHEMY_DATABASE_URI": spec["url"], "SECRET_KEY": spec["secret"],
                  "INSTANCE_PATH": spec["instance"], "RATELIMIT_ENABLED": False})
client = app.test_client()
paths = spec["paths"]
result = {}
with app.app_context():
    statements = []
    record = lambda *args: statements.append(1)
    for path in paths:
        for _ in range(3):
            client.get(path)  # warm: templates compiled, connections open
        event.listen(db.engine, "before_cursor_execute", record)
        response = client.get(path)
        event.remove(db.engine, "before_cursor_execute", record)
        result[path] = {"status": response.status_code, "bytes": len(response.get_data()),
                        "statements": len(statements), "cpu": []}
        statements.clear()
for _ in range(spec["requests"]):
    for path in paths:
        started = time.process_time()
        client.get(path)
        result[path]["cpu"].append(time.process_time() - started)
print("BENCH_JSON " + json.dumps(result))
"""


def measure_in_process(app_dir: Path, url: str, instance: str, requests: int) -> dict[str, Any]:
    """One child process's figures for every path (see CHILD)."""
    spec = {"url": url, "secret": h.SECRET_KEY, "instance": instance, "requests": requests,
            "paths": [path for _label, path in PATHS]}
    out = subprocess.run([sys.executable, "-c", CHILD, str(app_dir), json.dumps(spec)],
                         capture_output=True, text=True, cwd=app_dir,
                         env=h.clean_environment(), check=False)
    line = next((line for line in out.stdout.splitlines() if line.startswith("BENCH_JSON ")),
                None)
    if line is None:
        raise RuntimeError(f"the child in {app_dir} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def bench_database(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """Seed one database, then measure every checkout in-process and served."""
    checkouts = {"after": h.REPO}
    if args.compare_dir:
        checkouts["before"] = args.compare_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="koosloome-home-") as instance, \
            h.database(kind, "koosloome_home") as url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        h.seed_events(app, args.events)
        in_process: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
        for _round in range(args.rounds):
            for name, app_dir in checkouts.items():
                in_process[name].append(measure_in_process(app_dir, url, instance,
                                                           args.requests))
        served: dict[str, dict[str, list[h.Run]]] = {
            name: {label: [] for label, _path in SERVED} for name in checkouts}
        servers = {}
        for name, app_dir in checkouts.items():
            port = h.free_port()
            servers[name] = h.Gunicorn("wsgi:app", h.koosloome_env(url, instance, port),
                                       port=port, name=f"koosloome-{name}", cwd=app_dir)
        try:
            for server in servers.values():
                server.wait_ready()
            for round_number in range(args.rounds):
                for name, server in servers.items():
                    for label, path in SERVED:
                        served[name][label].append(h.wrk(
                            f"{name} {label}", "get.lua", server.url, args.clients,
                            args.seconds, path=path, run_id=f"{kind}{round_number}",
                            done_status="200"))
        finally:
            for server in servers.values():
                server.stop()
    return {"in_process": in_process, "served": served}


def in_process_rows(kind: str, results: dict[str, Any]) -> list[list[Any]]:
    """Table rows: best CPU per request of the rounds, bytes, statements, per checkout."""
    rows = []
    for label, path in PATHS:
        for name, rounds in results["in_process"].items():
            first = rounds[0][path]
            best = min(sum(r[path]["cpu"]) / len(r[path]["cpu"]) for r in rounds)
            each = " / ".join(f"{sum(r[path]['cpu']) / len(r[path]['cpu']) * 1000:.1f}"
                              for r in rounds)
            rows.append([label, name, DB_NAMES[kind], first["status"], f"{first['bytes']:,}",
                         first["statements"], f"{best * 1000:.1f}", each])
    return rows


def served_rows(kind: str, results: dict[str, Any]) -> list[list[Any]]:
    """Table rows: requests/s best of the rounds, latency, share of the same server's
    /healthz."""
    rows = []
    for name, runs in results["served"].items():
        baseline = h.best(runs["healthz"])
        for label, _path in SERVED:
            best = h.best(runs[label])
            share = "baseline" if label == "healthz" else \
                f"{best.done_per_second / baseline.done_per_second:.1%} of /healthz"
            rows.append([label, name, DB_NAMES[kind], f"{best.done_per_second:.0f}",
                         " / ".join(f"{run.done_per_second:.0f}" for run in runs[label]),
                         share, f"{best.p50_ms:.1f}", f"{best.p95_ms:.1f}",
                         best.unexpected({"200"})])
    return rows


def main() -> None:
    """Measure, print the tables, exit 1 when a path did not answer 200."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100,
                        help="in-process requests per path and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5, help="length of one wrk run")
    parser.add_argument("--clients", type=int, default=16, help="wrk connections")
    parser.add_argument("--compare-dir", type=Path,
                        help="also measure Koosloome from this checkout (an earlier commit), "
                             "interleaved with this one")
    parser.add_argument("--json", help="also write raw results here")
    args = parser.parse_args()
    info = h.machine()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {kind: bench_database(kind, args) for kind in kinds}
    info["load_average_after"] = h.machine()["load_average"]
    print("## Machine")
    h.print_machine(info)
    print(f"\n## In-process: {args.events} upcoming events, {args.requests} requests per path "
          f"and round, {args.rounds} rounds (CPU: best of the rounds, each round after)\n")
    print(h.markdown_table(
        ["path", "code", "DB", "status", "bytes", "SQL statements", "CPU ms/request",
         "each round"],
        [row for kind in kinds for row in in_process_rows(kind, results[kind])]))
    print(f"\n## Served: gunicorn 2 workers x 8 threads, wrk {args.clients} connections, "
          f"{args.seconds:g} s x {args.rounds} rounds\n")
    print(h.markdown_table(
        ["path", "code", "DB", "req/s (best)", "each round", "share", "p50 ms", "p95 ms",
         "non-200"],
        [row for kind in kinds for row in served_rows(kind, results[kind])]))
    problems = [f"{kind} {name} {path}: {rounds[0][path]['status']}"
                for kind in kinds for name, rounds in results[kind]["in_process"].items()
                for _label, path in PATHS if rounds[0][path]["status"] != 200]
    problems += [f"{kind} {name} {label}: {best.counts}"
                 for kind in kinds for name, runs in results[kind]["served"].items()
                 for label, run_list in runs.items()
                 if (best := h.best(run_list)).unexpected({"200"}) or best.server_errors]
    print("\n## Problems")
    print("\n".join(f"- {p}" for p in problems) if problems else "- none")
    h.write_json(args.json, {"machine": info, "results": {
        kind: {"in_process": results[kind]["in_process"],
               "served": {name: {label: [run.__dict__ for run in run_list]
                                 for label, run_list in runs.items()}
                          for name, runs in results[kind]["served"].items()}}
        for kind in kinds}})
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
