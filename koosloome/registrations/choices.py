"""Choice lists of the registration form (DOMAIN.md): counties, municipalities, sectors, needs.

Codes are stored; labels are translated when shown. Municipality names are proper names and
stay in Estonian.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

COUNTIES = (
    ("harju", _l("Harju County")),
    ("hiiu", _l("Hiiu County")),
    ("ida-viru", _l("Ida-Viru County")),
    ("jogeva", _l("Jõgeva County")),
    ("jarva", _l("Järva County")),
    ("laane", _l("Lääne County")),
    ("laane-viru", _l("Lääne-Viru County")),
    ("polva", _l("Põlva County")),
    ("parnu", _l("Pärnu County")),
    ("rapla", _l("Rapla County")),
    ("saare", _l("Saare County")),
    ("tartu", _l("Tartu County")),
    ("valga", _l("Valga County")),
    ("viljandi", _l("Viljandi County")),
    ("voru", _l("Võru County")),
    ("abroad", _l("Outside Estonia")),
)

MUNICIPALITIES = {
    "voru": ("Antsla vald", "Rõuge vald", "Setomaa vald", "Võru linn", "Võru vald"),
    "tartu": (
        "Elva vald",
        "Kambja vald",
        "Kastre vald",
        "Luunja vald",
        "Nõo vald",
        "Peipsiääre vald",
        "Tartu linn",
        "Tartu vald",
    ),
}

SECTORS = (
    ("community", _l("Community or NGO")),
    ("entrepreneur", _l("Entrepreneur")),
    ("local_government", _l("Local government")),
    ("development", _l("Development organisation")),
    ("private", _l("Private person")),
    ("other", _l("Other")),
)


@dataclass(frozen=True)
class Need:
    """One checkbox of the access-needs section."""

    code: str
    group: str
    label: LazyString


#: Groups in the order the form shows them.
NEED_GROUPS = (
    ("mobility", _l("Moving around")),
    ("communication", _l("Hearing and communication")),
    ("materials", _l("Seeing and reading")),
    ("wellbeing", _l("Breaks and quiet")),
    ("diet", _l("Food")),
)

NEEDS = (
    Need("wheelchair", "mobility", _l("I use a wheelchair")),
    Need("walker", "mobility", _l("I use a walker or a cane")),
    Need("step_free", "mobility", _l("I need a step-free route")),
    Need("front_seat", "mobility", _l("A seat near the front")),
    Need("assistance_dog", "mobility", _l("I come with a guide or assistance dog")),
    Need("sign_language", "communication", _l("Estonian Sign Language interpreter")),
    Need("captions", "communication", _l("Speech-to-text (live captions)")),
    Need("hearing_loop", "communication", _l("Hearing loop")),
    Need("large_print", "materials", _l("Materials in large print")),
    Need("easy_read", "materials", _l("Materials in easy-to-read language")),
    Need("files_in_advance", "materials", _l("Screen-reader-friendly files by e-mail in advance")),
    Need("braille", "materials", _l("Materials in Braille")),
    Need("audio_description", "materials", _l("Audio description")),
    Need("quiet_room", "wellbeing", _l("A quiet room")),
    Need("rest_breaks", "wellbeing", _l("Rest breaks")),
    Need("medication", "wellbeing", _l("Taking medication at set times")),
    Need("vegetarian", "diet", _l("Vegetarian")),
    Need("vegan", "diet", _l("Vegan")),
    Need("gluten_free", "diet", _l("Gluten-free")),
    Need("lactose_free", "diet", _l("Lactose-free")),
)
NEED_CODES = frozenset(need.code for need in NEEDS)

GENDERS = (
    ("female", _l("Woman")),
    ("male", _l("Man")),
    ("other", _l("In another way")),
)

#: The project's target group is older people, so the older bands are finer (issue 17.5).
AGE_BANDS = (
    ("under_25", _l("Under 25")),
    ("25_54", _l("25–54")),
    ("55_64", _l("55–64")),
    ("65_74", _l("65–74")),
    ("75_84", _l("75–84")),
    ("85_plus", _l("85 or older")),
)
#: Answers to the earlier question that no current band holds exactly (18–29 spans "under 25"
#: and "25–54"; "55 or older" any of four): kept as given, never offered to new registrants.
#: Migration 0010 moved the others (under 18 → under 25, 30–54 → 25–54).
EARLIER_AGE_BANDS = (
    ("18_29", _l("18–29 (earlier question)")),
    ("55_plus", _l("55 or older (earlier question)")),
)
ALL_AGE_BANDS = AGE_BANDS + EARLIER_AGE_BANDS

LANGUAGE_CHOICES = (("et", "Eesti keel"), ("en", "English"))
