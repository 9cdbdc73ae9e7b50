"""``flask --app koosloome reminders send``: queue every scheduled message that is due, from
cron: participants' reminders and thank-yous, and staff's digests of open arrangements."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from koosloome.arrangements.digest import queue_digests
from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging.scheduled import queue_due_reminders, queue_thank_yous

reminders_cli = AppGroup("reminders", help="Scheduled messages.")


@reminders_cli.command("send")
def reminders_send_command() -> None:
    """Queue the reminders, thank-yous and arrangement digests that are due (each only once)."""
    now = utcnow()
    with write_intent():
        reminders = queue_due_reminders(now)
        thanks = queue_thank_yous(now)
        digests = queue_digests(now)
        db.session.commit()
    click.echo(f"Queued {reminders} reminder(s) and {thanks} thank-you message(s); "
               f"{digests} digest(s) of open arrangements to staff.")


def init_reminder_commands(app: Flask) -> None:
    """Register the ``reminders`` command group."""
    app.cli.add_command(reminders_cli)
