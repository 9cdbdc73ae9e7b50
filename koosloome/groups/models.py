"""A group registration: the contact who registered several people, and their declaration."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin
from koosloome.extensions import db
from koosloome.tokens import keyed_token

if TYPE_CHECKING:
    from koosloome.events.models import Event
    from koosloome.registrations.models import Registration

#: What the group-link token's HMAC is keyed for (see ``RegistrationGroup.manage_token``).
GROUP_LINK_PURPOSE = "group-link:"


class RegistrationGroup(TimestampMixin, Base):
    """Several registrations for one event made by one contact, who vouches for their
    consent. Each member is an ordinary registration (``Registration.group_id``)."""

    __tablename__ = "registration_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_organisation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="et")
    #: The declaration the contact made, word for word in the language they read it in:
    #: the evidence of consent the members' registrations rest on (GDPR art. 7(1)).
    declaration: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime]
    manage_nonce: Mapped[str] = mapped_column(String(32))
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    anonymised_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    members: Mapped[list[Registration]] = relationship(order_by="Registration.id")

    @property
    def manage_token(self) -> str:
        """The token of the contact's group link (derived, never stored)."""
        return keyed_token(current_app.config["SECRET_KEY"], GROUP_LINK_PURPOSE,
                           self.manage_nonce)

    @property
    def manage_url(self) -> str:
        """The absolute group link, for e-mails."""
        return f"{current_app.config['BASE_URL']}/g/{self.manage_token}"

    def __repr__(self) -> str:
        return f"<RegistrationGroup {self.id} of {len(self.members)}>"


def group_of(registration: Registration) -> RegistrationGroup | None:
    """The group ``registration`` was registered in, if any."""
    if registration.group_id is None:
        return None
    return db.session.get(RegistrationGroup, registration.group_id)
