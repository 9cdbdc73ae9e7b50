"""OpenAPI 3.1 path items and schemas of arrangements and volunteers; merged into
/api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.arrangements.models import ArrangementKind, ArrangementStatus

_REF = "#/components/schemas/"
_STAFF = [{"bearerAuth": []}]
_EVENT_ID = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_KIND = {"name": "kind", "in": "path", "required": True,
         "schema": {"enum": [kind.value for kind in ArrangementKind]}}
_STATUS = {"enum": [status.value for status in ArrangementStatus]}
_ID_OR_NULL = {"type": ["integer", "null"]}
_DECIMAL = {"type": ["string", "null"], "pattern": r"^\d{1,8}(\.\d{1,2})?$",
            "description": "Euros, as text: '120.50'"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_ERRORS = {"401": _error("No valid token"), "403": _error("Not allowed")}

ARRANGEMENT_SCHEMAS: dict[str, Any] = {
    "Arrangement": {
        "type": "object",
        "required": ["kind", "people", "waiting", "status"],
        "properties": {
            "kind": {"enum": [kind.value for kind in ArrangementKind]},
            "label_et": {"type": "string"}, "label_en": {"type": "string"},
            "people": {"type": "integer", "description": "Asked for it, holding or awaiting "
                                                         "a seat"},
            "waiting": {"type": "integer", "description": "Asked for it, on the waiting list"},
            "status": _STATUS,
            "responsible": {"type": ["object", "null"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}}},
            "volunteer_id": _ID_OR_NULL,
            "supplier": {"type": "string"},
            "cost": {"type": ["string", "null"]},
            "note": {"type": "string"},
            "reason": {"type": "string"},
        },
    },
    "Arrangements": {
        "type": "object",
        "properties": {
            "event_id": {"type": "integer"},
            "progress": {"type": "object", "properties": {
                name: {"type": "integer"} for name in ("arranged", "total", "open", "impossible")
            }},
            "arrangements": {"type": "array", "items": {"$ref": _REF + "Arrangement"}},
        },
    },
    "ArrangementUpdate": {
        "type": "object",
        "additionalProperties": False,
        "description": "Only the fields sent change (null empties one). Status 'impossible' "
                       "needs a reason; the people who asked are then told in their language.",
        "properties": {
            "status": _STATUS,
            "reason": {"type": ["string", "null"], "maxLength": 1000},
            "responsible_id": _ID_OR_NULL,
            "volunteer_id": _ID_OR_NULL,
            "supplier": {"type": ["string", "null"], "maxLength": 200},
            "cost": _DECIMAL,
            "note": {"type": ["string", "null"], "maxLength": 2000},
        },
    },
    "Volunteer": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "phone": {"type": "string"},
            "email": {"type": "string"}, "can_help_with": {"type": "string"},
            "active": {"type": "boolean"}, "consent_at": {"type": "string",
                                                          "format": "date-time"},
        },
    },
    "VolunteerCreate": {
        "type": "object",
        "required": ["name", "consent"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "phone": {"type": ["string", "null"], "maxLength": 40},
            "email": {"type": ["string", "null"], "maxLength": 254},
            "can_help_with": {"type": ["string", "null"], "maxLength": 2000},
            "active": {"type": "boolean"},
            "consent": {"const": True,
                        "description": "They agreed that we keep these details"},
        },
    },
}

ARRANGEMENT_PATHS: dict[str, Any] = {
    "/events/{event_id}/arrangements": {
        "parameters": [_EVENT_ID],
        "get": {"summary": "What the event's participants asked for (counts) and what is "
                           "arranged (event managers)",
                "operationId": "listArrangements", "security": _STAFF,
                "responses": {"200": {"description": "Arrangements",
                                      "content": _json("Arrangements")},
                              **_ERRORS, "404": _error("No such event")}},
    },
    "/events/{event_id}/arrangements/{kind}": {
        "parameters": [_EVENT_ID, _KIND],
        "patch": {"summary": "Change what was done about one kind of need (event managers)",
                  "operationId": "updateArrangement", "security": _STAFF,
                  "requestBody": {"required": True, "content": _json("ArrangementUpdate")},
                  "responses": {"200": {"description": "Changed",
                                        "content": _json("Arrangement")},
                                "400": _error("Not a JSON object"), **_ERRORS,
                                "404": _error("No such event or kind"),
                                "422": _error("Invalid fields")}},
    },
    "/volunteers": {
        "get": {"summary": "The volunteers of the token's partner (organisers)",
                "operationId": "listVolunteers", "security": _STAFF,
                "responses": {"200": {"description": "Volunteers", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "volunteers": {"type": "array",
                                       "items": {"$ref": _REF + "Volunteer"}}}}}}},
                    **_ERRORS}},
        "post": {"summary": "Add a volunteer who agreed to be asked (organisers)",
                 "operationId": "createVolunteer", "security": _STAFF,
                 "requestBody": {"required": True, "content": _json("VolunteerCreate")},
                 "responses": {"201": {"description": "Added", "content": _json("Volunteer")},
                               "400": _error("Not a JSON object"), **_ERRORS,
                               "422": _error("Invalid fields")}},
    },
}
