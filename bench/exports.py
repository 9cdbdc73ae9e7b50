"""Feeds and files (issue 9, 1d): time and peak memory of the big downloads.

    .venv/bin/python bench/exports.py [--db sqlite|postgres|both] [--events 1000]
        [--attendees 200] [--registrations 2000] [--repeat 3] [--only feed] [--app-dir DIR]
        [--json results.json]

A database is seeded with ``--events`` published upcoming events, one of them with
``--attendees`` confirmed people (the attendance sheet) and another with ``--registrations``
registrations (the export), with realistic fields and a few access needs. Each download is
then measured through the Flask test client, as a signed-in organiser, in a **fresh child
process** so that one measurement's memory does not hide the next one's:

1. a warm-up on a small case of the same code (one event's .ics, the sheet and export of an
   event with one person), so imports, fonts and templates are loaded;
2. the download once: growth of the process's peak RSS (``ru_maxrss``);
3. the download under ``tracemalloc``: peak of Python allocations;
4. the download ``--repeat`` times: wall time, the best.

The calendar feed is built once per change and then kept (``koosloome.events.feed``), so it
is measured three ways: **built** (the first request after a change: before each run an
event's ``updated_at`` is touched, outside the timing, which moves the calendar's revision),
**kept** (a repeated request, after one build) and **304** (a request with the ETag of the
last answer; a version without ETags answers 200 and is shown so). ``--only feed`` measures
just the feed and its baselines; ``--app-dir`` measures another checkout (``git archive
<commit> | tar -x -C DIR`` plus the compiled ``.mo`` files), for before and after a change.

Baselines, measured the same way in each child: the /help page (the time of a light page;
not the home page, which lists every upcoming event — all 1 000 here),
and "json.dumps of the same rows": the same rows selected from the database as dicts and
serialised with ``json.dumps`` — the least any export of that data costs, in time and
memory. Checks (exit 1): every answer is 200; the feed holds every event, the PDF has a page
for every 30 or so people and names the first and last, the workbook has every row.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h

PASSWORD = "correct horse battery staple"
ORGANISER = "korraldaja@koosloome.test"
MUNICIPALITIES = ["Võru vald", "Antsla vald", "Rõuge vald", "Setomaa vald", "Põlva vald"]
NEEDS = ["wheelchair", "hearing_loop", "sign_language", "easy_read", "assistant"]


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--attendees", type=int, default=200)
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is shown")
    parser.add_argument("--only", choices=["feed"], help="measure the calendar feed only")
    parser.add_argument("--app-dir", type=Path, default=h.REPO,
                        help="measure Koosloome from another checkout")
    parser.add_argument("--json", help="also write raw results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- Seeding ----------------------------------------------------------------------------------


def seed(app: Any, events: int, attendees: int, registrations: int) -> dict[str, int]:
    """Events, the two big events' registrations, an organiser; returns the ids needed."""
    from sqlalchemy import insert, select

    from koosloome.accounts.models import Organisation, Role
    from koosloome.accounts.services import create_user
    from koosloome.db import utcnow, write_intent
    from koosloome.events.models import Event, EventKind, EventStatus
    from koosloome.extensions import db
    from koosloome.registrations.models import (
        Registration,
        RegistrationNeed,
        RegistrationStatus,
    )
    from koosloome.tokens import hash_token
    from koosloome.venues.models import Venue

    with app.app_context(), write_intent():
        create_user(ORGANISER, "Kati Korraldaja", Role.ORGANISER, "vpk", PASSWORD)
        vpk = db.session.scalars(select(Organisation).where(Organisation.slug == "vpk")).one()
        first = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        objects = []
        kannel = Venue(name_et="Võru Kultuurimaja Kannel", address="Liiva 13, Võru")
        for number in range(events):
            starts = first + timedelta(hours=7 * number)
            objects.append(Event(
                slug=f"sundmus-{number}", kind=EventKind.SEMINAR, status=EventStatus.PUBLISHED,
                title_et=f"Külade arenguseminar nr {number}: kogukonnamaja ja noorte ideed",
                title_en=f"Village development seminar no {number}",
                summary_et="Arutame, kuidas kogukonnamaja aasta läbi kasutada. " * 3,
                summary_en="How to use the community house all year round. " * 3,
                starts_at=starts, ends_at=starts + timedelta(hours=4), capacity=100_000,
                venue=kannel, organisation=vpk))
        db.session.add_all(objects)
        db.session.flush()
        small, sheet, export = objects[0].id, objects[1].id, objects[2].id
        now = utcnow()
        rows = []
        for event_id, count in ((small, 1), (sheet, attendees), (export, registrations)):
            for number in range(count):
                rows.append({
                    "event_id": event_id, "status": RegistrationStatus.CONFIRMED
                    if number % 10 else RegistrationStatus.WAITLISTED if event_id == export
                    else RegistrationStatus.CONFIRMED,
                    "name": f"Mari-Liis Tamm-Kask {event_id}-{number:05d}",
                    "email": f"osaleja-{event_id}-{number}@example.ee",
                    "phone": f"+372 5{number:07d}",
                    "organisation_name": "MTÜ Võrumaa Külade Liit" if number % 2 else "",
                    "sector": "nonprofit", "county": "voru",
                    "municipality": MUNICIPALITIES[number % len(MUNICIPALITIES)],
                    "language": "et" if number % 4 else "en",
                    "allergies": "pähklid" if number % 7 == 0 else "",
                    "consent_privacy_at": now, "consent_health_at": now,
                    "confirmed_at": now, "created_at": now, "updated_at": now,
                    "manage_nonce": secrets.token_hex(16),
                    "manage_token_hash": hash_token(secrets.token_urlsafe(24)),
                })
        db.session.execute(insert(Registration), rows)
        ids = list(db.session.scalars(select(Registration.id)
                                      .where(Registration.event_id == export)))
        db.session.execute(insert(RegistrationNeed), [
            {"registration_id": rid, "code": NEEDS[n % len(NEEDS)]}
            for n, rid in enumerate(ids) if n % 6 == 0])
        db.session.commit()
        db.session.remove()
    return {"small": small, "sheet": sheet, "export": export}


