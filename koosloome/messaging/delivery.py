"""Delivering the outbox: render what was queued unrendered, claim due messages, hand each to
the transport and record the attempt; retry with back-off, fail for good on a 5xx refusal.

States (pretix's model): queued → sending → sent, or retry (awaiting another attempt) / failed.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, select, update

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging.content import render_pending_email
from koosloome.messaging.mime import build_message, message_bytes, sender_address
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.transport import PermanentFailure, Transport, transport_for

log = logging.getLogger(__name__)


# --- Rendering --------------------------------------------------------------------------------

#: Exceptions that mean "this row can never become a message": it fails for good, recorded.
UNBUILDABLE = (ValueError, TypeError, LookupError)


def render_pending(limit: int = 200) -> int:
    """Render up to ``limit`` pending messages, oldest first, and store them; returns how many.

    The rendering runs outside any write transaction (on SQLite it would stop every
    registration meanwhile); the short write after it stores only rows still pending, so two
    workers rendering the same message store it once. A message that cannot be rendered stays
    pending and fails, recorded, when it is claimed."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("render_pending commits; commit or roll back first")
    session.rollback()
    query = (
        select(OutgoingEmail)
        .where(OutgoingEmail.pending.is_not(None), OutgoingEmail.status == EmailStatus.QUEUED)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    )
    done: list[tuple[int, dict[str, Any]]] = []
    for email in session.scalars(query).all():
        try:
            done.append((email.id, render_pending_email(email)))
        except UNBUILDABLE as exc:
            log.warning("message %s cannot be rendered: %s", email.id, exc)
    session.rollback()
    if not done:
        return 0
    stored = 0
    with write_intent():
        for email_id, values in done:
            result = session.execute(
                update(OutgoingEmail)
                .where(OutgoingEmail.id == email_id, OutgoingEmail.pending.is_not(None))
                .values(**values)
            )
            stored += result.rowcount
        session.commit()
    return stored


# --- Delivery -------------------------------------------------------------------------------

#: A claimed message whose worker has not reported back within this time is presumed
#: abandoned (the worker died) and becomes due again. Far longer than an SMTP timeout.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
BATCH_SIZE = 20
ABANDONED = "The worker stopped during delivery; whether the server got the message is unknown."


def retry_delay(attempts: int) -> timedelta:
    """Back-off after ``attempts`` failed tries: 1, 2, 4 … minutes, at most six hours
    (twelve attempts span about a day)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass
class DeliveryReport:
    """What one ``send_due`` run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """Messages attempted."""
        return self.sent + self.retrying + self.failed


@dataclass(frozen=True)
class _Claimed:
    email_id: int
    data: bytes | None
    recipient: str
    message_id: str
    build_error: str = ""


def _due(now: datetime) -> Any:
    # SENDING rows are due again only when their claim has expired (see CLAIM_LEASE).
    return and_(
        OutgoingEmail.status.in_([EmailStatus.QUEUED, EmailStatus.RETRY, EmailStatus.SENDING]),
        OutgoingEmail.next_attempt_at <= now,
    )


def _claim(now: datetime, limit: int, sender: str) -> list[_Claimed]:
    """Mark up to ``limit`` due messages as ours and commit, so no other worker takes them.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets workers claim side by side. SQLite: the claim
    runs in a write transaction (BEGIN IMMEDIATE), so claims simply take turns."""
    with write_intent():
        query = (
            select(OutgoingEmail)
            .where(_due(now))
            .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for email in db.session.scalars(query):
            if email.status is EmailStatus.SENDING:
                db.session.add(DeliveryAttempt(email_id=email.id, at=now, error=ABANDONED))
            email.status = EmailStatus.SENDING
            email.attempts += 1
            email.next_attempt_at = now + CLAIM_LEASE
            try:
                if email.pending is not None:  # not rendered ahead (see render_pending)
                    for name, value in render_pending_email(email).items():
                        setattr(email, name, value)
                data = message_bytes(build_message(email, sender))
            except UNBUILDABLE as exc:  # a row that cannot be a message
                data, error = None, f"The message could not be built: {exc}"
            else:
                error = ""
            claimed.append(_Claimed(email.id, data, email.to_address, email.message_id, error))
        db.session.commit()
    return claimed


def _record(email_id: int, now: datetime, error: str = "", permanent: bool = False) -> EmailStatus:
    """Store the outcome of one attempt and decide what happens next; commits."""
    with write_intent():
        email = db.session.get(OutgoingEmail, email_id, populate_existing=True)
        assert email is not None
        db.session.add(DeliveryAttempt(email_id=email_id, at=now, ok=not error, error=error))
        if not error:
            email.status = EmailStatus.SENT
            email.sent_at = now
            email.last_error = ""
        elif permanent or email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
            email.last_error = error
        else:
            email.status = EmailStatus.RETRY
            email.next_attempt_at = now + retry_delay(email.attempts)
            email.last_error = error
        status = email.status
        db.session.commit()
    return status


def _release(claimed: list[_Claimed]) -> None:
    """Hand back claimed messages not attempted (the worker is stopping): due at once."""
    if not claimed:
        return
    with write_intent():
        for item in claimed:
            email = db.session.get(OutgoingEmail, item.email_id, populate_existing=True)
            if email is not None and email.status is EmailStatus.SENDING:
                email.status = EmailStatus.RETRY
                email.attempts -= 1
                email.next_attempt_at = utcnow()
        db.session.commit()


def send_due(
    now: datetime | None = None,
    transport: Transport | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch_size: int = BATCH_SIZE,
) -> DeliveryReport:
    """Deliver every message due at ``now``, each attempt recorded; returns the counts.

    A worker loop, not a service: it commits after the claim and after each message, so a
    crash loses at most the outcome of one message. Call it with no unit of work open."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("send_due commits as it goes; commit or roll back first")
    session.rollback()  # end any read transaction, so the claim begins a fresh write one
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    default_sender = app.config["MAIL_DEFAULT_SENDER"]
    sender = sender_address(default_sender)[1]  # the envelope's MAIL FROM
    report = DeliveryReport()
    with transport or transport_for(app) as carrier:
        while not should_stop():
            moment = now or utcnow()
            render_pending(batch_size)
            claimed = _claim(moment, batch_size, default_sender)
            if not claimed:
                break
            for index, item in enumerate(claimed):
                if should_stop():
                    _release(claimed[index:])
                    break
                status = _deliver_one(carrier, item, sender, now or utcnow())
                if status is EmailStatus.SENT:
                    report.sent += 1
                elif status is EmailStatus.FAILED:
                    report.failed += 1
                else:
                    report.retrying += 1
    return report


def _deliver_one(carrier: Transport, item: _Claimed, sender: str, now: datetime) -> EmailStatus:
    """Try one message and record the outcome."""
    if item.data is None:
        return _record(item.email_id, now, item.build_error, permanent=True)
    try:
        carrier.deliver(item.data, sender, item.recipient, item.message_id)
    except PermanentFailure as exc:
        log.warning("message %s refused for good: %s", item.email_id, exc)
        return _record(item.email_id, now, str(exc), permanent=True)
    except (smtplib.SMTPException, OSError) as exc:
        log.info("message %s not delivered, will retry: %s", item.email_id, exc)
        return _record(item.email_id, now, f"{type(exc).__name__}: {exc}"[:2000])
    return _record(item.email_id, now)
