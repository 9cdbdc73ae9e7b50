"""The tables of arrangements: one per kind and event, the volunteers who help, the pick-ups.

Which needs an event has is read from its registrations whenever it is shown; these rows hold
only what the organisers did about them, so registering writes nothing here.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column, utcnow

if TYPE_CHECKING:
    from koosloome.accounts.models import User
    from koosloome.events.models import Event
    from koosloome.registrations.models import Registration


class ArrangementKind(enum.StrEnum):
    """What is arranged once for everyone at the event who asked for it."""

    SIGN_LANGUAGE = "sign_language"
    CAPTIONS = "captions"
    HEARING_LOOP = "hearing_loop"
    STEP_FREE = "step_free"
    FRONT_SEATS = "front_seats"
    ASSISTANCE_DOG = "assistance_dog"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BRAILLE = "braille"
    FILES_IN_ADVANCE = "files_in_advance"
    AUDIO_DESCRIPTION = "audio_description"
    QUIET_ROOM = "quiet_room"
    REST_BREAKS = "rest_breaks"
    CATERING = "catering"
    TRANSPORT = "transport"


class ArrangementStatus(enum.StrEnum):
    """to arrange → requested → confirmed → done; or impossible (with the reason)."""

    TO_ARRANGE = "to_arrange"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DONE = "done"
    IMPOSSIBLE = "impossible"


#: Settled so that it will be there on the day.
ARRANGED = frozenset({ArrangementStatus.CONFIRMED, ArrangementStatus.DONE})
#: Still needs someone's work.
OPEN = frozenset({ArrangementStatus.TO_ARRANGE, ArrangementStatus.REQUESTED})


class Volunteer(TimestampMixin, Base):
    """Someone who helps without being staff (drives, guides, reads aloud); kept with their
    consent, by the partner whose volunteer they are."""

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    can_help_with: Mapped[str] = mapped_column(Text, default="")
    #: When they agreed that we keep these details to ask them for help.
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)


class Arrangement(TimestampMixin, Base):
    """What the organisers did about one kind of need at one event."""

    __tablename__ = "arrangement"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[ArrangementKind] = mapped_column(enum_column(ArrangementKind))
    status: Mapped[ArrangementStatus] = mapped_column(
        enum_column(ArrangementStatus), default=ArrangementStatus.TO_ARRANGE
    )
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer.id", ondelete="SET NULL"))
    supplier: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    #: Why it cannot be arranged: the people who asked are told this.
    reason: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()
    responsible: Mapped[User | None] = relationship()
    volunteer: Mapped[Volunteer | None] = relationship()


class Pickup(Base):
    """What the driver needs for one person's ride; the place is the registration's."""

    __tablename__ = "pickup"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    pickup_at: Mapped[datetime | None]
    return_trip: Mapped[bool] = mapped_column(default=True)
    return_at: Mapped[datetime | None]
    accessible_vehicle: Mapped[bool] = mapped_column(default=False)
    driver_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    driver_volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")

    registration: Mapped[Registration] = relationship()
    driver_user: Mapped[User | None] = relationship()
    driver_volunteer: Mapped[Volunteer | None] = relationship()


class ArrangementDigest(Base):
    """A digest of open arrangements queued for an event, that many days before it: the
    primary key makes "once, however often the scheduler runs" a rule of the database."""

    __tablename__ = "arrangement_digest"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          primary_key=True)
    days_before: Mapped[int] = mapped_column(primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
