"""OpenAPI 3.1 path items and schemas of the selection; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_REF = "#/components/schemas/"
_EVENT = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_STAFF = {"401": {"description": "No valid token", "content": {"application/json": {
    "schema": {"$ref": _REF + "Error"}}}}, "403": {"description": "Not allowed", "content": {
        "application/json": {"schema": {"$ref": _REF + "Error"}}}}}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_CRITERION = {
    "id": {"type": "integer", "description": "Given: update that criterion (its scores stay)"},
    "name_et": {"type": "string", "minLength": 1, "maxLength": 200},
    "name_en": {"type": "string", "maxLength": 200},
    "description_et": {"type": "string", "maxLength": 500},
    "description_en": {"type": "string", "maxLength": 500},
    "max_score": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5},
    "weight": {"type": "integer", "minimum": 1, "maximum": 5, "default": 1},
}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
SELECTION_SCHEMAS: dict[str, Any] = {
    "SelectionCriterion": {"type": "object", "required": ["name_et"],
                           "additionalProperties": False, "properties": _CRITERION},
    "Application": {"type": "object", "properties": {
        "registration_id": {"type": "integer"}, "name": {"type": "string"},
        "organisation_name": {"type": "string"}, "county": {"type": ["string", "null"]},
        "sector": {"type": ["string", "null"]}, "language": {"type": "string"},
        "status": {"type": "string"}, "rank": {"type": "integer"},
        "total": {"type": ["number", "null"],
                  "description": "Weighted mean score as a share of the best possible, 0–100"},
        "means": {"type": "object", "additionalProperties": {"type": ["number", "null"]},
                  "description": "Criterion id → the reviewers' mean"},
        "my_scores": {"type": "object", "additionalProperties": {"type": "integer"}},
        "reviewers": {"type": "integer"},
        "partner": {"type": ["string", "null"], "description": "Whose share (partner slug)"},
        "first_timer": {"type": "boolean"},
        "target_group_org": {"type": ["boolean", "null"]},
        "shortlisted": {"type": "boolean"}, "note": {"type": "string"},
        "answers": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "Question id → the answer as text"}}},
    "ApplicationReview": {"type": "object", "additionalProperties": False, "properties": {
        "scores": {"type": "object", "additionalProperties": {"type": ["integer", "null"]},
                   "description": "Criterion id → your points (0 to its most); null takes "
                                  "yours back"},
        "partner": {"type": ["string", "null"],
                    "description": "Partner slug; null: by the applicant's county"},
        "target_group_org": {"type": ["boolean", "null"]},
        "shortlisted": {"type": "boolean", "description": "Only while still to decide"},
        "note": {"type": "string", "maxLength": 5000}}},
    "Selection": {"type": "object", "properties": {
        "event_id": {"type": "integer"},
        "criteria": {"type": "array", "items": {"$ref": _REF + "SelectionCriterion"}},
        "quotas": {"type": "object", "additionalProperties": {"type": "integer"},
                   "description": "Partner slug → its agreed seats"},
        "applications": {"type": "array", "items": {"$ref": _REF + "Application"}},
        "balance": {"type": "object", "properties": {
            "people": {"type": "integer"}, "seats": {"type": "integer"},
            "capacity": {"type": "integer"},
            "partners": {"type": "object", "additionalProperties": {
                "type": "object", "properties": {"seats": {"type": "integer"},
                                                 "share": {"type": ["integer", "null"]}}}},
            "counties": _COUNTS, "sectors": _COUNTS,
            "target_group_org": _COUNTS, "first_timers": {"type": "integer"}}}}},
    "SelectionInput": {"type": "object", "additionalProperties": False, "properties": {
        "criteria": {"type": "array", "items": {"$ref": _REF + "SelectionCriterion"},
                     "description": "The criteria, in order; those not named go"},
        "quotas": {"type": "object",
                   "additionalProperties": {"type": ["integer", "null"], "minimum": 0},
                   "description": "Partner slug → seats; null or left out: no share"}}},
    "Decisions": {"type": "object", "properties": {
        "event_id": {"type": "integer"}, "offers": {"type": "boolean"},
        "chosen": {"type": "array", "items": {"type": "integer"}},
        "reserve": {"type": "array", "items": {"type": "integer"},
                    "description": "Registration ids in their order on the reserve list"},
        "from_reserve": {"type": "array", "items": {"type": "integer"},
                         "description": "Those of the reserve list given the seats left free"}}},
}
SELECTION_PATHS: dict[str, Any] = {
    "/events/{event_id}/selection": {
        "parameters": [_EVENT],
        "get": {"summary": "Criteria, partners' shares, the applications ranked by score and "
                           "the balance of the chosen group", "operationId": "getSelection",
                "security": [{"bearerAuth": []}],
                "responses": {"200": {"description": "Selection", "content": _json("Selection")},
                              **_STAFF, "404": _error("No such event")}},
        "put": {"summary": "Replace the criteria and/or the partners' shares",
                "operationId": "putSelection", "security": [{"bearerAuth": []}],
                "requestBody": {"required": True, "content": _json("SelectionInput")},
                "responses": {"200": {"description": "Selection", "content": _json("Selection")},
                              **_STAFF, "404": _error("No such event"),
                              "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/applications/{registration_id}": {
        "parameters": [_EVENT, {"name": "registration_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
        "patch": {"summary": "Score an application and review it (what is left out stays)",
                  "operationId": "reviewApplication", "security": [{"bearerAuth": []}],
                  "requestBody": {"required": True, "content": _json("ApplicationReview")},
                  "responses": {"200": {"description": "The application",
                                        "content": _json("Application")},
                                **_STAFF, "404": _error("No such application"),
                                "422": _error("Some fields are not right")}},
    },
    "/events/{event_id}/selection/decisions": {
        "parameters": [_EVENT],
        "post": {"summary": "Send the decisions: the shortlisted get a seat or an offer, the "
                            "other undecided go on the reserve list in rank order",
                 "operationId": "sendDecisions", "security": [{"bearerAuth": []}],
                 "responses": {"200": {"description": "Sent", "content": _json("Decisions")},
                               **_STAFF, "404": _error("No such event"),
                               "409": _error("The chosen do not fit the seats or a share")}},
    },
}
