"""The demo's venues and their access facts: two checked, three only on record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.venues.models import VENUE_FIELDS, Entrance, HearingLoop, Venue

#: The demo's venues, each with its own facts. A fact nobody has checked is left empty (the
#: pages then say so and ask people to call) rather than borrowed from another place.
VENUES: dict[str, dict[str, Any]] = {
    "kannel": {
        "name_et": "Võru Kultuurimaja Kannel",
        "name_en": "Võru Culture House Kannel",
        "address": "Liiva 13, 65609 Võru",
        "county": "voru",
        "map_url": "https://www.openstreetmap.org/search?query=Liiva%2013%2C%20V%C3%B5ru",
        "transit_stop_et": "Võru bussijaam",
        "transit_stop_en": "Võru bus station",
        "transit_stop_distance_m": 450,
        "dropoff_point_et": "Peaukse ees, Liiva tänaval",
        "dropoff_point_en": "At the main door, on Liiva street",
        "accessible_parking_spaces": 2,
        "accessible_parking_distance_m": 15,
        "entrance": Entrance.RAMP,
        "door_width_cm": 90,
        "automatic_door": True,
        "lift": True,
        "step_free_rooms": True,
        "accessible_wc": True,
        "seats_with_armrests": True,
        "wheelchair_spaces": 4,
        "hearing_loop": HearingLoop.FIXED,
        "quiet_room": True,
        "assistance_dog_area": True,
        "evacuation_et": "Evakuatsioonitool teisel korrusel; töötajad on juhendatud.",
        "evacuation_en": "Evacuation chair on the first floor; staff are trained to use it.",
        "facts_checked_by": "Kadri Kuusk, Võrumaa Partnerluskogu",
    },
    "loomemajandus": {
        "name_et": "Tartu Loomemajanduskeskus",
        "name_en": "Tartu Centre for Creative Industries",
        "address": "Kastani 42, 50410 Tartu",
        "county": "tartu",
        "transit_stop_et": "Kastani",
        "transit_stop_en": "Kastani",
        "transit_stop_distance_m": 120,
        "accessible_parking_spaces": 1,
        "accessible_parking_distance_m": 30,
        "entrance": Entrance.STEPS,
        "entrance_steps": 2,
        "door_width_cm": 85,
        "automatic_door": False,
        "lift": False,
        "step_free_rooms": False,
        "accessible_wc": True,
        "seats_with_armrests": False,
        "wheelchair_spaces": 2,
        "hearing_loop": HearingLoop.PORTABLE,
        "quiet_room": False,
        "access_notes_et": "Sissepääsus on 2 astet ja kaldteed ei ole; abi saamiseks helistage "
        "eelnevalt. Seminariruum on esimesel korrusel.",
        "access_notes_en": "There are 2 steps at the entrance and no ramp; call ahead and we "
        "will help. The seminar room is on the ground floor.",
        "facts_checked_by": "Tiina Saar, Tartumaa Arendusselts",
    },
    # Not yet visited: only what is on record (name and address); the pages say that
    # nobody has checked the rest.
    "rouge": {
        "name_et": "Rõuge rahvamaja",
        "name_en": "Rõuge community house",
        "address": "Haani tee 1, Rõuge",
        "county": "voru",
    },
    "elva": {
        "name_et": "Elva Kultuurimaja",
        "name_en": "Elva Culture House",
        "address": "Kesk 1, Elva",
        "county": "tartu",
    },
    "tartu-bussijaam": {
        "name_et": "Tartu bussijaam (väljumine)",
        "name_en": "Tartu bus station (departure)",
        "address": "Soola 2, Tartu",
        "county": "tartu",
    },
}
#: How long ago the checked venues were visited (the demo's dates are relative to today).
CHECKED_DAYS_AGO = 20


def ensure_venues() -> dict[str, Venue]:
    """The demo's venues, looked up by name (created once)."""
    venues: dict[str, Venue] = {}
    checked_on = (utcnow() - timedelta(days=CHECKED_DAYS_AGO)).date()
    for key, spec in VENUES.items():
        venue = db.session.scalars(select(Venue).where(Venue.name_et == spec["name_et"])).first()
        if venue is None:
            venue = Venue(name_et=spec["name_et"])
            db.session.add(venue)
        # The demo's facts are its own: a database migrated from when events carried
        # (and copied) them gets these, not the copies.
        for name in VENUE_FIELDS:
            empty = None if Venue.__table__.columns[name].nullable else ""
            setattr(venue, name, spec.get(name, empty))
        if spec.get("facts_checked_by"):
            venue.facts_checked_on = venue.facts_checked_on or checked_on
        venues[key] = venue
    return venues
