"""Partner organisations, staff users and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column, utcnow


class Role(enum.StrEnum):
    """What a staff member may do; scoped to their organisation except for admins."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    FACILITATOR = "facilitator"


class Organisation(Base):
    """A partner of the project: Võrumaa Partnerluskogu or Tartumaa Arendusselts."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def contact_email(self) -> str:
        """Where people write to this partner: the configured address, else the stored one,
        else the project's (``PARTNER_EMAILS``, ``CONTACT_EMAIL``)."""
        config = current_app.config
        return config["PARTNER_EMAILS"].get(self.slug) or self.email or config["CONTACT_EMAIL"]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(UserMixin, TimestampMixin, Base):
    """A staff member who signs in: admin, organiser or facilitator."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    #: Part of every sign-in (session and remember cookie); raising it ends them all —
    #: on signing out, a new password, deactivation, "sign out everywhere".
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="users")
    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated staff cannot sign in
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id of a sign-in: the user and the session version it belongs to."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Sign the user out everywhere: every cookie signed so far stops opening anything."""
        self.session_version = (self.session_version or 0) + 1

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="api_tokens")
