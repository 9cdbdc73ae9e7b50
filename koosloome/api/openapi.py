"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import current_app

from koosloome.announcements.openapi import ANNOUNCEMENT_PATHS, ANNOUNCEMENT_SCHEMAS
from koosloome.api.convert import REGISTRATION_BOOLEANS, REGISTRATION_STRINGS
from koosloome.arrangements.openapi import ARRANGEMENT_PATHS, ARRANGEMENT_SCHEMAS
from koosloome.boards.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS, OPENAPI_SECURITY_SCHEMES
from koosloome.calls.openapi import CALL_PATHS, CALL_SCHEMAS
from koosloome.certificates.openapi import CERTIFICATE_PATHS
from koosloome.events.itinerary_openapi import ITINERARY_PATHS, ITINERARY_SCHEMAS
from koosloome.events.listing_openapi import EVENT_LIST, EVENT_LIST_PARAMETERS
from koosloome.files.openapi import FILE_PATHS, FILE_SCHEMAS
from koosloome.groups.openapi import GROUP_PATHS, GROUP_SCHEMAS
from koosloome.outcomes.openapi import OUTCOME_PATHS, OUTCOME_SCHEMAS
from koosloome.projects.openapi import PROJECT_PATHS, PROJECT_SCHEMAS
from koosloome.registrations.choices import AGE_BANDS, COUNTIES, GENDERS, NEEDS, SECTORS
from koosloome.registrations.fields import PERSON_FIELDS, RECORD_TIMES, Shape
from koosloome.registrations.models import RegistrationSource, RegistrationStatus
from koosloome.selection.openapi import SELECTION_PATHS, SELECTION_SCHEMAS
from koosloome.trips.openapi import TRAVEL_PATHS, TRAVEL_SCHEMAS
from koosloome.venues.openapi import VENUE_PATHS, VENUE_SCHEMAS

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
INTEGER = {"type": "integer"}

_STRING_LIMITS = {
    "name": 200, "email": 254, "phone": 40, "organisation_name": 200, "needs_note": 1000,
    "companion_name": 200, "companion_needs": 500, "allergies": 500, "transport_pickup": 300,
}
_STRING_ENUMS = {
    "sector": [code for code, _ in SECTORS],
    "county": [code for code, _ in COUNTIES],
    "gender": [code for code, _ in GENDERS],
    "age_band": [code for code, _ in AGE_BANDS],
    "language": ["et", "en"],
}


def _registration_input() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name in REGISTRATION_STRINGS:
        schema: dict[str, Any] = {"type": "string"}
        if name in _STRING_LIMITS:
            schema["maxLength"] = _STRING_LIMITS[name]
        if name in _STRING_ENUMS:
            schema["enum"] = _STRING_ENUMS[name]
        if name == "email":
            schema["format"] = "email"
        properties[name] = schema
    for name in REGISTRATION_BOOLEANS:
        properties[name] = {"type": "boolean"}
    properties["has_disability"] = {"type": ["boolean", "null"]}
    properties["needs"] = {"type": "array", "items": {"enum": [need.code for need in NEEDS]},
                           "description": "Access needs and diets (codes)."}
    properties["answers"] = {
        "type": "object",
        "description": "Answers to the event's extra questions, keyed by question id.",
        "additionalProperties": {
            "oneOf": [STRING, {"type": "boolean"}, {"type": "array", "items": STRING}]
        },
    }
    properties["municipality"]["description"] = "A municipality name (Estonian) or 'other'."
    return {
        "type": "object",
        "required": ["name", "consent_privacy"],
        "additionalProperties": False,
        "description": "Give an e-mail address or a phone number (or both). Health-related "
        "fields (needs, needs_note, allergies, transport) need consent_health: true.",
        "properties": properties,
    }


#: What an event says about access beyond its venue's facts.
_EVENT_ACCESS = {"catering_et": 500, "catering_en": 500, "access_notes_et": 5000,
                 "access_notes_en": 5000, "access_contact_name": 200,
                 "access_contact_phone": 40}


EVENT_KINDS = ["seminar", "workshop", "study_trip"]


