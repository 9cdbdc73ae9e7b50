"""Delivering the outbox: render what was queued unrendered, claim due messages, hand each to
the transport and record the attempt; retry with back-off, fail for good on a 5xx refusal.

States (pretix's model): queued → sending → sent, or retry (awaiting another attempt) / failed.

Ownership: a claim marks its messages *sending* with a claim token and a lease. Before each
message the worker renews the lease of everything it still holds and goes on only if the
message is still its own; an outcome is recorded only on a row that still carries the token.
A lease runs out only when its worker has stopped (or has been cut off for longer than the
lease): then another worker takes the message up, and records that the first one stopped.

Faults: a message that cannot be rendered or built fails alone, with the reason, and the queue
goes on. A database error stops the current round, but what the SMTP server already said is
kept (``Courier.unrecorded``) and recorded when the database answers again, never re-sent.
Delivery is at-least-once: a server that accepts the data and loses the connection before
its reply gets the message again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, select, update
from sqlalchemy.exc import SQLAlchemyError

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging.check_in_codes import (
    CHECK_IN_KINDS,
    missing_codes,
    store_codes,
    stored_codes,
)
from koosloome.messaging.content import render_pending_email
from koosloome.messaging.kinds import FORGOTTEN_ONCE_SENT
from koosloome.messaging.mime import build_message, message_bytes, sender_address
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.transport import PermanentFailure, Transport, transport_for

log = logging.getLogger(__name__)

#: A claimed message whose worker has not renewed its lease within this time is presumed
#: abandoned (the worker died) and becomes due again. Far longer than an SMTP exchange;
#: ``OUTBOX_CLAIM_SECONDS`` sets it.
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


def claim_lease() -> timedelta:
    """The lease of a claim, from ``OUTBOX_CLAIM_SECONDS``."""
    return timedelta(seconds=current_app.config.get("OUTBOX_CLAIM_SECONDS", 600))


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _require_no_unit_of_work(what: str) -> None:
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError(f"{what} commits as it goes; commit or roll back first")
    session.rollback()  # end any read transaction: each step begins a fresh one


# --- Rendering --------------------------------------------------------------------------------


def render_pending(limit: int = 200) -> int:
    """Render up to ``limit`` pending messages, oldest first, and store them; returns how many.

    The rendering runs outside any write transaction (on SQLite it would stop every
    registration meanwhile); the short write after it stores only rows still pending, so two
    workers rendering the same message store it once. A message that gives a seat gets its
    registration's check-in QR code made here, once, and stored (``check_in_codes``). A
    message that cannot be rendered (a template error, a registration gone) fails for good
    with the reason; the others go on."""
    _require_no_unit_of_work("render_pending")
    query = (
        select(OutgoingEmail)
        .where(OutgoingEmail.pending.is_not(None), OutgoingEmail.status == EmailStatus.QUEUED)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    )
    done: list[tuple[int, dict[str, Any]]] = []
    broken: list[tuple[int, str]] = []
    seats: set[int] = set()  # registrations whose message carries the check-in QR code
    for email in db.session.scalars(query).all():
        try:
            done.append((email.id, render_pending_email(email)))
        except SQLAlchemyError:
            raise  # the database's fault, not the message's
        except Exception as exc:
            log.warning("message %s cannot be rendered: %s", email.id, exc)
            broken.append((email.id, f"The message could not be rendered: {_reason(exc)}"))
        else:
            if email.kind in CHECK_IN_KINDS and email.registration_id:
                seats.add(email.registration_id)
    codes = missing_codes(seats)  # made once a registration, here: it takes a while
    db.session.rollback()
    if not done and not broken:
        return 0
    stored = 0
    with write_intent():
        still_pending = and_(OutgoingEmail.pending.is_not(None),
                             OutgoingEmail.status == EmailStatus.QUEUED)
        for email_id, values in done:
            result = db.session.execute(
                update(OutgoingEmail).where(OutgoingEmail.id == email_id, still_pending)
                .values(**values)
            )
            stored += result.rowcount
        for email_id, reason in broken:
            result = db.session.execute(
                update(OutgoingEmail).where(OutgoingEmail.id == email_id, still_pending)
                .values(status=EmailStatus.FAILED, last_error=reason,
                        attempts=OutgoingEmail.attempts + 1)
            )
            if result.rowcount:
                db.session.add(DeliveryAttempt(email_id=email_id, at=utcnow(), error=reason))
        store_codes(codes)
        db.session.commit()
    return stored


# --- Delivery -------------------------------------------------------------------------------


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

    def count(self, status: EmailStatus | None) -> None:
        """Add one recorded outcome."""
        if status is EmailStatus.SENT:
            self.sent += 1
        elif status is EmailStatus.FAILED:
            self.failed += 1
        elif status is EmailStatus.RETRY:
            self.retrying += 1


@dataclass(frozen=True)
class Claimed:
    """A message this worker holds: its row and the token of the claim."""

    email_id: int
    token: str


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt, waiting to be recorded."""

    claimed: Claimed
    at: datetime
    error: str = ""
    permanent: bool = False
    #: subject, bodies and calendar rendered at delivery (the row was still pending)
    rendered: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Built:
    data: bytes | None
    recipient: str = ""
    message_id: str = ""
    rendered: dict[str, Any] | None = None
    error: str = ""