# --- Measuring (in a child process) -----------------------------------------------------------


def _status_mb(key: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset the process's RSS high-water mark (Linux: write 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(action: Callable[[], Any], warm: Callable[[], Any], repeat: int,
            prepare: Callable[[], Any] = lambda: None) -> dict[str, Any]:
    """Peak RSS growth of the first run, tracemalloc peak, best wall time (``prepare`` runs
    before each, untimed and untraced)."""
    warm()
    prepare()
    # Without a reset, start-up's own peak (imports, app factory) can hide the download's.
    before = _status_mb("VmRSS") if _reset_peak() else _status_mb("VmHWM")
    result = action()
    rss_growth = _status_mb("VmHWM") - before
    prepare()
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = []
    for _ in range(repeat):
        prepare()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return {"seconds": min(times), "all_seconds": times, "tracemalloc_peak_mb": peak / 2**20,
            "rss_growth_mb": rss_growth, "result": result}


def child(args: argparse.Namespace) -> None:
    """Measure one download (``--child NAME``) and its json.dumps baseline; print JSON."""
    from sqlalchemy import select, text

    from koosloome.db import utcnow
    from koosloome.events.models import Event
    from koosloome.extensions import db
    from koosloome.registrations.models import Registration

    ids = json.loads(args.ids)
    app = h.koosloome_app(args.url, args.instance, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/login", data={"email": ORGANISER, "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    def get(path: str, **headers: str) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            answer = client.get(path, headers=headers)
            return {"status": answer.status_code, "bytes": len(answer.data), "body": answer.data,
                    "etag": answer.headers.get("ETag")}
        return run

    def touch_an_event() -> None:
        """A change the feed must notice (its revision moves), as an organiser's edit."""
        with app.app_context():
            db.session.execute(text("UPDATE event SET updated_at = :now WHERE id = :id"),
                               {"now": utcnow(), "id": ids["small"]})
            db.session.commit()
            db.session.remove()

    name = args.child
    feed = get("/calendar.ics")
    # The feed's ETag now (a version without ETags gives none: its answer stays a 200).
    etag = (feed()["etag"] or "") if name == "calendar feed, 304" else ""

    def dump_rows(model: Any, condition: Any) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            with app.app_context():
                rows = [dict(row._mapping) for row in db.session.execute(
                    select(*model.__table__.columns).where(condition))]
                text = json.dumps(rows, default=str)
                db.session.remove()
            return {"status": 200, "bytes": len(text.encode()), "rows": len(rows)}
        return run

    plan = {
        "light page": (get("/help"), get("/help")),
        "calendar feed": (feed, get("/events/sundmus-0.ics")),
        "calendar feed, kept": (feed, feed),
        "calendar feed, 304": (get("/calendar.ics", **{"If-None-Match": etag}), feed),
        "calendar feed rows": (dump_rows(Event, Event.id > 0),
                               dump_rows(Event, Event.id == ids["small"])),
        "attendance PDF": (get(f"/admin/events/{ids['sheet']}/attendance.pdf"),
                           get(f"/admin/events/{ids['small']}/attendance.pdf")),
        "attendance PDF rows": (dump_rows(Registration, Registration.event_id == ids["sheet"]),
                                dump_rows(Registration,
                                          Registration.event_id == ids["small"])),
        "XLSX export": (get(f"/admin/events/{ids['export']}/registrations.xlsx"),
                        get(f"/admin/events/{ids['small']}/registrations.xlsx")),
        "XLSX export rows": (dump_rows(Registration, Registration.event_id == ids["export"]),
                             dump_rows(Registration, Registration.event_id == ids["small"])),
    }
    action, warm = plan[name]
    result = measure(action, warm, args.repeat,
                     touch_an_event if name == "calendar feed" else lambda: None)
    result["result"].pop("etag", None)
    body = result["result"].pop("body", None)
    result["check"] = check_output(name, body, result["result"], ids) if body is not None else []
    print("BENCH_JSON " + json.dumps(result))


def check_output(name: str, body: bytes, result: dict[str, Any], ids: dict[str, int]) -> list[str]:
    """Problems with what a download contained."""
    import io

    problems = []
    if name == "calendar feed, 304":
        return [] if result["status"] in (200, 304) else [f"{name}: status {result['status']}"]
    if result["status"] != 200:
        return [f"{name}: status {result['status']}"]
    if name.startswith("calendar feed"):
        found = body.count(b"BEGIN:VEVENT")
        if found != ids["events"]:
            problems.append(f"calendar feed: {found} events of {ids['events']}")
    elif name == "attendance PDF":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        text = "".join(page.extract_text() for page in reader.pages)
        first = f"{ids['sheet']}-00000"
        last = f"{ids['sheet']}-{ids['attendees'] - 1:05d}"
        if first not in text or last not in text:
            problems.append(f"attendance PDF: first or last person missing "
                            f"({len(reader.pages)} pages)")
        result["pages"] = len(reader.pages)
    elif name == "XLSX export":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        rows = sum(1 for _ in sheet.iter_rows()) - 1
        if rows != ids["registrations"]:
            problems.append(f"XLSX export: {rows} rows of {ids['registrations']}")
    return problems


def run_child(name: str, url: str, instance: str, ids: dict[str, int],
              args: argparse.Namespace) -> dict[str, Any]:
    """One measurement in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, "--url", url, "--instance", instance,
         "--ids", json.dumps(ids), "--repeat", str(args.repeat), "--app-dir", str(args.app_dir)],
        capture_output=True, text=True, cwd=h.REPO, env=h.clean_environment(), check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError(f"{name}: no result\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def times(ratio: float) -> str:
    """A ratio as ``0.05×`` (two decimals below 1), ``1.2×`` (one below 10) or ``576×``."""
    if ratio < 1:
        return f"{ratio:.2f}×"
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def _mb(value: float) -> str:
    """Megabytes: one decimal, two below 1 MB (a kept feed allocates a few KB)."""
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2f}"


def _ms(seconds: float) -> str:
    """Milliseconds: whole ones from 100, one decimal below."""
    return f"{seconds * 1000:.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


ITEMS = [("calendar feed", "events"), ("attendance PDF", "attendees"),
         ("XLSX export", "registrations")]
#: The feed's other measurements, against the same baselines; the label says which.
FEED_WAYS = {"calendar feed": "calendar feed, built", "calendar feed, kept": "calendar feed, kept",
             "calendar feed, 304": "calendar feed, 304"}


def bench_database(kind: str, args: argparse.Namespace) -> tuple[list[list[object]], list[str],
                                                                 dict[str, Any]]:
    """Seed one database and measure every download and its baselines."""
    problems: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="koosloome-exports-") as instance, \
            h.database(kind, "koosloome_exports") as url:
        app = h.koosloome_app(url, instance)
        h.migrate(app)
        ids = seed(app, args.events, args.attendees, args.registrations)
        ids.update(events=args.events, attendees=args.attendees,
                   registrations=args.registrations)
        items = ITEMS[:1] if args.only == "feed" else ITEMS
        names = ["light page", *FEED_WAYS] + [n for item, _ in items
                                              for n in (item, f"{item} rows")]
        for name in dict.fromkeys(names):
            results[name] = run_child(name, url, instance, ids, args)
            problems += [f"FAILED {kind}: {p}" for p in results[name]["check"]]
    home = results["light page"]
    db_name = "SQLite" if kind == "sqlite" else "PostgreSQL"
    rows: list[list[object]] = [[
        "/help page (baseline)", db_name, "—", f"{home['result']['bytes']:,}",
        f"{home['seconds'] * 1000:.1f}", "1×", "", _mb(home["tracemalloc_peak_mb"]), "",
        _mb(home["rss_growth_mb"])]]
    for item, count_key in items:
        plain = results[f"{item} rows"]
        for name in FEED_WAYS if item == "calendar feed" else [item]:
            full = results[name]
            label = FEED_WAYS.get(name, name)
            if name == "calendar feed, 304" and full["result"]["status"] != 304:
                label += " (no ETag: 200)"
            rows.append([
                label, db_name, f"{ids[count_key]:,}", f"{full['result']['bytes']:,}",
                _ms(full["seconds"]), times(full["seconds"] / home["seconds"]),
                times(full["seconds"] / plain["seconds"]),
                _mb(full["tracemalloc_peak_mb"]),
                times(full["tracemalloc_peak_mb"] / plain["tracemalloc_peak_mb"]),
                _mb(full["rss_growth_mb"])])
        rows.append([
            "json.dumps of the same rows", db_name, f"{plain['result']['rows']:,}",
            f"{plain['result']['bytes']:,}", f"{plain['seconds'] * 1000:.1f}",
            times(plain["seconds"] / home["seconds"]), "1×",
            _mb(plain["tracemalloc_peak_mb"]), "1×", _mb(plain["rss_growth_mb"])])
    return rows, problems, results


HEADER = ["download", "DB", "rows", "bytes", "time ms (best)", "× /help page",
          "× json.dumps", "tracemalloc peak MB", "× json.dumps", "peak RSS growth MB"]


def main() -> None:
    """Seed, measure in child processes, print the machine and the table."""
    args = parse_args()
    h.use_app_dir(args.app_dir)
    if args.child:
        child(args)
        return
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    info = h.machine()
    print("## Machine")
    h.print_machine(info)
    rows: list[list[object]] = []
    problems: list[str] = []
    raw: dict[str, Any] = {}
    for kind in kinds:
        found_rows, found, raw[kind] = bench_database(kind, args)
        rows += found_rows
        problems += found
    what = f"calendar feed of {args.events} events"
    if args.only != "feed":
        what += (f", attendance PDF of {args.attendees} people, XLSX of {args.registrations} "
                 f"registrations")
    print(f"\n## Feeds and files: {what} (test client, fresh process each, best of "
          f"{args.repeat})\n")
    print(h.markdown_table(HEADER, rows))
    print("\n'json.dumps of the same rows': the same rows selected as dicts and serialised; "
          "'peak RSS growth': the high-water mark (VmHWM, reset first) during the first full "
          "run minus the RSS before it (after a warm-up on a small case).")
    print("\n## Checks")
    print("\n".join(f"- {p}" for p in problems) if problems else "- all contents complete")
    h.write_json(args.json, {"machine": info, "header": HEADER, "rows": rows,
                             "problems": problems, "raw": raw})
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
