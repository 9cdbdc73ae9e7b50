"""OpenAPI 3.1 path items and schemas of actions; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.outcomes.models import ActionStatus, FundingSource, TargetGroup

_REF = "#/components/schemas/"


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_FIELDS: dict[str, Any] = {
    "title": {"type": "string", "minLength": 1, "maxLength": 300},
    "description": {"type": "string", "maxLength": 5000},
    "owner": {"type": "string", "maxLength": 200,
              "description": "Who answers for it (facilitators only)"},
    "owner_user_id": {"type": ["integer", "null"]},
    "partner_id": {"type": ["integer", "null"]},
    "target_group": {"enum": [v.value for v in TargetGroup]},
    "status": {"enum": [v.value for v in ActionStatus]},
    "dropped_reason": {"type": "string", "maxLength": 500,
                       "description": "Needed when the status is dropped"},
    "next_step": {"type": "string", "maxLength": 500},
    "next_step_on": {"type": ["string", "null"], "format": "date"},
    "funding": {"enum": [*(v.value for v in FundingSource), None]},
    "idea_ids": {"type": "array", "items": {"type": "integer"},
                 "description": "The board's ideas it comes from"},
}
_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
_ACTION_ID = {"name": "action_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}
_STAFF = {"401": _error("No valid token"), "403": _error("Not allowed")}
_BODY = {"400": _error("Send a JSON object"), "422": _error("Some fields are not right")}
OUTCOME_SCHEMAS: dict[str, Any] = {
    "Action": {"type": "object", "properties": {
        "id": {"type": "integer"}, **_FIELDS,
        "status_changed_at": {"type": "string", "format": "date-time"}}},
    "ActionInput": {"type": "object", "additionalProperties": False, "properties": _FIELDS},
}
OUTCOME_PATHS: dict[str, Any] = {
    "/boards/{code}/actions": {
        "parameters": [_CODE],
        "get": {"summary": "What the board's ideas became (owners only for its facilitators)",
                "operationId": "listActions",
                "responses": {"200": {"description": "Actions", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "code": {"type": "string"},
                        "actions": {"type": "array", "items": {"$ref": _REF + "Action"}}}}}}},
                    "404": _error("No such board")}},
        "post": {"summary": "Turn ideas into an action (the board's facilitators)",
                 "operationId": "addAction", "security": [{"bearerAuth": []}],
                 "requestBody": {"required": True, "content": _json("ActionInput")},
                 "responses": {"201": {"description": "Saved", "content": _json("Action")},
                               **_STAFF, **_BODY, "404": _error("No such board")}},
    },
    "/boards/{code}/actions/{action_id}": {
        "parameters": [_CODE, _ACTION_ID],
        "patch": {"summary": "Change an action (what is left out stays)",
                  "operationId": "changeAction", "security": [{"bearerAuth": []}],
                  "requestBody": {"required": True, "content": _json("ActionInput")},
                  "responses": {"200": {"description": "Saved", "content": _json("Action")},
                                **_STAFF, **_BODY, "404": _error("No such action")}},
        "delete": {"summary": "Take back an action entered by mistake",
                   "operationId": "deleteAction", "security": [{"bearerAuth": []}],
                   "responses": {"204": {"description": "Removed"}, **_STAFF,
                                 "404": _error("No such action")}},
    },
}
