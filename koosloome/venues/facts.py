"""The venue's accessibility facts as label/value pairs, for pages, emails and invites."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from koosloome.bilingual import localised
from koosloome.events.models import Entrance, Event, HearingLoop


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


def _entrance(event: Event) -> str | None:
    if event.entrance is None:
        return None
    if event.entrance is Entrance.LEVEL:
        return _("Level entrance, no steps")
    if event.entrance is Entrance.RAMP:
        return _("Ramp at the entrance")
    steps = event.entrance_steps or 0
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


def _parking(event: Event) -> str | None:
    if event.accessible_parking_spaces is None:
        return None
    if event.accessible_parking_spaces == 0:
        return _("None")
    text = ngettext(
        "%(num)d space", "%(num)d spaces", event.accessible_parking_spaces
    )
    if event.accessible_parking_distance_m is not None:
        text += ", " + _(
            "%(metres)s m from the entrance", metres=event.accessible_parking_distance_m
        )
    return text


def _transit(event: Event) -> str | None:
    if not event.transit_stop:
        return None
    if event.transit_stop_distance_m is None:
        return event.transit_stop
    return f"{event.transit_stop} ({_metres(event.transit_stop_distance_m)})"


def venue_facts(event: Event, language: str) -> list[Fact]:
    """The facts the organiser has filled in, in a fixed order; unknown ones are left out."""
    door = None
    if event.door_width_cm is not None:
        door = _("%(cm)s cm wide", cm=event.door_width_cm)
        if event.automatic_door:
            door += ", " + _("opens automatically")
    elif event.automatic_door is not None:
        door = _("Opens automatically") if event.automatic_door else _("Opened by hand")
    candidates = [
        (_("Nearest public-transport stop"), _transit(event)),
        (_("Drop-off point"), event.dropoff_point or None),
        (_("Accessible parking"), _parking(event)),
        (_("Entrance"), _entrance(event)),
        (_("Door"), door),
        (_("Lift"), _yes_no(event.lift)),
        (_("All rooms used are step-free"), _yes_no(event.step_free_rooms)),
        (_("Accessible toilet"), _yes_no(event.accessible_wc)),
        (_("Chairs with armrests"), _yes_no(event.seats_with_armrests)),
        (
            _("Spaces for wheelchair users"),
            str(event.wheelchair_spaces) if event.wheelchair_spaces is not None else None,
        ),
        (_("Hearing loop"), _hearing_loop(event.hearing_loop)),
        (_("Quiet room"), _yes_no(event.quiet_room)),
        (_("Relief area for assistance dogs"), _yes_no(event.assistance_dog_area)),
        (_("Catering"), localised(event, "catering", language) or None),
        (_("Evacuation of people with disabilities"),
         localised(event, "evacuation", language) or None),
    ]
    return [Fact(label, value) for label, value in candidates if value]
