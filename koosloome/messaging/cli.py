"""``flask --app koosloome outbox send|work`` and ``sms send``: delivering the outbox."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from koosloome.extensions import db
from koosloome.messaging.delivery import (
    BATCH_SIZE,
    Courier,
    DeliveryReport,
    claim_lease,
    send_due,
)
from koosloome.messaging.sms import SmsReport, configured_gateway, send_due_sms

log = logging.getLogger(__name__)

#: After a database error the worker waits 1, 2, 4 … seconds, at most this long, and goes on.
LONGEST_PAUSE = 30.0

outbox_cli = AppGroup("outbox", help="Deliver queued e-mail.")
sms_cli = AppGroup("sms", help="Send queued SMS (when SMS_PROVIDER is set).")


def _sms_summary(report: SmsReport) -> str:
    return f"SMS: {report.sent} sent, {report.deferred} to try later, {report.failed} failed."


@sms_cli.command("send")
def sms_send_command() -> None:
    """Send every SMS that is due, then exit."""
    gateway = configured_gateway()
    if gateway is None:
        raise click.ClickException("SMS is off: set KOOSLOOME_SMS_PROVIDER to send SMS.")
    try:
        report = send_due_sms(gateway)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"The database did not answer: {exc}") from exc
    finally:
        gateway.close()
    click.echo(_sms_summary(report))


def _summary(report: DeliveryReport) -> str:
    return (
        f"{report.sent} sent, {report.retrying} to retry later, {report.failed} failed."
    )


@outbox_cli.command("send")
def outbox_send_command() -> None:
    """Deliver every message that is due, then exit (for cron or a one-off run)."""
    try:
        report = send_due()
    except SQLAlchemyError as exc:
        raise click.ClickException(f"The database did not answer: {exc}") from exc
    click.echo(_summary(report))


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT, so the worker finishes its current message and
    exits instead of dying half-way."""
    stop = threading.Event()

    def _handler(signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@outbox_cli.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between checks.")
@click.option(
    "--batch-size", default=BATCH_SIZE, show_default=True, help="Messages claimed at a time."
)
def outbox_work_command(interval: float, batch_size: int) -> None:
    """Keep delivering: check the outbox every few seconds until SIGTERM or Ctrl-C. A database
    that stops answering pauses the worker, growing to 30 s; it never ends it."""
    courier = Courier(batch_size=batch_size, lease=claim_lease())
    sms_gateway = configured_gateway()
    pause = 0.0
    with _stop_on_signals() as stop:
        click.echo(f"Delivering e-mail every {interval:g} s; stop with Ctrl-C.")
        while not stop.is_set():
            try:
                report = courier.send_due(should_stop=stop.is_set)
                sms_report = send_due_sms(sms_gateway) if sms_gateway else SmsReport()
            except SQLAlchemyError as exc:
                pause = min(max(pause * 2, 1.0), LONGEST_PAUSE)
                log.warning("database error, trying again in %g s: %s", pause, exc)
                click.echo(f"The database did not answer; trying again in {pause:g} s.")
                _forget_the_connection()
                stop.wait(pause)
                continue
            pause = 0.0
            if report.total:
                click.echo(_summary(report))
            if sms_report.sent or sms_report.failed or sms_report.deferred:
                click.echo(_sms_summary(sms_report))
            db.session.remove()  # no connection or snapshot held while idle
            stop.wait(interval)
    if sms_gateway is not None:
        sms_gateway.close()
    click.echo("Stopped.")


def _forget_the_connection() -> None:
    """Drop the session and its connection: a broken one must not be handed out again."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
    db.session.remove()


def init_mail_commands(app: Flask) -> None:
    """Register the ``outbox`` command group."""
    app.cli.add_command(outbox_cli)
    app.cli.add_command(sms_cli)
