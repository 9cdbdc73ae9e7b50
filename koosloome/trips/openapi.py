"""OpenAPI 3.1 path items and schemas of travel details; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.projects.models import CostCategory
from koosloome.trips.models import DocumentType, RoomChoice

_REF = "#/components/schemas/"
_DAY = {"type": "string", "format": "date"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_FIELDS = {
    "document_name": {"type": "string", "maxLength": 200,
                      "description": "As written in the travel document"},
    "date_of_birth": _DAY,
    "document_type": {"enum": [value.value for value in DocumentType]},
    "document_expiry": {**_DAY, "description": "Must be on or after the trip's last day"},
    "document_number": {"type": "string", "maxLength": 40,
                        "description": "Kept only when the trip's carrier needs it"},
    "emergency_name": {"type": "string", "maxLength": 200},
    "emergency_phone": {"type": "string", "maxLength": 40},
    "ehic": {"type": ["boolean", "null"], "description": "European Health Insurance Card"},
    "room": {"enum": [value.value for value in RoomChoice]},
    "room_with": {"type": "string", "maxLength": 200},
    "bus_needs": {"type": "string", "maxLength": 500},
    "diet": {"type": "string", "maxLength": 500},
}
_CATEGORIES = [value.value for value in CostCategory]
_REPORT_TEXTS = {name: {"type": "string", "maxLength": 20000} for name in (
    "summary_et", "summary_en", "next_steps_et", "next_steps_en", "contacts")}
_LESSONS = {"learned_et": {"type": "string", "maxLength": 10000},
            "learned_en": {"type": "string", "maxLength": 10000}}
TRAVEL_SCHEMAS: dict[str, Any] = {
    "TripReportInput": {"type": "object", "additionalProperties": False, "properties": {
        **_REPORT_TEXTS, "publish": {"type": "boolean"},
        "stops": {"type": "object", "description": "Stop id → what was learned there",
                  "additionalProperties": {"type": "object", "properties": _LESSONS}}}},
    "TripReport": {"type": "object", "properties": {
        "event_id": {"type": "integer"},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        **_REPORT_TEXTS,
        "stops": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "place_et": {"type": "string"}, **_LESSONS}}}}},
    "TripCostInput": {"type": "object", "additionalProperties": False,
                      "required": ["category", "amount"], "properties": {
                          "category": {"enum": _CATEGORIES},
                          "amount": {"type": ["number", "string"], "minimum": 0,
                                     "description": "Euros"},
                          "supplier": {"type": "string", "maxLength": 200},
                          "note": {"type": "string", "maxLength": 500}}},
    "TripCosts": {"type": "object", "properties": {
        "event_id": {"type": "integer"}, "total": {"type": "string"},
        "by_category": {"type": "object", "additionalProperties": {"type": "string"}},
        "costs": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "category": {"enum": _CATEGORIES},
            "amount": {"type": "string"}, "supplier": {"type": "string"},
            "note": {"type": "string"}}}}}},
    "TravelInput": {"type": "object", "additionalProperties": False,
                    "required": ["document_name", "date_of_birth", "document_type",
                                 "document_expiry", "emergency_name", "emergency_phone"],
                    "properties": _FIELDS},
    "Travel": {"type": "object", "properties": {
        "travel": {"oneOf": [{"type": "object", "properties": {
            **_FIELDS, "updated_at": {"type": "string", "format": "date-time"}}},
            {"type": "null"}]}}},
}
_TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"},
          "description": "The traveller's manage-link token"}
TRAVEL_PATHS: dict[str, Any] = {
    "/r/{token}/travel": {
        "parameters": [_TOKEN],
        "get": {"summary": "The traveller's own travel details (null until given)",
                "operationId": "getOwnTravel",
                "responses": {"200": {"description": "Details", "content": _json("Travel")},
                              "404": _error("No such registration"),
                              "409": _error("This registration is asked for none")}},
        "put": {"summary": "Give or replace the traveller's own travel details",
                "operationId": "putOwnTravel",
                "requestBody": {"required": True, "content": _json("TravelInput")},
                "responses": {"200": {"description": "Saved", "content": _json("Travel")},
                              "404": _error("No such registration"),
                              "409": _error("This registration is asked for none"),
                              "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/costs": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "get": {"summary": "The trip's actual costs by category (the event's managers)",
                "operationId": "listCosts", "security": [{"bearerAuth": []}],
                "responses": {"200": {"description": "Costs", "content": _json("TripCosts")},
                              "401": _error("No valid token"), "403": _error("Not allowed"),
                              "404": _error("No such event")}},
        "post": {"summary": "Record a cost; the event's actual cost follows",
                 "operationId": "addCost", "security": [{"bearerAuth": []}],
                 "requestBody": {"required": True, "content": _json("TripCostInput")},
                 "responses": {"201": {"description": "Costs", "content": _json("TripCosts")},
                               "401": _error("No valid token"), "403": _error("Not allowed"),
                               "404": _error("No such event"),
                               "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/costs/{cost_id}": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}},
                       {"name": "cost_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "delete": {"summary": "Take back a cost entered by mistake", "operationId": "deleteCost",
                   "security": [{"bearerAuth": []}],
                   "responses": {"204": {"description": "Removed"},
                                 "401": _error("No valid token"),
                                 "403": _error("Not allowed"),
                                 "404": _error("No such cost")}},
    },
    "/events/{event_id}/report": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "get": {"summary": "The trip report (published: anyone, without the contacts; the "
                           "event's managers: always)", "operationId": "getTripReport",
                "responses": {"200": {"description": "Report", "content": _json("TripReport")},
                              "404": _error("No published report")}},
        "put": {"summary": "Write the trip report (event managers)", "operationId": "putTripReport",
                "security": [{"bearerAuth": []}],
                "requestBody": {"required": True, "content": _json("TripReportInput")},
                "responses": {"200": {"description": "Saved", "content": _json("TripReport")},
                              "401": _error("No valid token"), "403": _error("Not allowed"),
                              "404": _error("No such event"),
                              "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/trip-leader": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "put": {"summary": "Name the trip's leader, who alone (with admins) sees the "
                           "travellers' emergency contacts", "operationId": "putTripLeader",
                "security": [{"bearerAuth": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "required": ["user_id"],
                    "properties": {"user_id": {"type": ["integer", "null"],
                                               "description": "An organiser or admin of the "
                                                              "trip's partners; null: nobody"}}}}}},
                "responses": {"200": {"description": "Saved", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "event_id": {"type": "integer"},
                        "trip_leader_id": {"type": ["integer", "null"]}}}}}},
                              "401": _error("No valid token"), "403": _error("Not allowed"),
                              "404": _error("No such event"),
                              "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/travel": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "get": {"summary": "The trip's travellers and their details (the trip's organisers; "
                           "audited)", "operationId": "listTravel",
                "security": [{"bearerAuth": []}],
                "responses": {"200": {"description": "Travellers (the emergency contacts only "
                                                     "for the trip leader and admins)", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "event_id": {"type": "integer"},
                        "trip_leader_id": {"type": ["integer", "null"]},
                        "emergency_contacts": {"type": "boolean"},
                        "travellers": {"type": "array", "items": {"type": "object"}}}}}}},
                    "401": _error("No valid token"), "403": _error("Not allowed"),
                    "404": _error("No such event")}},
    },
}
