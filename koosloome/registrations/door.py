"""What the door staff must know to welcome someone: a few needs, in their words, nothing else.

The check-in list is open on a phone at the entrance, often held by a volunteer. It shows only
what changes how a person is welcomed (a space for a wheelchair, a seat by the interpreter or
in the hearing loop, a dog), never diets, medication or notes; every view is audited like any
read of health data.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from koosloome.registrations.models import Registration

#: need code → what the door staff are told
DOOR_NEEDS = {
    "wheelchair": _l("Wheelchair: keep a space free"),
    "walker": _l("Walking aid"),
    "step_free": _l("Step-free route"),
    "front_seat": _l("Front seat"),
    "assistance_dog": _l("Assistance dog"),
    "sign_language": _l("Seat by the sign-language interpreter"),
    "captions": _l("Seat where the captions can be read"),
    "hearing_loop": _l("Seat in the hearing loop"),
}


def door_needs(registration: Registration) -> list[str]:
    """The person's needs the door staff must know, in a fixed order."""
    codes = registration.need_codes
    return [str(label) for code, label in DOOR_NEEDS.items() if code in codes]
