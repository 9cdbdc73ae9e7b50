"""OpenAPI 3.1 path items and schemas of /api/v1/venues; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.registrations.choices import COUNTIES
from koosloome.venues.models import VENUE_FIELDS

_REF = "#/components/schemas/"
_STAFF = [{"bearerAuth": []}]
_VENUE_ID = {"name": "venue_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_COUNTS = {"transit_stop_distance_m", "accessible_parking_spaces",
           "accessible_parking_distance_m", "entrance_steps", "door_width_cm",
           "wheelchair_spaces"}
_FLAGS = {"automatic_door", "lift", "step_free_rooms", "accessible_wc", "seats_with_armrests",
          "quiet_room", "assistance_dog_area"}
_LIMITS = {"name_et": 200, "name_en": 200, "address": 300, "map_url": 500,
           "transit_stop_et": 200, "transit_stop_en": 200, "dropoff_point_et": 300,
           "dropoff_point_en": 300, "evacuation_et": 500, "evacuation_en": 500,
           "access_notes_et": 5000, "access_notes_en": 5000, "facts_checked_by": 200}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


def _fact(name: str) -> dict[str, Any]:
    if name in _COUNTS:
        return {"type": ["integer", "null"], "minimum": 0}
    if name in _FLAGS:
        return {"type": ["boolean", "null"], "description": "null: not known"}
    if name == "entrance":
        return {"enum": ["level", "ramp", "steps", None]}
    if name == "hearing_loop":
        return {"enum": ["none", "fixed", "portable", None]}
    if name == "county":
        return {"enum": [*(code for code, _label in COUNTIES), None],
                "description": "The county the venue is in (null: not stated); "
                "GET /events filters by it"}
    if name == "facts_checked_on":
        return {"type": ["string", "null"], "format": "date",
                "description": "When the facts were last checked on the spot"}
    return {"type": "string", "maxLength": _LIMITS[name]}


def _venue() -> dict[str, Any]:
    properties = {"id": {"type": "integer"}, **{name: _fact(name) for name in VENUE_FIELDS}}
    return {"type": "object", "required": ["id", "name_et", "address"],
            "properties": properties}


def _venue_input(required: list[str]) -> dict[str, Any]:
    return {"type": "object", "required": required, "additionalProperties": False,
            "properties": {name: _fact(name) for name in VENUE_FIELDS}}


VENUE_SCHEMAS: dict[str, Any] = {
    "Venue": _venue(),
    "VenueCreate": _venue_input(["name_et"]),
    "VenueUpdate": _venue_input([]),
}

_VENUE_LIST = {"type": "object", "properties": {
    "venues": {"type": "array", "items": {"$ref": _REF + "Venue"}}}}

VENUE_PATHS: dict[str, Any] = {
    "/venues": {
        "get": {"summary": "Venues and their accessibility facts", "operationId": "listVenues",
                "responses": {"200": {"description": "Venues",
                                      "content": {"application/json": {
                                          "schema": _VENUE_LIST}}}}},
        "post": {"summary": "Add a venue (organisers)", "operationId": "createVenue",
                 "security": _STAFF,
                 "requestBody": {"required": True, "content": _json("VenueCreate")},
                 "responses": {"201": {"description": "Created", "content": _json("Venue")},
                               "400": _error("Not a JSON object"),
                               "401": _error("No valid token"),
                               "403": _error("Not an organiser"),
                               "422": _error("Invalid fields")}},
    },
    "/venues/{venue_id}": {
        "parameters": [_VENUE_ID],
        "get": {"summary": "One venue", "operationId": "getVenue",
                "responses": {"200": {"description": "The venue", "content": _json("Venue")},
                              "404": _error("No such venue")}},
        "patch": {"summary": "Change a venue's facts, for every event there (organisers)",
                  "operationId": "updateVenue", "security": _STAFF,
                  "requestBody": {"required": True, "content": _json("VenueUpdate")},
                  "responses": {"200": {"description": "Changed", "content": _json("Venue")},
                                "400": _error("Not a JSON object"),
                                "401": _error("No valid token"),
                                "403": _error("Not an organiser"),
                                "404": _error("No such venue"),
                                "422": _error("Invalid fields")}},
    },
}
