"""Size gunicorn from measurement: registration throughput for several processes × threads.

Runs ``registration_throughput.py`` once per setting (one round, open event, 16 and 64
clients) and prints one table: registrations/s and p95 of the API and the form, and the bare
insert's rate under the same setting. The chosen setting goes into
docs/deploy/gunicorn.conf.py.

    python bench/gunicorn_sweep.py [--db sqlite|postgres] [--settings 2x8,4x4,4x2,8x2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import _harness as h


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--settings", default="2x8,2x4,4x4,4x2,6x2",
                        help="comma-separated WORKERSxTHREADS")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", default="16,64")
    return parser.parse_args()


def run_setting(args: argparse.Namespace, workers: int, threads: int) -> list[list[object]]:
    """One registration_throughput run; its 'open event' rows."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, str(h.BENCH / "registration_throughput.py"), "--db", args.db,
             "--clients", args.clients, "--rounds", "1", "--seconds", str(args.seconds),
             "--workers", str(workers), "--threads", str(threads), "--json", out.name],
            check=False, stdout=subprocess.DEVNULL)
        result = json.loads(Path(out.name).read_text() or "{}")
    return [row for row in result.get("rows", []) if row[2] == "open"]


def main() -> None:
    """Run every setting, print the table."""
    args = parse_args()
    h.print_machine(h.machine())
    header = ["workers × threads", "clients", "baseline/s", "API/s", "API p95 ms", "form/s",
              "form p95 ms", "5xx"]
    table = []
    for setting in args.settings.split(","):
        workers, threads = (int(part) for part in setting.split("x"))
        rows = run_setting(args, workers, threads)
        for clients in sorted({row[3] for row in rows}):
            by_path = {row[0]: row for row in rows if row[3] == clients}
            if set(by_path) != {"baseline", "api", "form"}:
                continue
            table.append([f"{workers} × {threads}", clients, by_path["baseline"][4],
                          by_path["api"][4], by_path["api"][9], by_path["form"][4],
                          by_path["form"][9],
                          sum(int(by_path[p][11]) for p in ("api", "form"))])
        print(f"done: {setting}", file=sys.stderr)
    print(f"\n## gunicorn sweep ({args.db}, {args.seconds:g} s per run, one round)\n")
    print(h.markdown_table(header, table))


if __name__ == "__main__":
    main()
