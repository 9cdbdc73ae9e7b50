"""A person's registration for an event, with access needs, consents and answers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column
from koosloome.tokens import keyed_token

if TYPE_CHECKING:
    from koosloome.events.models import Event, ExtraQuestion


#: What the manage-link token's HMAC is keyed for (see ``Registration.manage_token``).
MANAGE_LINK_PURPOSE = "manage-link:"


class RegistrationStatus(enum.StrEnum):
    """Where a registration stands; the first four hold (or wait for) a seat."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    #: A seat is held for the person until ``offer_expires_at``: they accept, or it lapses
    #: and goes to the next in line (events with ``offer_hours``).
    OFFERED = "offered"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    #: An offer not accepted in time.
    LAPSED = "lapsed"


ACTIVE_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
    RegistrationStatus.OFFERED,
)
#: Statuses that hold seats of the capacity.
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
_ACTIVE_SQL = ("status IN ('confirmed', 'waitlisted', 'pending', 'offered') "
               "AND email IS NOT NULL")


class RegistrationSource(enum.StrEnum):
    """How the registration reached us."""

    WEB = "web"
    API = "api"
    PHONE = "phone"
    WALK_IN = "walk_in"


class Registration(TimestampMixin, Base):
    """One person's registration (plus their companion's seat) for one event."""

    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint(
            # walk-ins at the door may give no contact details at all, and a group's
            # members are reached through its contact
            "email IS NOT NULL OR phone IS NOT NULL OR source = 'walk_in' "
            "OR group_id IS NOT NULL OR anonymised_at IS NOT NULL",
            name="email_or_phone",
        ),
        # The database itself forbids a second active registration per e-mail and event.
        Index(
            "uq_registration_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_registration_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    source: Mapped[RegistrationSource] = mapped_column(
        enum_column(RegistrationSource), default=RegistrationSource.WEB
    )
    #: The group it was registered in, if any (its contact speaks for it); the group knows
    #: its members (``RegistrationGroup.members``), a registration only this id.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration_group.id", ondelete="SET NULL"), index=True
    )
    #: Participant plus companion: what the registration takes from the capacity.
    seats: Mapped[int] = mapped_column(default=1)

    name: Mapped[str] = mapped_column(String(200))
    #: Stored lower-cased, so the unique index catches "Mari@x.ee" and "mari@x.ee".
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str | None] = mapped_column(String(30))
    county: Mapped[str | None] = mapped_column(String(30))
    municipality: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5), default="et")

    # Access needs (health data under GDPR art. 9: kept only with explicit consent).
    companion: Mapped[bool] = mapped_column(default=False)
    companion_name: Mapped[str] = mapped_column(String(200), default="")
    #: The companion's own needs, diet or allergies (they come too, and eat too).
    companion_needs: Mapped[str] = mapped_column(String(500), default="")
    needs_note: Mapped[str] = mapped_column(Text, default="")
    allergies: Mapped[str] = mapped_column(String(500), default="")
    transport_needed: Mapped[bool] = mapped_column(default=False)
    transport_pickup: Mapped[str] = mapped_column(String(300), default="")
    transport_wheelchair: Mapped[bool] = mapped_column(default=False)
    phone_me: Mapped[bool] = mapped_column(default=False)

    # Optional, self-declared, reported only in aggregate.
    gender: Mapped[str | None] = mapped_column(String(10))
    age_band: Mapped[str | None] = mapped_column(String(10))
    has_disability: Mapped[bool | None]

    consent_privacy_at: Mapped[datetime | None]
    consent_health_at: Mapped[datetime | None]
    consent_photos: Mapped[bool] = mapped_column(default=False)
    consent_future_events: Mapped[bool] = mapped_column(default=False)

    #: 128 random bits; the manage-link token is HMAC(SECRET_KEY, nonce), so it can be put in
    #: every later e-mail, yet neither the token nor anything that yields it without the key
    #: is stored (see ``manage_token``).
    manage_nonce: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the manage-link token, to find the registration a link belongs to.
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    waitlisted_at: Mapped[datetime | None]
    #: Until when an offered seat waits for the person's yes (status ``offered``).
    offer_expires_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    internal_note: Mapped[str] = mapped_column(Text, default="")
    health_purged_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    needs: Mapped[list[RegistrationNeed]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def manage_token(self) -> str:
        """The token of the participant's manage link (derived, never stored)."""
        return keyed_token(current_app.config["SECRET_KEY"], MANAGE_LINK_PURPOSE,
                           self.manage_nonce)

    @property
    def manage_url(self) -> str:
        """The absolute manage link, for e-mails and invites."""
        return f"{current_app.config['BASE_URL']}/r/{self.manage_token}"

    @property
    def need_codes(self) -> set[str]:
        """The structured access needs and diets as a set of codes."""
        return {need.code for need in self.needs}

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"


class RegistrationNeed(Base):
    """One structured access need or diet (a code from ``registrations.choices``)."""

    __tablename__ = "registration_need"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)

    registration: Mapped[Registration] = relationship(back_populates="needs")


class Answer(Base):
    """A registrant's answer to one of the event's extra questions."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("extra_question.id", ondelete="CASCADE"), index=True
    )
    #: A string, a list of choice values, a boolean or an ISO date, by question kind.
    value: Mapped[Any] = mapped_column(JSON)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[ExtraQuestion] = relationship()
