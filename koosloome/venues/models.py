"""Venues: a place's accessibility facts, kept once and chosen by every event held there."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from koosloome.db import Base, TimestampMixin, enum_column


class Entrance(enum.StrEnum):
    """How one gets through the main entrance."""

    LEVEL = "level"
    RAMP = "ramp"
    STEPS = "steps"


class HearingLoop(enum.StrEnum):
    """Induction loop in the rooms used."""

    NONE = "none"
    FIXED = "fixed"
    PORTABLE = "portable"


class Venue(TimestampMixin, Base):
    """A place events are held at, and what a person needs to know to decide whether they can
    get there, in and around. Facts left empty are unknown and are not shown."""

    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_et: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: The county's code (``registrations.choices.COUNTIES``): the public list of events
    #: filters by it. Empty: not stated (the event is then found without that filter only).
    county: Mapped[str | None] = mapped_column(String(30))
    map_url: Mapped[str] = mapped_column(String(500), default="")
    transit_stop_et: Mapped[str] = mapped_column(String(200), default="")
    transit_stop_en: Mapped[str] = mapped_column(String(200), default="")
    transit_stop_distance_m: Mapped[int | None]
    dropoff_point_et: Mapped[str] = mapped_column(String(300), default="")
    dropoff_point_en: Mapped[str] = mapped_column(String(300), default="")
    accessible_parking_spaces: Mapped[int | None]
    accessible_parking_distance_m: Mapped[int | None]
    entrance: Mapped[Entrance | None] = mapped_column(enum_column(Entrance))
    entrance_steps: Mapped[int | None]
    door_width_cm: Mapped[int | None]
    automatic_door: Mapped[bool | None]
    lift: Mapped[bool | None]
    step_free_rooms: Mapped[bool | None]
    accessible_wc: Mapped[bool | None]
    seats_with_armrests: Mapped[bool | None]
    wheelchair_spaces: Mapped[int | None]
    hearing_loop: Mapped[HearingLoop | None] = mapped_column(enum_column(HearingLoop))
    quiet_room: Mapped[bool | None]
    assistance_dog_area: Mapped[bool | None]
    evacuation_et: Mapped[str] = mapped_column(String(500), default="")
    evacuation_en: Mapped[str] = mapped_column(String(500), default="")
    #: Honest notes about the place: shortcomings, walking distances, where help is.
    access_notes_et: Mapped[str] = mapped_column(Text, default="")
    access_notes_en: Mapped[str] = mapped_column(Text, default="")
    #: When the facts were last checked on the spot, and by whom (shown on event pages).
    facts_checked_on: Mapped[date | None]
    facts_checked_by: Mapped[str] = mapped_column(String(200), default="")

    #: Every event held here. Named, not imported: venues sit below events, and know of
    #: them only through this relationship (for counting).
    events: Mapped[list[Any]] = relationship("Event", back_populates="venue",
                                             lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Venue {self.name_et}>"


#: The venue's facts a form or the API sets (everything but its id and timestamps).
VENUE_FIELDS = (
    "name_et", "name_en", "address", "county", "map_url", "transit_stop_et", "transit_stop_en",
    "transit_stop_distance_m", "dropoff_point_et", "dropoff_point_en",
    "accessible_parking_spaces", "accessible_parking_distance_m", "entrance", "entrance_steps",
    "door_width_cm", "automatic_door", "lift", "step_free_rooms", "accessible_wc",
    "seats_with_armrests", "wheelchair_spaces", "hearing_loop", "quiet_room",
    "assistance_dog_area", "evacuation_et", "evacuation_en", "access_notes_et",
    "access_notes_en", "facts_checked_on", "facts_checked_by",
)