def _due(now: datetime) -> Any:
    # SENDING rows are due again only when their lease has run out (the worker stopped).
    return and_(
        OutgoingEmail.status.in_([EmailStatus.QUEUED, EmailStatus.RETRY, EmailStatus.SENDING]),
        OutgoingEmail.next_attempt_at <= now,
    )


def _claim(now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Mark up to ``limit`` due messages as ours (one token for the claim) and commit.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets workers claim side by side. SQLite: the claim
    runs in a write transaction (BEGIN IMMEDIATE), so claims simply take turns."""
    token = secrets.token_hex(16)
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
            email.claim_token = token
            email.attempts += 1
            email.next_attempt_at = now + lease
            claimed.append(Claimed(email.id, token))
        db.session.commit()
    return claimed


def _renew(item: Claimed, now: datetime, lease: timedelta) -> bool:
    """Extend the lease of everything this claim still holds; True if ``item`` is among it."""
    holds = and_(OutgoingEmail.claim_token == item.token,
                 OutgoingEmail.status == EmailStatus.SENDING)
    with write_intent():
        db.session.execute(update(OutgoingEmail).where(holds)
                           .values(next_attempt_at=now + lease))
        owned = db.session.scalar(select(OutgoingEmail.id).where(
            holds, OutgoingEmail.id == item.email_id))
        db.session.commit()
    return owned is not None


def _build(item: Claimed, sender: str) -> _Built:
    """The message's bytes, built outside any write transaction (a check-in QR code takes a
    while); a message that cannot be built says why."""
    email = db.session.get(OutgoingEmail, item.email_id, populate_existing=True)
    if email is None:
        return _Built(None, error="The message was deleted before it could be sent.")
    try:
        # Filled in memory for building; stored with the outcome, under the token's check.
        with db.session.no_autoflush:
            rendered = None
            if email.pending is not None:
                rendered = render_pending_email(email)
                for name, value in rendered.items():
                    setattr(email, name, value)
            stored = stored_codes([email.registration_id]) if email.registration_id else {}
            data = message_bytes(build_message(email, sender, stored.get(email.registration_id)))
            return _Built(data, email.to_address, email.message_id, rendered)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.warning("message %s cannot be built: %s", item.email_id, exc)
        return _Built(None, error=f"The message could not be built: {_reason(exc)}")
    finally:
        db.session.rollback()  # nothing of the in-memory filling may reach the database


def _attempt(carrier: Transport, item: Claimed, built: _Built, sender: str,
             at: datetime | None) -> Outcome:
    """Hand one built message to the transport; what happened, not yet recorded."""
    try:
        carrier.deliver(built.data or b"", sender, built.recipient, built.message_id)
    except PermanentFailure as exc:
        log.warning("message %s refused for good: %s", item.email_id, exc)
        return Outcome(item, at or utcnow(), str(exc), permanent=True, rendered=built.rendered)
    except (smtplib.SMTPException, OSError) as exc:
        log.info("message %s not delivered, will retry: %s", item.email_id, exc)
        return Outcome(item, at or utcnow(), _reason(exc), rendered=built.rendered)
    return Outcome(item, at or utcnow(), rendered=built.rendered)


def _record(outcome: Outcome) -> EmailStatus | None:
    """Store the outcome of one attempt and decide what happens next; commits. None when the
    row is no longer this claim's (its lease ran out and another worker took it)."""
    item = outcome.claimed
    with write_intent():
        email = db.session.scalars(
            select(OutgoingEmail).where(
                OutgoingEmail.id == item.email_id, OutgoingEmail.claim_token == item.token,
                OutgoingEmail.status == EmailStatus.SENDING,
            ).with_for_update().execution_options(populate_existing=True)
        ).first()
        if email is None:
            db.session.rollback()
            log.warning("message %s: outcome not recorded, its claim passed to another worker",
                        item.email_id)
            return None
        for name, value in (outcome.rendered or {}).items():
            setattr(email, name, value)
        db.session.add(DeliveryAttempt(email_id=email.id, at=outcome.at, ok=not outcome.error,
                                       error=outcome.error))
        email.claim_token = None
        if not outcome.error:
            email.status = EmailStatus.SENT
            email.sent_at = outcome.at
            email.last_error = ""
            if email.kind in FORGOTTEN_ONCE_SENT:
                _forget_recipient(email)
        elif outcome.permanent or email.attempts >= MAX_ATTEMPTS:
            email.status = EmailStatus.FAILED
            email.last_error = outcome.error
        else:
            email.status = EmailStatus.RETRY
            email.next_attempt_at = outcome.at + retry_delay(email.attempts)
            email.last_error = outcome.error
        status = email.status
        db.session.commit()
    return status


