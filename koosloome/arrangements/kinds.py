"""Which stated need asks which arrangement of the organisers, and what each is called.

A description of the models, importing no service: messaging reads the labels to tell people
that something they asked for cannot be arranged.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from koosloome.arrangements.models import ArrangementKind as Kind
from koosloome.arrangements.models import ArrangementStatus as Status

#: need code → the arrangement that meets it (one interpreter serves everyone who asked).
NEED_KIND = {
    "wheelchair": Kind.STEP_FREE,
    "walker": Kind.STEP_FREE,
    "step_free": Kind.STEP_FREE,
    "front_seat": Kind.FRONT_SEATS,
    "assistance_dog": Kind.ASSISTANCE_DOG,
    "sign_language": Kind.SIGN_LANGUAGE,
    "captions": Kind.CAPTIONS,
    "hearing_loop": Kind.HEARING_LOOP,
    "large_print": Kind.LARGE_PRINT,
    "easy_read": Kind.EASY_READ,
    "braille": Kind.BRAILLE,
    "files_in_advance": Kind.FILES_IN_ADVANCE,
    "audio_description": Kind.AUDIO_DESCRIPTION,
    "quiet_room": Kind.QUIET_ROOM,
    "rest_breaks": Kind.REST_BREAKS,
    "vegetarian": Kind.CATERING,
    "vegan": Kind.CATERING,
    "gluten_free": Kind.CATERING,
    "lactose_free": Kind.CATERING,
}

KIND_LABELS = {
    Kind.SIGN_LANGUAGE: _l("Sign-language interpreter"),
    Kind.CAPTIONS: _l("Captioner (speech-to-text)"),
    Kind.HEARING_LOOP: _l("Hearing loop"),
    Kind.STEP_FREE: _l("Step-free route and wheelchair spaces"),
    Kind.FRONT_SEATS: _l("Seats kept free at the front"),
    Kind.ASSISTANCE_DOG: _l("A place and water for assistance dogs"),
    Kind.LARGE_PRINT: _l("Materials in large print"),
    Kind.EASY_READ: _l("Materials in easy-to-read language"),
    Kind.BRAILLE: _l("Materials in Braille"),
    Kind.FILES_IN_ADVANCE: _l("Files sent in advance"),
    Kind.AUDIO_DESCRIPTION: _l("Audio description"),
    Kind.QUIET_ROOM: _l("A quiet room"),
    Kind.REST_BREAKS: _l("Rest breaks in the programme"),
    Kind.CATERING: _l("Diets and allergies (for the caterer)"),
    Kind.TRANSPORT: _l("Transport from home"),
}

STATUS_LABELS = {
    Status.TO_ARRANGE: _l("To arrange"),
    Status.REQUESTED: _l("Requested"),
    Status.CONFIRMED: _l("Confirmed"),
    Status.DONE: _l("Done"),
    Status.IMPOSSIBLE: _l("Cannot be arranged"),
}


def kinds_of_needs(codes: set[str], allergies: str, transport: bool) -> set[Kind]:
    """The arrangements one person's stated needs ask for."""
    kinds = {NEED_KIND[code] for code in codes if code in NEED_KIND}
    if allergies.strip():
        kinds.add(Kind.CATERING)
    if transport:
        kinds.add(Kind.TRANSPORT)
    return kinds