def _event() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "id": INTEGER, "slug": STRING, "kind": {"enum": EVENT_KINDS},
            "status": {"enum": ["draft", "published", "cancelled"]},
            "title_et": STRING, "title_en": STRING, "summary_et": STRING, "summary_en": STRING,
            "starts_at": DATETIME, "ends_at": DATETIME,
            "venue": {"oneOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]},
            **{name: STRING for name in _EVENT_ACCESS},
            "capacity": INTEGER, "seats_taken": INTEGER, "waiting_count": INTEGER,
            "registration_mode": {"enum": ["open", "application"]},
            "registration_opens_at": NULLABLE_DATETIME,
            "registration_closes_at": NULLABLE_DATETIME,
            "offer_hours": {"type": ["integer", "null"]},
            "offer_cutoff_at": NULLABLE_DATETIME,
            "travel_details": {"type": "boolean"},
            "travel_document_number": {"type": "boolean"},
            "cost_per_person": {"type": ["string", "null"]},
            "own_contribution": {"type": ["string", "null"]},
            "revision": INTEGER, "url": {"type": "string", "format": "uri"},
        },
        "required": ["id", "slug", "kind", "status", "title_et", "starts_at", "ends_at",
                     "venue", "capacity", "seats_taken", "waiting_count", "url"],
    }


def _event_input(required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": {
            "kind": {"enum": EVENT_KINDS},
            "status": {"enum": ["draft", "published"]},
            "slug": {"type": "string", "maxLength": 120, "pattern": "^[a-z0-9-]{1,120}$"},
            "title_et": {"type": "string", "maxLength": 200},
            "title_en": {"type": "string", "maxLength": 200},
            "summary_et": {"type": "string", "maxLength": 500},
            "summary_en": {"type": "string", "maxLength": 500},
            "easy_read_et": STRING, "easy_read_en": STRING,
            "description_et": STRING, "description_en": STRING,
            "starts_at": DATETIME, "ends_at": DATETIME,
            "capacity": {"type": "integer", "minimum": 0},
            "registration_mode": {"enum": ["open", "application"]},
            "registration_opens_at": NULLABLE_DATETIME,
            "registration_closes_at": NULLABLE_DATETIME,
            "reminder_days": {"type": "integer", "minimum": 0, "maximum": 60},
            "offer_hours": {"type": ["integer", "null"], "minimum": 1, "maximum": 720,
                            "description": "Hours a freed or chosen place waits for the "
                            "person's yes before it goes to the next; null: given at once"},
            "offer_cutoff_at": {**NULLABLE_DATETIME, "description": "No offer runs past this "
                                "(a trip's booking or payment deadline)"},
            "cost_per_person": {"type": ["number", "string", "null"], "description": "What the "
                                "trip costs per traveller, shown before a place is accepted"},
            "own_contribution": {"type": ["number", "string", "null"], "description": "The "
                                 "traveller's own part of it"},
            "travel_details": {"type": "boolean", "description": "Ask those who accept a "
                               "place for their travel details"},
            "travel_document_number": {"type": "boolean", "description": "The carrier needs "
                                       "the travel document's number"},
            "feedback_url": {"type": "string", "format": "uri"},
            "co_organiser": {"enum": ["vpk", "tas"]},
            "venue_id": {"type": "integer", "description": "A venue of GET /venues: its "
                         "accessibility facts are shown with the event"},
            **{name: {"type": "string", "maxLength": limit}
               for name, limit in _EVENT_ACCESS.items()},
        },
    }


_OUTPUT_SHAPES = {
    Shape.TEXT: STRING, Shape.OPTIONAL_TEXT: NULLABLE_STRING, Shape.FLAG: {"type": "boolean"},
    Shape.YES_NO: {"type": "boolean"}, Shape.YES_NO_UNSAID: {"type": ["boolean", "null"]},
}
_HEALTH_NOTE = "Only for organisers allowed to see health data."


def _registration() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": INTEGER, "event_id": INTEGER,
        "status": {"enum": [status.value for status in RegistrationStatus]},
        "source": {"enum": [source.value for source in RegistrationSource]},
        "waitlist_position": {"type": ["integer", "null"]},
        "seats": INTEGER,
    }
    for detail in PERSON_FIELDS:
        schema = dict(_OUTPUT_SHAPES[detail.shape])
        if detail.health:
            schema["description"] = _HEALTH_NOTE
        properties[detail.name] = schema
    properties.update({name: NULLABLE_DATETIME for name in RECORD_TIMES})
    properties["created_at"] = DATETIME
    properties["needs"] = {"type": "array", "items": STRING, "description": _HEALTH_NOTE}
    properties["answers"] = {"type": "object", "description": _HEALTH_NOTE}
    return {
        "type": "object",
        "properties": properties,
        "required": ["id", "event_id", "status", "name", "seats"],
    }


