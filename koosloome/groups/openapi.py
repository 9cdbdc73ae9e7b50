"""OpenAPI 3.1 path items and schemas of group registration; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.groups.services import MAX_MEMBERS
from koosloome.registrations.choices import AGE_BANDS, NEEDS
from koosloome.registrations.models import RegistrationStatus

_REF = "#/components/schemas/"
_STAFF = [{"bearerAuth": []}]
_ID = {"type": "integer"}
_TEXT = {"type": ["string", "null"]}


def _text(limit: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "maxLength": limit}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_MEMBER_INPUT = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 200},
        "email": {**_text(254), "format": "email",
                  "description": "Their own confirmation and link go here; without it, "
                                 "messages about them go to the contact"},
        "phone": _text(40),
        "age_band": {"enum": [code for code, _label in AGE_BANDS] + [None]},
        "needs": {"type": "array", "items": {"enum": [need.code for need in NEEDS]}},
        "needs_note": _text(1000), "allergies": _text(500),
        "companion": {"type": "boolean"}, "companion_name": _text(200),
        "companion_needs": _text(500),
        "transport_needed": {"type": "boolean"}, "transport_pickup": _text(300),
        "transport_wheelchair": {"type": "boolean"},
    },
}

GROUP_SCHEMAS: dict[str, Any] = {
    "GroupInput": {
        "type": "object",
        "required": ["contact_name", "contact_email", "consent_declared", "members"],
        "additionalProperties": False,
        "properties": {
            "contact_name": {"type": "string", "maxLength": 200},
            "contact_email": {"type": "string", "format": "email", "maxLength": 254},
            "contact_phone": _text(40),
            "contact_organisation": _text(200),
            "language": {"enum": ["et", "en"]},
            "consent_declared": {"type": "boolean", "description": "The contact declares "
                                 "that everyone agreed to be registered (must be true)"},
            "health_declared": {"type": "boolean", "description": "The same for needs, diet "
                                "and transport; must be true when any are given"},
            "members": {"type": "array", "minItems": 1, "maxItems": MAX_MEMBERS,
                        "description": "In this order the seats are given; once one waits, "
                                       "everyone after them waits",
                        "items": _MEMBER_INPUT},
        },
    },
    "Group": {
        "type": "object",
        "properties": {
            "id": _ID, "event_id": _ID, "contact_name": {"type": "string"},
            "contact_email": _TEXT, "contact_phone": _TEXT,
            "contact_organisation": {"type": "string"}, "language": {"type": "string"},
            "declaration": {"type": "string"},
            "declared_at": {"type": "string", "format": "date-time"},
            "manage_url": {"type": "string", "format": "uri"},
            "members": {"type": "array", "items": {"type": "object", "properties": {
                "registration_id": _ID, "name": {"type": "string"}, "email": _TEXT,
                "phone": _TEXT, "status": {"enum": [s.value for s in RegistrationStatus]},
                "waitlist_position": {"type": ["integer", "null"]}, "seats": _ID}}},
        },
    },
}

_EVENT_ID = [{"name": "event_id", "in": "path", "required": True, "schema": _ID}]

GROUP_PATHS: dict[str, Any] = {
    "/events/{event_id}/groups": {
        "parameters": _EVENT_ID,
        "get": {"summary": "The groups registered for the event (event managers)",
                "operationId": "listGroups", "security": _STAFF,
                "responses": {"200": {"description": "Groups", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"groups": {
                        "type": "array", "items": {"$ref": _REF + "Group"}}}}}}},
                    "401": _error("No valid token"), "403": _error("Not allowed"),
                    "404": _error("No such event")}},
        "post": {"summary": "Register a group: a contact and the people they speak for, each "
                            "with their own needs (event managers)",
                 "operationId": "createGroup", "security": _STAFF,
                 "requestBody": {"required": True, "content": _json("GroupInput")},
                 "responses": {"201": {"description": "Registered", "content": _json("Group")},
                               "401": _error("No valid token"), "403": _error("Not allowed"),
                               "404": _error("No such event"),
                               "409": _error("The event takes no registrations now"),
                               "422": _error("Some fields are not right; a person's under "
                                             "members-<n>-<field>")}},
    },
    "/groups/{group_id}": {
        "parameters": [{"name": "group_id", "in": "path", "required": True, "schema": _ID}],
        "get": {"summary": "One group", "operationId": "getGroup", "security": _STAFF,
                "responses": {"200": {"description": "The group", "content": _json("Group")},
                              "401": _error("No valid token"), "403": _error("Not allowed"),
                              "404": _error("No such group")}},
    },
}
