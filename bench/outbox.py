"""Outbox delivery (issue 9, 1c): messages/s to a local aiosmtpd, against plain smtplib.

    .venv/bin/python bench/outbox.py [--db sqlite|postgres|both] [--messages 500]
        [--rounds 2] [--json results.json]

``--messages`` people register through ``registrations.services.register`` (the real
confirmation: text + HTML, the invitation .ics, the check-in QR code), which queues one
message each. An aiosmtpd server runs in its own process (bench/smtp_sink.py) and logs the
Message-ID of every message it receives. Timed, interleaved, best of ``--rounds``:

- ``smtplib, one connection``: the baseline — the same messages, already built to bytes,
  sent with ``smtplib.SMTP.sendmail`` over one connection;
- ``smtplib, connection per message``: the same, connecting and QUITting for each message;
- ``build only``: building the MIME messages from the outbox rows (``build_message`` +
  ``message_bytes``, with the stored check-in QR codes read beforehand, as the worker's
  claim reads them), no database, no network — to show where the outbox's time goes;
- ``render``: ``koosloome.messaging.delivery.render_pending()`` until nothing is left — the worker's
  first step, filling in the subject, bodies and calendar of the messages registrations
  queued unrendered, and making each registration's check-in QR code (once, not per round);
- ``outbox``: ``koosloome.messaging.delivery.send_due()`` — the function behind
  ``flask outbox send`` and ``outbox work`` — in this process: claim batches, build, send
  over one SMTP connection per run, record every attempt, commit per message. Before each
  outbox round the rows are made due again (status queued, attempts 0); they stay rendered,
  so the rounds time what the worker does after rendering.

Checks (exit 1): every round delivers every message exactly once (by Message-ID) and the
outbox marks every row sent with one successful attempt per round; every confirmation
carries its calendar.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h
from smtp_sink import SmtpSink, exactly_once

SENDER = "Koosloome <koosloome@koosloome.test>"
BASELINE = "smtplib, one connection"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2, help="repeat every run; best-of shown")
    parser.add_argument("--json", help="also write raw results here")
    return parser.parse_args()


def register_people(app: Any, event_id: int, count: int) -> None:
    """``count`` registrations through the service (each queues its confirmation)."""
    from koosloome.db import write_intent
    from koosloome.events.models import Event
    from koosloome.extensions import db
    from koosloome.registrations.services import RegistrationData, register

    with app.test_request_context():
        for start in range(0, count, 50):
            with write_intent():
                event = db.session.get(Event, event_id)
                for number in range(start, min(start + 50, count)):
                    register(event, RegistrationData(
                        name=f"Osaleja Õunapuu {number}", email=f"osaleja{number}@example.ee",
                        language="et" if number % 3 else "en", consent_privacy=True))
                db.session.commit()
        db.session.remove()


def render_queued(app: Any) -> float:
    """The worker's first step: render every message the registrations queued unrendered
    (``messaging.delivery.render_pending``); seconds taken."""
    from koosloome.extensions import db
    from koosloome.messaging.delivery import render_pending

    with app.test_request_context():
        started = time.perf_counter()
        while render_pending():
            pass
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds


def built_messages(app: Any) -> tuple[list[tuple[str, str, bytes]], float]:
    """Every queued message as bytes (recipient, Message-ID, data), and the seconds it took."""
    from sqlalchemy import select

    from koosloome.extensions import db
    from koosloome.messaging.check_in_codes import stored_codes
    from koosloome.messaging.mime import build_message, message_bytes
    from koosloome.messaging.models import OutgoingEmail

    with app.app_context():
        rows = list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))
        # The check-in QR codes, as the worker's claim reads them with the rows.
        codes = stored_codes(row.registration_id for row in rows if row.registration_id)
        started = time.perf_counter()
        built = [(row.to_address, row.message_id,
                  message_bytes(build_message(row, SENDER, codes.get(row.registration_id))))
                 for row in rows]
        seconds = time.perf_counter() - started
        db.session.remove()
    return built, seconds


def smtplib_send(port: int, messages: list[tuple[str, str, bytes]], *, reconnect: bool) -> float:
    """Send already built messages with plain smtplib; seconds taken."""
    sender = "koosloome@koosloome.test"
    started = time.perf_counter()
    if reconnect:
        for recipient, _message_id, data in messages:
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
                smtp.sendmail(sender, [recipient], data)
    else:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for recipient, _message_id, data in messages:
                smtp.sendmail(sender, [recipient], data)
    return time.perf_counter() - started


def requeue(app: Any) -> None:
    """Make every row due again, as freshly queued."""
    from sqlalchemy import delete, update

    from koosloome.db import utcnow, write_intent
    from koosloome.extensions import db
    from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail

    with app.app_context(), write_intent():
        db.session.execute(delete(DeliveryAttempt))
        db.session.execute(update(OutgoingEmail).values(
            status=EmailStatus.QUEUED, attempts=0, next_attempt_at=utcnow(), sent_at=None))
        db.session.commit()
        db.session.remove()


def outbox_send(app: Any) -> tuple[float, Any]:
    """The real delivery function; seconds taken and its report."""
    from koosloome.extensions import db
    from koosloome.messaging.delivery import send_due

    with app.app_context():
        started = time.perf_counter()
        report = send_due()
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds, report


def outbox_state(app: Any) -> tuple[dict[str, int], int]:
    """Rows per status, and successful attempts recorded."""
    from sqlalchemy import func, select

    from koosloome.extensions import db
    from koosloome.messaging.models import DeliveryAttempt, OutgoingEmail

    with app.app_context():
        statuses = {str(status): n for status, n in db.session.execute(
            select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status))}
        ok = db.session.scalar(select(func.count()).select_from(DeliveryAttempt)
                               .where(DeliveryAttempt.ok.is_(True))) or 0
        db.session.remove()
    return statuses, ok


def bench_database(kind: str, args: argparse.Namespace, folder: Path) -> tuple[
        list[list[object]], list[str], dict[str, Any]]:
    """Queue, then time every path on one database."""
    problems: list[str] = []
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="koosloome-outbox-") as instance, \
            h.database(kind, "koosloome_outbox") as url:
        sink_log = folder / f"sink-{kind}.log"
        with SmtpSink(sink_log) as sink:
            app = h.koosloome_app(url, instance, MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port,
                                  MAIL_DEFAULT_SENDER=SENDER,
                                  BASE_URL="https://koosloome.example.ee")
            h.migrate(app)
            event_id = h.make_event(app, "postikontor", 1_000_000)
            register_people(app, event_id, args.messages)
            # Registrations queue unrendered messages; the worker renders each once.
            times["render (worker, once per message)"] = [render_queued(app)]
            messages, _ = built_messages(app)
            expected = {message_id for _to, message_id, _data in messages}
            if len(messages) != args.messages or len(expected) != args.messages:
                problems.append(f"FAILED {kind}: {len(messages)} messages queued "
                                f"({len(expected)} Message-IDs) for {args.messages} people")
            smtplib_send(sink.port, messages[:20], reconnect=False)  # warm up
            outbox_send(app)  # warm up: templates, QR code, connection pool; sends them all
            requeue(app)

            def checked(label: str, run: Any) -> None:
                """Run one path; the sink must get every message exactly once."""
                before = len(sink.deliveries())
                seconds = run()
                received = sink.wait_for(before + len(messages))[before:]
                times.setdefault(label, []).append(seconds)
                for problem in exactly_once(expected, received):
                    problems.append(f"FAILED {kind} {label}: {problem}")
                if not all(d.has_calendar for d in received):
                    problems.append(f"FAILED {kind} {label}: a confirmation without calendar")

            def outbox_round() -> float:
                requeue(app)
                seconds, report = outbox_send(app)
                statuses, ok = outbox_state(app)
                if report.sent != len(messages) or statuses != {"sent": len(messages)} \
                        or ok != len(messages):
                    problems.append(f"FAILED {kind} outbox: report {report}, rows {statuses}, "
                                    f"{ok} successful attempts recorded")
                return seconds

            for _round in range(args.rounds):
                checked(BASELINE,
                        lambda: smtplib_send(sink.port, messages, reconnect=False))
                checked("smtplib, connection per message",
                        lambda: smtplib_send(sink.port, messages, reconnect=True))
                times.setdefault("build only", []).append(built_messages(app)[1])
                checked("outbox (send_due)", outbox_round)
            size = sum(len(data) for _to, _id, data in messages) / len(messages)
    base = min(times[BASELINE])
    rows = []
    for label, seconds in times.items():
        best_time = min(seconds)
        rows.append([
            label, "SQLite" if kind == "sqlite" else "PostgreSQL",
            f"{len(messages) / best_time:.0f}",
            " / ".join(f"{len(messages) / s:.0f}" for s in seconds),
            f"{best_time * 1000 / len(messages):.2f}",
            "baseline" if label == BASELINE else f"{base / best_time:.0%}",
        ])
    return rows, problems, {"times": times, "messages": len(messages), "mean_bytes": size}


HEADER = ["path", "DB", "messages/s (best)", "messages/s (each round)", "ms per message",
          "ratio to smtplib, one connection"]


def main() -> None:
    """Run, print the machine, the table and any failed check."""
    args = parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    info = h.machine()
    print("## Machine")
    h.print_machine(info)
    rows: list[list[object]] = []
    problems: list[str] = []
    raw: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="koosloome-sink-") as folder:
        for kind in kinds:
            found_rows, found, raw[kind] = bench_database(kind, args, Path(folder))
            rows += found_rows
            problems += found
    mean = next(iter(raw.values()))["mean_bytes"]
    print(f"\n## Outbox: {args.messages} confirmation messages (text + HTML + .ics + QR code, "
          f"{mean / 1024:.0f} KB each) to aiosmtpd on 127.0.0.1, best of {args.rounds}\n")
    print(h.markdown_table(HEADER, rows))
    print("\n## Checks")
    print("\n".join(f"- {p}" for p in problems) if problems else
          "- every message delivered exactly once in every round; every row sent")
    h.write_json(args.json, {"machine": info, "header": HEADER, "rows": rows,
                             "problems": problems, "raw": raw})
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