def _error() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": STRING,
            "message": STRING,
            "fields": {"type": "object", "additionalProperties": {"type": "array",
                                                                   "items": STRING}},
        },
    }


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


EVENT_ID = {"name": "event_id", "in": "path", "required": True, "schema": INTEGER}
STAFF = [{"bearerAuth": []}]


def _paths() -> dict[str, Any]:
    registration_list = {"type": "object", "properties": {
        "registrations": {"type": "array",
                          "items": {"$ref": "#/components/schemas/Registration"}}}}
    created = {"type": "object", "required": ["id", "status", "waitlist_position"],
               "properties": {"id": INTEGER, "status": STRING,
                              "waitlist_position": {"type": ["integer", "null"]},
                              "manage_url": {"type": "string", "format": "uri"}}}
    accepted = {"type": "object",
                "required": ["status", "waitlist_position", "confirmation_sent_to"],
                "properties": {"status": STRING,
                               "waitlist_position": {"type": ["integer", "null"]},
                               "confirmation_sent_to": {"type": "string", "format": "email"}}}
    return {
        "/events": {
            "get": {"summary": "Published events, soonest first, a page at a time",
                    "operationId": "listEvents",
                    "description": "Narrowed as on the home page; the filters combine. A page "
                    "past the last answers with no events (and its `previous` is the last).",
                    "parameters": EVENT_LIST_PARAMETERS,
                    "responses": {"200": {"description": "One page of events",
                                          "content": {"application/json": {
                                              "schema": EVENT_LIST}}},
                                  "422": _error_response("A query parameter is not right "
                                                         "(`fields` names each)")}},
            "post": {"summary": "Create an event (organisers)", "operationId": "createEvent",
                     "security": STAFF,
                     "requestBody": {"required": True, "content": _json("EventCreate")},
                     "responses": {"201": {"description": "Created", "content": _json("Event")},
                                   "400": _error_response("Not a JSON object"),
                                   "401": _error_response("No valid token"),
                                   "403": _error_response("Not an organiser"),
                                   "422": _error_response("Invalid fields")}},
        },
        "/events/{event_id}": {
            "parameters": [EVENT_ID],
            "get": {"summary": "One event", "operationId": "getEvent",
                    "responses": {"200": {"description": "The event", "content": _json("Event")},
                                  "404": _error_response("No such event")}},
            "patch": {"summary": "Change an event (organisers)", "operationId": "updateEvent",
                      "security": STAFF,
                      "requestBody": {"required": True, "content": _json("EventUpdate")},
                      "responses": {"200": {"description": "Changed", "content": _json("Event")},
                                    "400": _error_response("Not a JSON object"),
                                    "401": _error_response("No valid token"),
                                    "403": _error_response("Not allowed"),
                                    "404": _error_response("No such event"),
                                    "422": _error_response("Invalid fields")}},
        },
        "/events/{event_id}/cancel": {
            "parameters": [EVENT_ID],
            "post": {"summary": "Cancel an event (organisers)", "operationId": "cancelEvent",
                     "security": STAFF,
                     "responses": {"200": {"description": "Cancelled", "content": _json("Event")},
                                   "401": _error_response("No valid token"),
                                   "403": _error_response("Not allowed"),
                                   "404": _error_response("No such event")}},
        },
        "/events/{event_id}/registrations": {
            "parameters": [EVENT_ID],
            "post": {"summary": "Register for an event", "operationId": "register",
                     "description": (
                         "With an e-mail address, the answer is 202 and the personal link goes "
                         "by e-mail, whether the address was new or registered already (its "
                         "owner gets their link again): the answer tells nobody who attends. "
                         "Without one (a phone number only), the answer is 201 with the "
                         "link. A token of someone who manages the event gets 201 with the "
                         "link, and 409 for an address registered already."),
                     "requestBody": {"required": True, "content": _json("RegistrationCreate")},
                     "responses": {
                         "201": {"description": "Registered (confirmed, waitlisted or pending)",
                                 "content": {"application/json": {"schema": created}}},
                         "202": {"description": "Accepted: the confirmation and the link go "
                                                "by e-mail (confirmed, waitlisted or pending)",
                                 "content": {"application/json": {"schema": accepted}}},
                         "400": _error_response("Not a JSON object"),
                         "404": _error_response("No such event"),
                         "409": _error_response("Registration closed; for organisers, "
                                                "already registered"),
                         "422": _error_response("Invalid fields"),
                         "429": _error_response("Too many requests")}},
            "get": {"summary": "The event's registrations (organisers)",
                    "operationId": "listRegistrations", "security": STAFF,
                    "responses": {"200": {"description": "Registrations",
                                          "content": {"application/json": {
                                              "schema": registration_list}}},
                                  "401": _error_response("No valid token"),
                                  "403": _error_response("Not allowed"),
                                  "404": _error_response("No such event")}},
        },
        "/registrations/{registration_id}": {
            "parameters": [{"name": "registration_id", "in": "path", "required": True,
                            "schema": INTEGER}],
            "patch": {"summary": "Confirm, reject or cancel (organisers)",
                      "operationId": "updateRegistration", "security": STAFF,
                      "requestBody": {"required": True, "content": {"application/json": {
                          "schema": {"type": "object", "required": ["status"],
                                     "additionalProperties": False,
                                     "properties": {"status": {
                                         "enum": ["confirmed", "rejected", "cancelled"]}}}}}},
                      "responses": {"200": {"description": "Changed",
                                            "content": _json("Registration")},
                                    "400": _error_response("Not a JSON object"),
                                    "401": _error_response("No valid token"),
                                    "403": _error_response("Not allowed"),
                                    "404": _error_response("No such registration"),
                                    "409": _error_response("No free seat / not allowed"),
                                    "422": _error_response("Invalid fields")}},
        },
    }


