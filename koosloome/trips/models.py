"""What a trip needs to know about a traveller, asked only after they accept their place and
deleted some days after the trip (``privacy purge``), apart from the health-data period."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from koosloome.db import Base, TimestampMixin, enum_column, utcnow
from koosloome.extensions import db

if TYPE_CHECKING:
    from koosloome.registrations.models import Registration


class DocumentType(enum.StrEnum):
    """The travel document someone goes with."""

    PASSPORT = "passport"
    ID_CARD = "id_card"


class RoomChoice(enum.StrEnum):
    """How someone wants to sleep."""

    SINGLE = "single"
    SHARED = "shared"
    EITHER = "either"


class TripReport(TimestampMixin, Base):
    """After the trip: what was learned, whom the group met and what the travellers will do
    next. Published, it is the trip's public "what we learned" page (no personal data: the
    contacts stay with the organisers and the evidence pack)."""

    __tablename__ = "trip_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          unique=True)
    summary_et: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    next_steps_et: Mapped[str] = mapped_column(Text, default="")
    next_steps_en: Mapped[str] = mapped_column(Text, default="")
    #: Organisations and people met, for following up (not published).
    contacts: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]


class TravelDetails(TimestampMixin, Base):
    """One traveller's details for the travel agency, the insurer and the trip leader."""

    __tablename__ = "travel_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    #: As written in the travel document (airlines refuse a name that differs).
    document_name: Mapped[str] = mapped_column(String(200))
    #: For the travel insurance.
    date_of_birth: Mapped[date]
    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType))
    document_expiry: Mapped[date]
    #: Only when the trip's carrier requires it (``Event.travel_document_number``).
    document_number: Mapped[str] = mapped_column(String(40), default="")
    emergency_name: Mapped[str] = mapped_column(String(200))
    emergency_phone: Mapped[str] = mapped_column(String(40))
    #: European Health Insurance Card: yes / no / not said.
    ehic: Mapped[bool | None]
    room: Mapped[RoomChoice] = mapped_column(enum_column(RoomChoice), default=RoomChoice.EITHER)
    room_with: Mapped[str] = mapped_column(String(200), default="")
    #: Seat or mobility needs on the bus (a front seat, the lift, a walker stowed).
    bus_needs: Mapped[str] = mapped_column(String(500), default="")
    diet: Mapped[str] = mapped_column(String(500), default="")


def asks_for_travel(registration: Registration) -> bool:
    """Whether the person is asked for travel details: a confirmed place on a trip that needs
    them and is not over (an offer not yet accepted is asked nothing)."""
    event = registration.event
    return bool(event.travel_details and registration.status.value == "confirmed"
                and event.ends_at > utcnow())


def travel_of(registration: Registration) -> TravelDetails | None:
    """The person's travel details, if given."""
    return db.session.scalars(select(TravelDetails).where(
        TravelDetails.registration_id == registration.id)).first()


def travel_values(details: TravelDetails) -> dict[str, object]:
    """The details as plain values (the API, and the person's own data download)."""
    return {
        "document_name": details.document_name,
        "date_of_birth": details.date_of_birth.isoformat(),
        "document_type": details.document_type.value,
        "document_expiry": details.document_expiry.isoformat(),
        "document_number": details.document_number,
        "emergency_name": details.emergency_name, "emergency_phone": details.emergency_phone,
        "ehic": details.ehic, "room": details.room.value, "room_with": details.room_with,
        "bus_needs": details.bus_needs, "diet": details.diet,
    }


def has_published_report(event_id: int) -> bool:
    """Whether the trip has a public "what we learned" page."""
    return db.session.scalar(select(TripReport.id).where(
        TripReport.event_id == event_id, TripReport.published_at.is_not(None))) is not None
