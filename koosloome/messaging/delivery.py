"""Delivering the outbox: render what was queued unrendered, claim due messages, hand each to
the transport and record the attempt; retry with back-off, fail for good on a 5xx refusal.

States (pretix's model): queued → sending → sent, or retry (awaiting another attempt) / failed.

Ownership (``claims``): a claim marks its messages *sending* with a claim token and a lease.
Before each message the worker checks, in the transaction that records the message before,
that the message is still its own, and renews the lease of everything it holds long before
it runs out; an outcome is recorded only on a row that still carries the token. A lease runs
out only when its worker has stopped (or has been cut off for longer than the lease): then
another worker takes the message up, and records that the first one stopped.

Faults: a message that cannot be rendered or built fails alone, with the reason, and the queue
goes on. A database error stops the current round, but what the SMTP server already said is
kept (``Courier.unrecorded``) and recorded when the database answers again, never re-sent.
Delivery is at-least-once: a server that accepts the data and loses the connection before
its reply gets the message again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, select, update
from sqlalchemy.exc import SQLAlchemyError

from koosloome.db import utcnow, write_intent
from koosloome.extensions import db
from koosloome.messaging import claims
from koosloome.messaging.check_in_codes import CHECK_IN_KINDS, missing_codes, store_codes
from koosloome.messaging.claims import Claimed, Outcome
from koosloome.messaging.content import render_pending_email
from koosloome.messaging.mime import build_message, message_bytes, sender_address
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from koosloome.messaging.transport import PermanentFailure, Transport, transport_for

log = logging.getLogger(__name__)

#: A claimed message whose worker has not renewed its lease within this time is presumed
#: abandoned (the worker died) and becomes due again. Far longer than an SMTP exchange;
#: ``OUTBOX_CLAIM_SECONDS`` sets it.
CLAIM_LEASE = timedelta(minutes=10)
BATCH_SIZE = 20


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
class _Built:
    data: bytes | None
    rendered: dict[str, Any] | None = None
    error: str = ""


def _build(item: Claimed, sender: str) -> _Built:
    """The message's bytes, from the copy the claim read; outside any transaction (a row the
    claim found still pending is rendered now, in memory, and stored with the outcome). A
    message that cannot be built says why."""
    email = item.email
    rendered = None
    try:
        if email.pending is not None:
            try:
                rendered = render_pending_email(email)
            finally:
                db.session.rollback()  # rendering read: end that transaction
            for name, value in rendered.items():
                setattr(email, name, value)
        return _Built(message_bytes(build_message(email, sender, item.check_in_png)), rendered)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.warning("message %s cannot be built: %s", item.email_id, exc)
        return _Built(None, error=f"The message could not be built: {_reason(exc)}")


def _attempt(carrier: Transport, item: Claimed, built: _Built, sender: str,
             at: datetime | None, while_waiting: Callable[[], None] | None = None) -> Outcome:
    """Hand one built message to the transport; what happened, not yet recorded."""
    email = item.email
    try:
        carrier.deliver(built.data or b"", sender, email.to_address, email.message_id,
                        while_waiting)
    except PermanentFailure as exc:
        log.warning("message %s refused for good: %s", item.email_id, exc)
        return Outcome(item, at or utcnow(), str(exc), permanent=True, rendered=built.rendered)
    except (smtplib.SMTPException, OSError) as exc:
        log.info("message %s not delivered, will retry: %s", item.email_id, exc)
        return Outcome(item, at or utcnow(), _reason(exc), rendered=built.rendered)
    return Outcome(item, at or utcnow(), rendered=built.rendered)


@dataclass
class Courier:
    """One worker's deliveries, kept across rounds: what the SMTP server has said that the
    database has not heard yet, and what is claimed but not yet attempted. A round that
    ends on a database error leaves both here; the next round settles them first.

    One commit a message: before sending a message the courier records the outcome of the one
    before and checks, in the same transaction, that this one is still its own (renewing the
    lease of everything it holds once a quarter of it has passed). So when a message goes
    out, every earlier outcome is in the database; a crash loses at most the outcome of the
    message on the wire, which is sent again (same Message-ID) once its lease runs out."""

    batch_size: int = BATCH_SIZE
    lease: timedelta = CLAIM_LEASE
    unrecorded: list[Outcome] = field(default_factory=list)
    held: list[Claimed] = field(default_factory=list)
    #: ``time.monotonic()`` of the last claim or renewal of ``held``
    renewed: float = 0.0
    #: nothing sent since the claim committed
    fresh: bool = False
    #: the next message, built while the one before was being taken in
    ahead: tuple[Claimed, _Built] | None = None

    def send_due(
        self,
        now: datetime | None = None,
        transport: Transport | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> DeliveryReport:
        """Deliver every message due at ``now``, each attempt recorded; returns the counts.

        A worker loop, not a service: it commits the claim and once a message. Database
        errors propagate (the caller backs off and calls again)."""
        _require_no_unit_of_work("send_due")
        report = DeliveryReport()
        self._settle(report, now)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        default_sender = app.config["MAIL_DEFAULT_SENDER"]
        sender = sender_address(default_sender)[1]  # the envelope's MAIL FROM
        with transport or transport_for(app) as carrier:
            while not should_stop():
                render_pending(self.batch_size)
                with write_intent():
                    self.held = claims.claim(now or utcnow(), self.batch_size, self.lease)
                    db.session.commit()
                self.renewed, self.fresh = time.monotonic(), True
                if not self.held:
                    break
                while self.held and not should_stop():
                    self._deliver_next(carrier, default_sender, sender, now, report)
                self._settle(report, now)
        return report

    def _deliver_next(self, carrier: Transport, default_sender: str, sender: str,
                      now: datetime | None, report: DeliveryReport) -> None:
        item = self.held[0]
        # The first message of a claim is ours: the claim has just committed.
        checked, self.fresh = self.fresh, False
        if not checked and not self._record_and_check(item, now, report):
            self.held.pop(0)  # erased, or taken up by another worker meanwhile: not ours
            return
        built = self._built(item, default_sender)
        if built.data is None:
            outcome = Outcome(item, now or utcnow(), built.error, permanent=True)
        else:
            outcome = _attempt(carrier, item, built, sender, now,
                               lambda: self._build_ahead(default_sender))
        self.held.pop(0)
        self.unrecorded.append(outcome)

    def _built(self, item: Claimed, default_sender: str) -> _Built:
        """``item``'s bytes: built ahead while the message before went out, or now."""
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead[0] is item:
            return ahead[1]
        return _build(item, default_sender)

    def _build_ahead(self, default_sender: str) -> None:
        """Build the next message while the server takes in this one (a message still to be
        rendered is left for its turn: rendering reads the database)."""
        if len(self.held) > 1 and self.held[1].email.pending is None:
            self.ahead = (self.held[1], _build(self.held[1], default_sender))

    def _record_and_check(self, item: Claimed, now: datetime | None,
                          report: DeliveryReport) -> bool:
        """Record what is unrecorded and find whether ``item`` is still held; one commit."""
        with write_intent():
            statuses = [claims.record(outcome) for outcome in self.unrecorded]
            if time.monotonic() - self.renewed >= self.lease.total_seconds() / 4:
                ours = item.email_id in claims.renew(self.held, now or utcnow(), self.lease)
                self.renewed = time.monotonic()
            else:
                ours = claims.still_held(item)
            db.session.commit()
        self._recorded(statuses, report)
        return ours

    def _settle(self, report: DeliveryReport, now: datetime | None) -> None:
        """Record what is unrecorded (what SMTP said before a database outage, or the last
        message of a claim) and hand back what was not tried; one commit."""
        if not self.unrecorded and not self.held:
            return
        with write_intent():
            statuses = [claims.record(outcome) for outcome in self.unrecorded]
            claims.release(self.held, now or utcnow())
            db.session.commit()
        self._recorded(statuses, report)
        self.held = []

    def _recorded(self, statuses: list[EmailStatus | None], report: DeliveryReport) -> None:
        """The unrecorded outcomes are committed: count them and let them go."""
        for status in statuses:
            report.count(status)
        self.unrecorded = []


def send_due(
    now: datetime | None = None,
    transport: Transport | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch_size: int = BATCH_SIZE,
) -> DeliveryReport:
    """One round of delivery by a fresh courier (``outbox send``, tests); see ``Courier``."""
    courier = Courier(batch_size=batch_size, lease=claim_lease())
    return courier.send_due(now=now, transport=transport, should_stop=should_stop)
