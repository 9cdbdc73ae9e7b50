"""The needs overview of an event: counts for the venue and catering, the named list for
those allowed, and the transport list for the driver. Pure functions over loaded data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from koosloome.registrations.choices import NEEDS
from koosloome.registrations.models import Registration
from koosloome.reports.labels import NEED_LABELS

#: How a count reads for planners: "Wheelchair users: 2" rather than "I use a wheelchair".
COUNT_LABELS: dict[str, LazyString] = {
    "wheelchair": _l("Wheelchair users"),
    "walker": _l("Walker or cane users"),
    "step_free": _l("Need a step-free route"),
    "front_seat": _l("Seat near the front"),
    "assistance_dog": _l("Guide or assistance dogs"),
    "sign_language": _l("Estonian Sign Language interpreter"),
    "captions": _l("Speech-to-text (live captions)"),
    "hearing_loop": _l("Hearing loop"),
    "large_print": _l("Materials in large print"),
    "easy_read": _l("Materials in easy-to-read language"),
    "files_in_advance": _l("Screen-reader-friendly files by e-mail in advance"),
    "braille": _l("Materials in Braille"),
    "audio_description": _l("Audio description"),
    "quiet_room": _l("A quiet room"),
    "rest_breaks": _l("Rest breaks"),
    "medication": _l("Taking medication at set times"),
    "vegetarian": _l("Vegetarian"),
    "vegan": _l("Vegan"),
    "gluten_free": _l("Gluten-free"),
    "lactose_free": _l("Lactose-free"),
}
DIET_CODES = frozenset(need.code for need in NEEDS if need.group == "diet")


@dataclass(frozen=True)
class CountLine:
    """One line of the overview: what, and for how many people."""

    code: str
    label: LazyString
    count: int


@dataclass
class NeedsSummary:
    """Minimised counts: no names, nothing that identifies anyone."""

    people: int = 0
    seats: int = 0
    venue: list[CountLine] = field(default_factory=list)
    catering: list[CountLine] = field(default_factory=list)
    allergies: int = 0
    companions: int = 0
    transport: int = 0
    transport_wheelchair: int = 0
    other_notes: int = 0
    phone_me: int = 0


@dataclass(frozen=True)
class PersonNeeds:
    """One line of the named list."""

    name: str
    phone: str
    needs: list[str]
    note: str
    allergies: str
    companion: str
    transport: bool
    phone_me: bool


@dataclass(frozen=True)
class TransportRow:
    """What the driver needs to know, and nothing more."""

    name: str
    phone: str
    pickup: str
    companion: bool
    wheelchair: bool


def summarise(registrations: Iterable[Registration], needs: dict[int, set[str]]) -> NeedsSummary:
    """Count needs, diets, companions and transport among the given registrations."""
    summary = NeedsSummary()
    counts: Counter[str] = Counter()
    for reg in registrations:
        summary.people += 1
        summary.seats += reg.seats
        counts.update(needs.get(reg.id, ()))
        summary.allergies += bool(reg.allergies.strip())
        summary.companions += reg.companion
        summary.transport += reg.transport_needed
        summary.transport_wheelchair += reg.transport_needed and reg.transport_wheelchair
        summary.other_notes += bool(reg.needs_note.strip())
        summary.phone_me += reg.phone_me
    for need in NEEDS:
        if counts[need.code]:
            line = CountLine(need.code, COUNT_LABELS[need.code], counts[need.code])
            (summary.catering if need.code in DIET_CODES else summary.venue).append(line)
    return summary


def named_list(registrations: Iterable[Registration],
               needs: dict[int, set[str]]) -> list[PersonNeeds]:
    """Everyone who told us of a need, a diet, a companion or transport, with the details."""
    order = {need.code: index for index, need in enumerate(NEEDS)}
    people = []
    for reg in registrations:
        codes = sorted(needs.get(reg.id, ()), key=lambda code: order.get(code, 99))
        if not (codes or reg.needs_note or reg.allergies or reg.companion
                or reg.transport_needed or reg.phone_me):
            continue
        people.append(PersonNeeds(
            name=reg.name,
            phone=reg.phone or "",
            needs=[str(NEED_LABELS.get(code, code)) for code in codes],
            note=reg.needs_note,
            allergies=reg.allergies,
            companion=" – ".join(filter(None, (reg.companion_name or "✓", reg.companion_needs)))
            if reg.companion else "",
            transport=reg.transport_needed,
            phone_me=reg.phone_me,
        ))
    return people


def transport_list(registrations: Iterable[Registration]) -> list[TransportRow]:
    """The pick-ups, ordered by place so that a driver can plan the route."""
    rows = [
        TransportRow(reg.name, reg.phone or "", reg.transport_pickup, reg.companion,
                     reg.transport_wheelchair)
        for reg in registrations
        if reg.transport_needed
    ]
    return sorted(rows, key=lambda row: (row.pickup.casefold(), row.name.casefold()))
