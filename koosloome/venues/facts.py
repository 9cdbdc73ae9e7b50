"""The venue's accessibility facts as label/value pairs, for pages, emails and invites."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from koosloome.bilingual import localised
from koosloome.venues.models import Entrance, HearingLoop, Venue


@dataclass(frozen=True)
class Fact:
    """One statement about the venue, e.g. ("Lift", "Yes")."""

    label: str
    value: str


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return _("Yes") if value else _("No")


def _metres(value: int | None) -> str:
    return _("%(metres)s m", metres=value) if value is not None else ""


def _entrance(venue: Venue) -> str | None:
    if venue.entrance is None:
        return None
    if venue.entrance is Entrance.LEVEL:
        return _("Level entrance, no steps")
    if venue.entrance is Entrance.RAMP:
        return _("Ramp at the entrance")
    steps = venue.entrance_steps or 0
    return ngettext(
        "%(num)d step at the entrance, no ramp", "%(num)d steps at the entrance, no ramp", steps
    )


def _hearing_loop(value: HearingLoop | None) -> str | None:
    return {
        None: None,
        HearingLoop.NONE: _("No"),
        HearingLoop.FIXED: _("Yes, fixed in the room"),
        HearingLoop.PORTABLE: _("Yes, portable"),
    }[value]


def _parking(venue: Venue) -> str | None:
    if venue.accessible_parking_spaces is None:
        return None
    if venue.accessible_parking_spaces == 0:
        return _("None")
    text = ngettext(
        "%(num)d space", "%(num)d spaces", venue.accessible_parking_spaces
    )
    if venue.accessible_parking_distance_m is not None:
        text += ", " + _(
            "%(metres)s m from the entrance", metres=venue.accessible_parking_distance_m
        )
    return text


def _transit(venue: Venue, language: str) -> str | None:
    stop = localised(venue, "transit_stop", language)
    if not stop:
        return None
    if venue.transit_stop_distance_m is None:
        return stop
    return f"{stop} ({_metres(venue.transit_stop_distance_m)})"


def _door(venue: Venue) -> str | None:
    if venue.door_width_cm is not None:
        door = _("%(cm)s cm wide", cm=venue.door_width_cm)
        if venue.automatic_door:
            door += ", " + _("opens automatically")
        return door
    if venue.automatic_door is not None:
        return _("Opens automatically") if venue.automatic_door else _("Opened by hand")
    return None


def place_facts(venue: Venue, language: str) -> list[tuple[str, str | None]]:
    """The place's own facts, in a fixed order (None where unknown)."""
    return [
        (_("Nearest public-transport stop"), _transit(venue, language)),
        (_("Drop-off point"), localised(venue, "dropoff_point", language) or None),
        (_("Accessible parking"), _parking(venue)),
        (_("Entrance"), _entrance(venue)),
        (_("Door"), _door(venue)),
        (_("Lift"), _yes_no(venue.lift)),
        (_("All rooms used are step-free"), _yes_no(venue.step_free_rooms)),
        (_("Accessible toilet"), _yes_no(venue.accessible_wc)),
        (_("Chairs with armrests"), _yes_no(venue.seats_with_armrests)),
        (
            _("Spaces for wheelchair users"),
            str(venue.wheelchair_spaces) if venue.wheelchair_spaces is not None else None,
        ),
        (_("Hearing loop"), _hearing_loop(venue.hearing_loop)),
        (_("Quiet room"), _yes_no(venue.quiet_room)),
        (_("Relief area for assistance dogs"), _yes_no(venue.assistance_dog_area)),
        (_("Evacuation of people with disabilities"),
         localised(venue, "evacuation", language) or None),
    ]