def _json_bodies_may_be_refused(paths: dict[str, Any]) -> dict[str, Any]:
    """Every operation that reads a JSON body answers 400 when the body is not a JSON object
    (``json_api.json_object``, one rule for all): said once here, not by each domain."""
    for item in paths.values():
        for operation in item.values():
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            if "application/json" in body.get("content", {}):
                operation["responses"].setdefault(
                    "400", _error_response("Not a JSON object"))
    return paths


def openapi_document() -> dict[str, Any]:
    """The whole document (servers from BASE_URL)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Koosloome API",
            "version": "1.0.0",
            "description": "Events, registrations and idea boards of the LEADER project "
            "'Koosloomest koostööni'. Staff endpoints take a bearer token from "
            "`flask --app koosloome tokens create EMAIL`.",
        },
        "servers": [{"url": f"{current_app.config['BASE_URL']}/api/v1"}],
        "paths": _json_bodies_may_be_refused({
            **_paths(), **VENUE_PATHS, **ARRANGEMENT_PATHS, **CALL_PATHS, **GROUP_PATHS,
            **ITINERARY_PATHS, **TRAVEL_PATHS, **SELECTION_PATHS, **OUTCOME_PATHS,
            **PROJECT_PATHS, **FILE_PATHS, **ANNOUNCEMENT_PATHS, **CERTIFICATE_PATHS,
            **OPENAPI_PATHS}),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"},
                                **OPENAPI_SECURITY_SCHEMES},
            "schemas": {
                **OPENAPI_SCHEMAS,
                "Event": _event(),
                "EventCreate": _event_input(["kind", "title_et", "starts_at", "ends_at",
                                             "capacity", "venue_id"]),
                "EventUpdate": _event_input([]),
                **VENUE_SCHEMAS,
                **ARRANGEMENT_SCHEMAS,
                **CALL_SCHEMAS,
                **GROUP_SCHEMAS,
                **ITINERARY_SCHEMAS,
                **TRAVEL_SCHEMAS,
                **SELECTION_SCHEMAS,
                **OUTCOME_SCHEMAS,
                **PROJECT_SCHEMAS,
                **FILE_SCHEMAS,
                **ANNOUNCEMENT_SCHEMAS,
                "Registration": _registration(),
                "RegistrationCreate": _registration_input(),
                "Error": _error(),
            },
        },
    }
