"""``flask --app koosloome reminders send``: the scheduled work, from cron: offers past their
deadline lapse (their seats offered on), participants' reminders and thank-yous, and staff's
digests of open arrangements are queued."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from koosloome.arrangements.digest import queue_digests
from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging.scheduled import queue_due_reminders, queue_thank_yous
from koosloome.seating.offers import events_with_expired_offers, lapse_event

reminders_cli = AppGroup("reminders", help="Scheduled messages.")


@reminders_cli.command("send")
def reminders_send_command() -> None:
    """Lapse expired offers; queue the reminders, thank-yous and arrangement digests that are
    due (each only once)."""
    now = utcnow()
    lapsed = 0
    for event_id in events_with_expired_offers(now):
        db.session.commit()  # each event in its own write transaction, locked while it lapses
        with write_intent():
            lapsed += lapse_event(event_id)
            db.session.commit()
    with write_intent():
        reminders = queue_due_reminders(now)
        thanks = queue_thank_yous(now)
        digests = queue_digests(now)
        db.session.commit()
    click.echo(f"{lapsed} offer(s) lapsed. Queued {reminders} reminder(s) and {thanks} "
               f"thank-you message(s); {digests} digest(s) of open arrangements to staff.")


def init_reminder_commands(app: Flask) -> None:
    """Register the ``reminders`` command group."""
    app.cli.add_command(reminders_cli)
