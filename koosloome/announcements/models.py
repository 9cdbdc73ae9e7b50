"""Subscribers to announcements, and the announcements organisers write and send."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column
from koosloome.events.models import Event
from koosloome.tokens import keyed_token

#: The purposes of the two links a subscriber gets (see ``koosloome.tokens.keyed_token``).
UNSUBSCRIBE_PURPOSE = "unsubscribe:"
CONFIRM_PURPOSE = "subscribe-confirm:"


class SubscriberSource(enum.StrEnum):
    """Where the address came from: the public site's form (double opt-in) or a registration
    whose "tell me about future events" box was ticked (the consent is on the registration)."""

    SITE = "site"
    REGISTRATION = "registration"


class Subscriber(TimestampMixin, Base):
    """One address that may get announcements, or asked not to: the row is the address's
    one-click unsubscribe token and its record of having unsubscribed."""

    __tablename__ = "subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    #: ``email`` trimmed and lower-cased: unique, so an address is one subscriber however
    #: it was typed.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="et")
    county: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[SubscriberSource] = mapped_column(enum_column(SubscriberSource))
    #: 128 random bits; the links are HMACs of it (only their hashes are stored).
    token_nonce: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the unsubscribe link's token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of the confirmation link's token; None once used (the link works once).
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]

    @property
    def unsubscribe_token(self) -> str:
        """The token of the subscriber's unsubscribe link."""
        return keyed_token(current_app.config["SECRET_KEY"], UNSUBSCRIBE_PURPOSE,
                           self.token_nonce)

    @property
    def confirm_token(self) -> str:
        """The token of the subscriber's confirmation link."""
        return keyed_token(current_app.config["SECRET_KEY"], CONFIRM_PURPOSE, self.token_nonce)


class AnnouncementStatus(enum.StrEnum):
    """draft → sent, once: a sent announcement is never sent again."""

    DRAFT = "draft"
    SENT = "sent"


announcement_event = Table(
    "announcement_event",
    Base.metadata,
    Column("announcement_id", ForeignKey("announcement.id", ondelete="CASCADE"),
           primary_key=True),
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
)


class Announcement(TimestampMixin, Base):
    """News of future events written by a partner's organiser, in Estonian and optionally in
    English, to the consented people the audience filters choose."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The partner it belongs to: only its organisers (and admins) change or send it.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    subject_et: Mapped[str] = mapped_column(String(300))
    body_et: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    #: County codes (``registrations.choices.COUNTIES``); empty: every county.
    counties: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[AnnouncementStatus] = mapped_column(enum_column(AnnouncementStatus),
                                                       default=AnnouncementStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: How many messages were queued when it was sent.
    recipients: Mapped[int | None]

    #: "Took part in": only people with a confirmed registration of one of these.
    past_events: Mapped[list[Event]] = relationship(secondary=announcement_event,
                                                    order_by="Event.starts_at")
