"""The outbox: every message is a row written with the change that caused it, and delivered
later by a worker that records each attempt, retries with back-off and never sends twice.

States (pretix's model): queued → sending → sent, or retry (awaiting another attempt) / failed.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    and_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, enum_column, utcnow, write_intent
from koosloome.extensions import db
from koosloome.mail import (
    PermanentFailure,
    Transport,
    build_message,
    header_text,
    message_bytes,
    new_message_id,
    sender_address,
    transport_for,
)

log = logging.getLogger(__name__)


class EmailStatus(enum.StrEnum):
    """queued → sending → sent, or retry (awaiting another attempt) / failed."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


class OutgoingEmail(Base):
    """One message waiting for, or done with, delivery."""

    __tablename__ = "outgoing_email"
    __table_args__ = (Index("ix_outgoing_email_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus), default=EmailStatus.QUEUED
    )
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="et")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    calendar: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The iTIP method of ``calendar`` (REQUEST or CANCEL), also the MIME ``method``.
    calendar_method: Mapped[str | None] = mapped_column(String(10))
    #: The calendar's SEQUENCE: the next calendar for the same UID must never go lower.
    calendar_sequence: Mapped[int | None]
    message_id: Mapped[str] = mapped_column(String(200), default="")
    #: Set while the message awaits rendering: the template values decided when it was queued
    #: (a registration rush queues, the worker renders; see ``render_pending``). None once the
    #: subject, bodies and calendar are filled in.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    delivery_attempts: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="email", cascade="all, delete-orphan", order_by="DeliveryAttempt.id"
    )


class DeliveryAttempt(Base):
    """One try at handing a message to the SMTP server, and what came of it."""

    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        ForeignKey("outgoing_email.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(Text, default="")

    email: Mapped[OutgoingEmail] = relationship(back_populates="delivery_attempts")


class RegistrationNotice(Base):
    """A one-off message (reminder, thank-you) queued for a registration: the primary key makes
    "exactly once, however often the scheduler runs" a rule of the database."""

    __tablename__ = "registration_notice"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Queueing -------------------------------------------------------------------------------


def queue_email(
    *,
    kind: str,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    to_name: str = "",
    language: str = "et",
    calendar: bytes | None = None,
    calendar_method: str | None = None,
    calendar_sequence: int | None = None,
    event_id: int | None = None,
    registration_id: int | None = None,
    pending: dict[str, Any] | None = None,
) -> OutgoingEmail:
    """Add a message to the outbox in the caller's transaction (flushed, not committed): it is
    sent only if that transaction commits, and never lost once it has.

    With ``pending`` (template values) the message is queued unrendered: the subject, bodies
    and calendar are filled in by ``render_pending`` before it is sent."""
    if pending is None and (calendar is None) != (calendar_method is None):
        raise ValueError("calendar and calendar_method go together")
    email = OutgoingEmail(
        kind=kind,
        to_address=header_text(to_address, 254),
        to_name=header_text(to_name, 200),
        language=language,
        subject=header_text(subject),
        body_text=body_text,
        body_html=body_html,
        calendar=calendar,
        calendar_method=calendar_method,
        calendar_sequence=calendar_sequence,
        message_id=new_message_id(current_app.config["BASE_URL"]),
        event_id=event_id,
        registration_id=registration_id,
        pending=pending,
        status=EmailStatus.QUEUED,
        next_attempt_at=utcnow(),
    )
    db.session.add(email)
    db.session.flush()
    return email


# --- Rendering --------------------------------------------------------------------------------

#: The subject, bodies and calendar of a pending message (column name → value); raises
#: LookupError when what it was about is gone. It must only read. The app provides it
#: (``init_renderer``) because the renderer, ``notifications``, imports this module.
Renderer = Callable[["OutgoingEmail"], dict[str, Any]]
_RENDERER_KEY = "koosloome.email_renderer"
#: Exceptions that mean "this row can never become a message": it fails for good, recorded.
UNBUILDABLE = (ValueError, TypeError, LookupError)


def init_renderer(app: Any, renderer: Renderer) -> None:
    """Tell the outbox how ``app`` renders pending messages."""
    app.extensions[_RENDERER_KEY] = renderer


def _rendered(email: OutgoingEmail) -> dict[str, Any]:
    return {**current_app.extensions[_RENDERER_KEY](email), "pending": None}


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
            done.append((email.id, _rendered(email)))
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
                    for name, value in _rendered(email).items():
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
