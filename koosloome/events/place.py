"""Where an event is, as people read it: its venue's facts with the event's own (catering,
notes such as a trip's bus with a lift), and the place named in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from koosloome.bilingual import localised
from koosloome.events.models import Event
from koosloome.venues.facts import Fact, place_facts


def venue_facts(event: Event, language: str) -> list[Fact]:
    """The facts known about the event's venue, and its catering; unknown ones left out."""
    candidates = place_facts(event.venue, language) if event.venue is not None else []
    candidates.append((_("Catering"), localised(event, "catering", language) or None))
    return [Fact(label, value) for label, value in candidates if value]


def access_notes(event: Event, language: str) -> str:
    """The honest notes about the place and about this event, in ``language``."""
    parts = [localised(event.venue, "access_notes", language) if event.venue else "",
             localised(event, "access_notes", language)]
    return "\n\n".join(part for part in parts if part)


def venue_label(event: Event, language: str) -> str:
    """"Name, address" of the event's venue, the name in ``language``."""
    if event.venue is None:
        return ""
    name = localised(event.venue, "name", language)
    return ", ".join(part for part in (name, event.venue.address) if part)
