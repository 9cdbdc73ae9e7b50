"""Events (held at a venue), their agenda, a trip's itinerary, and organisers' extra
questions."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from koosloome.accounts.models import Organisation
    from koosloome.venues.models import Venue


class EventKind(enum.StrEnum):
    """The project's three kinds of activity."""

    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    STUDY_TRIP = "study_trip"


class EventStatus(enum.StrEnum):
    """Lifecycle: draft → published → cancelled (a cancelled event stays for the record)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationMode(enum.StrEnum):
    """Open: first come, first served. Application: organisers approve each registration."""

    OPEN = "open"
    APPLICATION = "application"


class Event(TimestampMixin, Base):
    """A seminar, co-creation workshop or study trip that people register for."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window_ordered",
        ),
        CheckConstraint("revision >= 0", name="revision_not_negative"),
        CheckConstraint("reminder_days >= 0", name="reminder_days_not_negative"),
        CheckConstraint("offer_hours IS NULL OR offer_hours > 0", name="offer_hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.DRAFT, index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    co_organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    title_et: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_et: Mapped[str] = mapped_column(String(500), default="")
    summary_en: Mapped[str] = mapped_column(String(500), default="")
    #: A short text in plain language (lihtne keel) for readers who need it.
    easy_read_et: Mapped[str] = mapped_column(Text, default="")
    easy_read_en: Mapped[str] = mapped_column(Text, default="")
    description_et: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        enum_column(RegistrationMode), default=RegistrationMode.OPEN
    )
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    #: A freed or chosen seat is offered for this many hours before it goes to the next
    #: person; empty: it is given at once (the waiting list's plain promotion).
    offer_hours: Mapped[int | None]
    #: No offer runs past this (the trip's booking or payment cut-off).
    offer_cutoff_at: Mapped[datetime | None]
    #: What the trip costs per traveller, and the part the traveller pays (shown before
    #: they accept a place); empty when not stated.
    cost_per_person: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    own_contribution: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    #: Those who accept a place are asked for their travel details (a trip abroad).
    travel_details: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The carrier needs the travel document's number too (asked only then).
    travel_document_number: Mapped[bool] = mapped_column(default=False,
                                                         server_default=false())
    #: The staff member who leads the trip: they alone (and admins) see the travellers'
    #: emergency contacts.
    trip_leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: Raised on every change of time or place: the SEQUENCE of calendar invites.
    revision: Mapped[int] = mapped_column(default=0)
    reminder_days: Mapped[int] = mapped_column(default=2)
    feedback_url: Mapped[str] = mapped_column(String(500), default="")
    actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: Seats held by confirmed registrations and open offers, kept by triggers on
    #: ``registration`` (``registrations.seat_counter``); read it with the event locked.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    # Where: the venue's facts are kept once, on the venue. What belongs to this event alone
    # (its catering, notes such as the trip's bus with a lift, whom to call) is kept here.
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id"), index=True)
    catering_et: Mapped[str] = mapped_column(String(500), default="")
    catering_en: Mapped[str] = mapped_column(String(500), default="")
    access_notes_et: Mapped[str] = mapped_column(Text, default="")
    access_notes_en: Mapped[str] = mapped_column(Text, default="")
    access_contact_name: Mapped[str] = mapped_column(String(200), default="")
    access_contact_phone: Mapped[str] = mapped_column(String(40), default="")

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    # Loaded with the event: every page that shows an event shows where.
    venue: Mapped[Venue | None] = relationship(back_populates="events", lazy="joined")
    co_organiser: Mapped[Organisation | None] = relationship(foreign_keys=[co_organiser_id])
    questions: Mapped[list[ExtraQuestion]] = relationship(
        back_populates="event", order_by="ExtraQuestion.position", cascade="all, delete-orphan"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="event",
        order_by="(AgendaItem.starts_at, AgendaItem.id)",
        cascade="all, delete-orphan",
    )
    #: A study trip's days, each with its stops (empty for a one-place event).
    itinerary: Mapped[list[TripDay]] = relationship(
        back_populates="event", order_by="TripDay.day", cascade="all, delete-orphan"
    )

    @property
    def venue_name(self) -> str:
        """The venue's name in Estonian (calendars, lists for staff); pages show
        ``tr(event.venue, 'name')``."""
        return self.venue.name_et if self.venue is not None else ""

    @property
    def venue_address(self) -> str:
        """The venue's address."""
        return self.venue.address if self.venue is not None else ""

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class QuestionKind(enum.StrEnum):
    """The answer types organisers can ask for."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    DATE = "date"


class ExtraQuestion(Base):
    """A question an organiser adds to one event's registration form."""

    __tablename__ = "extra_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    label_et: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")
    help_et: Mapped[str] = mapped_column(String(500), default="")
    help_en: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    #: For choice questions: ``[{"value": "single", "et": "...", "en": "..."}]``.
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Answers deleted with the health data after the event (e.g. date of birth).
    sensitive: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="questions")