def _forget_recipient(email: OutgoingEmail) -> None:
    """Keep that the message went, not to whom or what it said (an erasure's confirmation)."""
    email.to_address = email.to_name = email.body_text = email.body_html = ""
    email.calendar = None
    email.pending = None
    for attempt in email.delivery_attempts:
        attempt.error = ""  # an SMTP refusal may quote the address


def _release(held: list[Claimed]) -> None:
    """Hand back claimed messages not attempted (the worker is stopping, or coming back from
    a database outage): due at once, the claim's attempt not counted."""
    if not held:
        return
    with write_intent():
        for item in held:
            db.session.execute(
                update(OutgoingEmail).where(
                    OutgoingEmail.id == item.email_id, OutgoingEmail.claim_token == item.token,
                    OutgoingEmail.status == EmailStatus.SENDING,
                ).values(status=EmailStatus.RETRY, attempts=OutgoingEmail.attempts - 1,
                         next_attempt_at=utcnow(), claim_token=None)
            )
        db.session.commit()


@dataclass
class Courier:
    """One worker's deliveries, kept across rounds: what the SMTP server has said that the
    database has not heard yet, and what is claimed but not yet attempted. A round that
    ends on a database error leaves both here; the next round settles them first."""

    batch_size: int = BATCH_SIZE
    lease: timedelta = CLAIM_LEASE
    unrecorded: list[Outcome] = field(default_factory=list)
    held: list[Claimed] = field(default_factory=list)

    def send_due(
        self,
        now: datetime | None = None,
        transport: Transport | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> DeliveryReport:
        """Deliver every message due at ``now``, each attempt recorded; returns the counts.

        A worker loop, not a service: it commits after the claim and after each message.
        Database errors propagate (the caller backs off and calls again)."""
        _require_no_unit_of_work("send_due")
        report = DeliveryReport()
        self._settle(report)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        default_sender = app.config["MAIL_DEFAULT_SENDER"]
        sender = sender_address(default_sender)[1]  # the envelope's MAIL FROM
        with transport or transport_for(app) as carrier:
            while not should_stop():
                render_pending(self.batch_size)
                self.held = _claim(now or utcnow(), self.batch_size, self.lease)
                if not self.held:
                    break
                while self.held and not should_stop():
                    self._deliver_next(carrier, default_sender, sender, now, report)
                _release(self.held)
                self.held = []
        return report

    def _deliver_next(self, carrier: Transport, default_sender: str, sender: str,
                      now: datetime | None, report: DeliveryReport) -> None:
        item = self.held[0]
        if not _renew(item, now or utcnow(), self.lease):
            self.held.pop(0)  # taken up by another worker meanwhile: theirs now
            return
        built = _build(item, default_sender)
        if built.data is None:
            outcome = Outcome(item, now or utcnow(), built.error, permanent=True)
        else:
            outcome = _attempt(carrier, item, built, sender, now)
        self.held.pop(0)
        self.unrecorded.append(outcome)
        report.count(_record(outcome))
        self.unrecorded.remove(outcome)

    def _settle(self, report: DeliveryReport) -> None:
        """Record what SMTP said during a database outage; hand back what was not tried."""
        while self.unrecorded:
            report.count(_record(self.unrecorded[0]))
            self.unrecorded.pop(0)
        _release(self.held)
        self.held = []


def send_due(
    now: datetime | None = None,
    transport: Transport | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch_size: int = BATCH_SIZE,
) -> DeliveryReport:
    """One round of delivery by a fresh courier (``outbox send``, tests); see ``Courier``."""
    courier = Courier(batch_size=batch_size, lease=claim_lease())
    return courier.send_due(now=now, transport=transport, should_stop=should_stop)
