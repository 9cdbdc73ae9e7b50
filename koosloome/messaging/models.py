"""The outbox tables: one row per message, one per delivery attempt, one per one-off notice."""

from __future__ import annotations

import enum
from datetime import datetime
from secrets import token_hex
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from koosloome.events.models import Event
    from koosloome.registrations.models import Registration


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
    #: Unique: the same message keeps it over every attempt, so a receiving system can drop
    #: a copy that a lost connection made us send again.
    message_id: Mapped[str] = mapped_column(String(200), unique=True,
                                            default=lambda: f"<{token_hex(16)}@koosloome.invalid>")
    #: Headers of this message beyond the usual ones (the one-click unsubscribe of an
    #: announcement, RFC 8058); only the names in ``mime.EXTRA_HEADERS`` are written.
    extra_headers: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))
    #: The claim that holds the message while it is *sending* (see ``delivery``).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    #: Set while the message awaits rendering: the template values decided when it was queued
    #: (the worker renders; see ``delivery.render_pending``). None once the subject, bodies
    #: and calendar are filled in.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    #: The group a message to a group's contact is about (it names every member).
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_group.id", ondelete="SET NULL"), index=True
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


class CheckInCode(Base):
    """A registration's check-in QR code as a PNG, made once when its first message that
    carries it is rendered (``messaging.check_in_codes``) and attached to every such message
    after: building the code takes longer than building and sending the rest of the message.
    ``url`` is what it encodes; a code for another ``BASE_URL`` is made afresh."""

    __tablename__ = "check_in_code"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(String(500))
    png: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallOutcome(enum.StrEnum):
    """What came of a call; only ``NO_ANSWER`` keeps the task on the list to try again."""

    OPEN = "open"
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    MESSAGE_LEFT = "message_left"
    WRONG_NUMBER = "wrong_number"


#: Outcomes that leave a call still to be made.
CALLS_TO_MAKE = (CallOutcome.OPEN, CallOutcome.NO_ANSWER)


class CallTask(Base):
    """A message for someone without e-mail, to be read to them on the phone: made in the same
    transaction as the change it tells of, as an e-mail would be queued (see ``notify``)."""

    __tablename__ = "call_task"
    __table_args__ = (Index("ix_call_task_event_outcome", "event_id", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5), default="et")
    #: The template values decided when the change happened (position, reason, subject…).
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[CallOutcome] = mapped_column(enum_column(CallOutcome),
                                                 default=CallOutcome.OPEN)
    attempts: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_call_at: Mapped[datetime | None]
    last_call_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration] = relationship()


class SmsStatus(enum.StrEnum):
    """queued → sending → sent, or failed (refused, or too many outages)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingSms(Base):
    """One SMS to a person without e-mail (see ``messaging.sms``): queued in the transaction
    of the change it tells about, sent by the worker."""

    __tablename__ = "outgoing_sms"
    __table_args__ = (Index("ix_outgoing_sms_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    #: E.164, a mobile number
    to_number: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="et")
    #: The template values decided when it was queued; None once sent.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SmsStatus] = mapped_column(enum_column(SmsStatus), default=SmsStatus.QUEUED)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