class AgendaItem(Base):
    """One item of the programme: shown on the event page, in the reminder and the evidence."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    title_et: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    speaker: Mapped[str] = mapped_column(String(200), default="")
    room_et: Mapped[str] = mapped_column(String(100), default="")
    room_en: Mapped[str] = mapped_column(String(100), default="", server_default="")

    event: Mapped[Event] = relationship(back_populates="agenda")


class StepFree(enum.StrEnum):
    """Whether a stop can be reached and moved around in without steps."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    #: Nobody has checked: said so, never guessed.
    UNKNOWN = "unknown"


class TripDay(Base):
    """One day of a study trip: a heading, where the group sleeps, and its stops."""

    __tablename__ = "trip_day"
    __table_args__ = (UniqueConstraint("event_id", "day", name="uq_trip_day_event_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: The calendar day where the group is (no zone: a day is a day wherever you are).
    day: Mapped[date]
    title_et: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    overnight_et: Mapped[str] = mapped_column(String(300), default="")
    overnight_en: Mapped[str] = mapped_column(String(300), default="")

    event: Mapped[Event] = relationship(back_populates="itinerary")
    stops: Mapped[list[TripStop]] = relationship(
        back_populates="trip_day", order_by="(TripStop.at, TripStop.id)",
        cascade="all, delete-orphan",
    )


class TripStop(Base):
    """A place the group visits on a day: who hosts, what is learned, how one gets there,
    and what walking and steps it asks of people."""

    __tablename__ = "trip_stop"
    __table_args__ = (
        CheckConstraint("walking_m IS NULL OR walking_m >= 0", name="walking_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("trip_day.id", ondelete="CASCADE"),
                                        index=True)
    #: Wall-clock time at the stop, in the zone of its country (a Swedish host's 10:00).
    at: Mapped[time]
    place_et: Mapped[str] = mapped_column(String(200))
    place_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: ISO 3166 code; gives the stop's time zone and the country's name in either language.
    country: Mapped[str] = mapped_column(String(2), default="EE")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    #: The good practice seen or learned there.
    learning_et: Mapped[str] = mapped_column(Text, default="")
    learning_en: Mapped[str] = mapped_column(Text, default="")
    #: How the group gets there from the stop before.
    transport_et: Mapped[str] = mapped_column(String(300), default="")
    transport_en: Mapped[str] = mapped_column(String(300), default="")
    meals_et: Mapped[str] = mapped_column(String(300), default="")
    meals_en: Mapped[str] = mapped_column(String(300), default="")
    #: Metres on foot at and to the stop; empty when not known.
    walking_m: Mapped[int | None]
    step_free: Mapped[StepFree] = mapped_column(enum_column(StepFree), default=StepFree.UNKNOWN)
    access_note_et: Mapped[str] = mapped_column(String(500), default="")
    access_note_en: Mapped[str] = mapped_column(String(500), default="")
    #: Written after the trip: what the group learned there (the trip report).
    learned_et: Mapped[str] = mapped_column(Text, default="", server_default="")
    learned_en: Mapped[str] = mapped_column(Text, default="", server_default="")

    trip_day: Mapped[TripDay] = relationship(back_populates="stops")
