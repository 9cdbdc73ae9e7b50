"""OpenAPI 3.1 path items and schemas of the call list; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.calls.services import RECORDED
from koosloome.messaging.models import CallOutcome

_REF = "#/components/schemas/"
_STAFF = [{"bearerAuth": []}]
_ID = {"type": "integer"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


CALL_SCHEMAS: dict[str, Any] = {
    "Call": {
        "type": "object",
        "properties": {
            "id": _ID, "event_id": _ID, "registration_id": _ID,
            "name": {"type": "string"}, "phone": {"type": ["string", "null"]},
            "language": {"type": "string"}, "kind": {"type": "string"},
            "words": {"type": "string", "description": "What to read to the person"},
            "outcome": {"enum": [outcome.value for outcome in CallOutcome]},
            "attempts": _ID, "note": {"type": "string"},
            "last_call_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "CallOutcome": {
        "type": "object",
        "required": ["outcome"],
        "additionalProperties": False,
        "properties": {
            "outcome": {"enum": [outcome.value for outcome in RECORDED],
                        "description": "no_answer keeps the call on the list"},
            "note": {"type": ["string", "null"], "maxLength": 500},
        },
    },
}

CALL_PATHS: dict[str, Any] = {
    "/events/{event_id}/calls": {
        "parameters": [{"name": "event_id", "in": "path", "required": True, "schema": _ID}],
        "get": {"summary": "The event's call list: people without e-mail and what to tell "
                           "them (event managers)",
                "operationId": "listCalls", "security": _STAFF,
                "responses": {"200": {"description": "Calls", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"calls": {
                        "type": "array", "items": {"$ref": _REF + "Call"}}}}}}},
                    "401": _error("No valid token"), "403": _error("Not allowed"),
                    "404": _error("No such event")}},
    },
    "/calls/{task_id}": {
        "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": _ID}],
        "patch": {"summary": "Note what came of a call (event managers)",
                  "operationId": "recordCallOutcome", "security": _STAFF,
                  "requestBody": {"required": True, "content": _json("CallOutcome")},
                  "responses": {"200": {"description": "Noted", "content": _json("Call")},
                                "400": _error("Not a JSON object"),
                                "401": _error("No valid token"), "403": _error("Not allowed"),
                                "404": _error("No such call"),
                                "422": _error("Invalid fields")}},
    },
}
