"""OpenAPI 3.1 path items and schemas of a trip's itinerary; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.events.models import StepFree

_REF = "#/components/schemas/"
_STAFF = [{"bearerAuth": []}]
_ID = {"type": "integer"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


def _text(length: int, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": length}
    if description:
        schema["description"] = description
    return schema


_DAY_FIELDS = {
    "day": {"type": "string", "format": "date", "description": "One of the trip's days"},
    "title_et": _text(200), "title_en": _text(200),
    "overnight_et": _text(300, "Where the group sleeps"), "overnight_en": _text(300),
}
_STOP_FIELDS = {
    "at": {"type": "string", "pattern": r"^\d{2}:\d{2}$",
           "description": "Wall-clock time at the stop, in its country's zone"},
    "place_et": _text(200), "place_en": _text(200), "address": _text(300),
    "country": {"type": "string", "pattern": "^[A-Za-z]{2}$",
                "description": "ISO 3166 alpha-2 code; gives the stop's time zone"},
    "map_url": {"type": "string", "format": "uri", "maxLength": 500},
    "host": _text(200, "The host organisation"),
    "learning_et": _text(4000, "The good practice seen or learned"), "learning_en": _text(4000),
    "transport_et": _text(300, "How the group gets there"), "transport_en": _text(300),
    "meals_et": _text(300), "meals_en": _text(300),
    "walking_m": {"type": ["integer", "null"], "minimum": 0, "maximum": 20000,
                  "description": "Metres on foot; null when not known"},
    "step_free": {"enum": [value.value for value in StepFree],
                  "description": "'unknown' when nobody has checked"},
    "access_note_et": _text(500), "access_note_en": _text(500),
}

ITINERARY_SCHEMAS: dict[str, Any] = {
    "TripDayInput": {"type": "object", "required": ["day"], "properties": _DAY_FIELDS,
                     "additionalProperties": False},
    "TripStopInput": {"type": "object", "required": ["at", "place_et", "country"],
                      "properties": _STOP_FIELDS, "additionalProperties": False},
    "TripStop": {"type": "object", "properties": {
        "id": _ID, **_STOP_FIELDS, "time_zone": {"type": "string", "description": "IANA zone"}}},
    "TripDay": {"type": "object", "properties": {
        "id": _ID, **_DAY_FIELDS,
        "stops": {"type": "array", "items": {"$ref": _REF + "TripStop"}}}},
    "Itinerary": {"type": "object", "properties": {
        "event_id": _ID, "days": {"type": "array", "items": {"$ref": _REF + "TripDay"}}}},
}

_EVENT = {"name": "event_id", "in": "path", "required": True, "schema": _ID}
_DAY = {"name": "day_id", "in": "path", "required": True, "schema": _ID}
_STOP = {"name": "stop_id", "in": "path", "required": True, "schema": _ID}
_DENIED = {"401": _error("No valid token"), "403": _error("Not allowed")}
_INVALID = {"422": _error("Some fields are not right")}


def _write(summary: str, operation: str, body: str | None, ok: str, answer: str | None,
           missing: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": answer or "Done"}
    if answer:
        response["content"] = _json(answer)
    item: dict[str, Any] = {
        "summary": summary, "operationId": operation, "security": _STAFF,
        "responses": {ok: response, **_DENIED, "404": _error(missing),
                      **(_INVALID if body else {})},
    }
    if body:
        item["requestBody"] = {"required": True, "content": _json(body)}
    return item


ITINERARY_PATHS: dict[str, Any] = {
    "/events/{event_id}/itinerary": {
        "parameters": [_EVENT],
        "get": {"summary": "A trip's itinerary day by day (public for published events)",
                "operationId": "getItinerary",
                "responses": {"200": {"description": "The itinerary",
                                      "content": _json("Itinerary")},
                              "404": _error("No such event")}},
    },
    "/events/{event_id}/itinerary/days": {
        "parameters": [_EVENT],
        "post": _write("Add a day (event managers)", "addTripDay", "TripDayInput", "201",
                       "TripDay", "No such event"),
    },
    "/events/{event_id}/itinerary/days/{day_id}": {
        "parameters": [_EVENT, _DAY],
        "put": _write("Change a day; its stops stay (event managers)", "replaceTripDay",
                      "TripDayInput", "200", "TripDay", "No such day"),
        "delete": _write("Remove a day with its stops (event managers)", "deleteTripDay",
                         None, "204", None, "No such day"),
    },
    "/events/{event_id}/itinerary/days/{day_id}/stops": {
        "parameters": [_EVENT, _DAY],
        "post": _write("Add a stop to a day (event managers)", "addTripStop", "TripStopInput",
                       "201", "TripStop", "No such day"),
    },
    "/events/{event_id}/itinerary/stops/{stop_id}": {
        "parameters": [_EVENT, _STOP],
        "put": _write("Change a stop (event managers)", "replaceTripStop", "TripStopInput",
                      "200", "TripStop", "No such stop"),
        "delete": _write("Remove a stop (event managers)", "deleteTripStop", None, "204", None,
                         "No such stop"),
    },
}
