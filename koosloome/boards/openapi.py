"""OpenAPI 3.1 path items and schemas of the boards' API; merged into /api/v1/openapi.json.

Paths are relative to the API's server URL (``/api/v1``). Two bearer schemes: ``staffToken``
(a staff member's API token) and ``participantToken`` (returned when joining a board).
"""

from __future__ import annotations

from typing import Any

_REF = "#/components/schemas/"
_CODE = {"name": "code", "in": "path", "required": True, "description": "The join code",
         "schema": {"type": "string", "pattern": "^[A-HJ-NP-Z2-9]{6}$"}}
_IDEA_ID = {"name": "idea_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_VOTE_ID = {"name": "vote_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_STAFF = [{"staffToken": []}]
_PARTICIPANT = [{"participantToken": []}]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _REF + name}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "The body is not a JSON object", 401: "No valid token", 403: "Not allowed",
             404: "No such board, idea or vote",
             409: "Refused by a board rule (phase, budget, already voted, hidden idea)",
             422: "Invalid body"}
    return {str(code): {"description": texts[code], **_json(_ref("Error"))} for code in codes}


def _body(properties: dict[str, Any], required: list[str], *,
          optional: bool = False) -> dict[str, Any]:
    return {"required": not optional, **_json({"type": "object", "properties": properties,
                                               "required": required})}


def _facilitator(summary: str, body: dict[str, Any] | None, ok: str = "Board") -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary, "tags": ["boards"], "security": _STAFF,
        "parameters": [_CODE, _IDEA_ID],
        "responses": {"200": {"description": "Done", **_json(_ref(ok))},
                      **_errors(400, 401, 403, 404, 409, 422)},
    }
    if body is not None:
        operation["requestBody"] = body
    return {"post": operation}


OPENAPI_SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array",
                                                             "items": {"type": "string"}}},
    }},
    "Idea": {"type": "object", "properties": {
        "id": {"type": "integer"}, "column_id": {"type": "integer"},
        "theme_id": {"type": ["integer", "null"]}, "text": {"type": "string", "maxLength": 500},
        "author": {"type": ["string", "null"]}, "paper_note": {"type": "boolean"},
        "pinned": {"type": "boolean"}, "hidden": {"type": "boolean"},
        "votes": {"type": ["integer", "null"],
                  "description": "null while the board shows counts only when closed"},
        "my_votes": {"type": "integer"}, "comments": {"type": "integer"},
        "mine": {"type": "boolean"}, "merged_texts": {"type": "array",
                                                      "items": {"type": "string"}},
    }},
    "Board": {"type": "object", "properties": {
        "code": {"type": "string"}, "title": {"type": "string"}, "question": {"type": "string"},
        "intro": {"type": "object", "properties": {"et": {"type": "string"},
                                                   "en": {"type": "string"}}},
        "phase": {"type": "string", "enum": ["collecting", "voting", "closed"]},
        "revision": {"type": "integer"}, "event_id": {"type": ["integer", "null"]},
        "settings": {"type": "object"}, "participant_count": {"type": "integer"},
        "votes_left": {"type": ["integer", "null"]},
        "columns": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"},
            "ideas": {"type": "array", "items": _ref("Idea")}}}},
        "themes": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "idea_ids": {"type": "array", "items": {"type": "integer"}}}}},
    }},
}

OPENAPI_SECURITY_SCHEMES: dict[str, Any] = {
    "staffToken": {"type": "http", "scheme": "bearer", "description": "A staff API token"},
    "participantToken": {"type": "http", "scheme": "bearer",
                         "description": "The token returned when joining a board"},
}

OPENAPI_PATHS: dict[str, Any] = {
    "/boards": {"post": {
        "summary": "Create a board", "tags": ["boards"], "security": _STAFF,
        "requestBody": _body({
            "title": {"type": "string", "maxLength": 200},
            "question": {"type": "string", "maxLength": 300},
            "intro_et": {"type": "string", "maxLength": 2000},
            "intro_en": {"type": "string", "maxLength": 2000},
            "event_id": {"type": ["integer", "null"]},
            "columns": {"type": "array", "items": {"type": "string"}},
            "allow_anonymous": {"type": "boolean", "default": True},
            "votes_per_participant": {"type": "integer", "minimum": 0, "maximum": 50,
                                      "default": 3},
            "multiple_votes_per_idea": {"type": "boolean", "default": False},
            "hide_others_while_collecting": {"type": "boolean", "default": False},
            "results_only_when_closed": {"type": "boolean", "default": False},
        }, ["title", "question"]),
        "responses": {"201": {"description": "Created", **_json(_ref("Board"))},
                      **_errors(400, 401, 422)},
    }},
    "/boards/{code}": {"get": {
        "summary": "A board: columns, ideas with vote counts, phase", "tags": ["boards"],
        "description": "Needs a participant or facilitator token unless the board is closed.",
        "security": [*_PARTICIPANT, *_STAFF, {}], "parameters": [_CODE],
        "responses": {"200": {"description": "The board", **_json(_ref("Board"))},
                      **_errors(401, 404)},
    }},
    "/boards/{code}/participants": {"post": {
        "summary": "Join a board; returns the participant token (shown once)",
        "tags": ["boards"], "parameters": [_CODE],
        "requestBody": _body({"display_name": {"type": ["string", "null"], "maxLength": 80}}, [],
                             optional=True),
        "responses": {"201": {"description": "Joined", **_json({"type": "object", "properties": {
            "participant": {"type": "object", "properties": {
                "id": {"type": "integer"}, "display_name": {"type": "string"}}},
            "token": {"type": "string"}, "votes_left": {"type": "integer"}}})},
            **_errors(400, 404, 409, 422)},
    }},
    "/boards/{code}/ideas": {"post": {
        "summary": "Post an idea (a facilitator's staff token posts a paper note)",
        "tags": ["boards"], "security": [*_PARTICIPANT, *_STAFF], "parameters": [_CODE],
        "requestBody": _body({"column_id": {"type": "integer"},
                              "text": {"type": "string", "minLength": 1, "maxLength": 500},
                              "anonymous": {"type": "boolean"}}, ["column_id", "text"]),
        "responses": {"201": {"description": "Posted", **_json({"type": "object"})},
                      **_errors(400, 401, 403, 404, 409, 422)},
    }},
    "/boards/{code}/votes": {"post": {
        "summary": "Give one vote to an idea, within the budget", "tags": ["boards"],
        "security": _PARTICIPANT, "parameters": [_CODE],
        "requestBody": _body({"idea_id": {"type": "integer"}}, ["idea_id"]),
        "responses": {"201": {"description": "Vote saved", **_json({"type": "object",
            "properties": {"id": {"type": "integer"}, "idea_id": {"type": "integer"},
                           "votes_left": {"type": "integer"}}})},
            **_errors(400, 401, 404, 409, 422)},
    }},
    "/boards/{code}/votes/{vote_id}": {"delete": {
        "summary": "Take a vote back", "tags": ["boards"], "security": _PARTICIPANT,
        "parameters": [_CODE, _VOTE_ID],
        "responses": {"200": {"description": "Taken back", **_json({"type": "object",
            "properties": {"votes_left": {"type": "integer"}}})}, **_errors(401, 404, 409)},
    }},
    "/boards/{code}/phase": {"post": {
        "summary": "Move the board to another phase", "tags": ["boards"], "security": _STAFF,
        "parameters": [_CODE],
        "requestBody": _body({"phase": {"type": "string",
                                        "enum": ["collecting", "voting", "closed"]}}, ["phase"]),
        "responses": {"200": {"description": "Done", **_json(_ref("Board"))},
                      **_errors(400, 401, 403, 404, 409, 422)},
    }},
    "/boards/{code}/ideas/{idea_id}/hide": _facilitator(
        "Hide an idea (reason kept)",
        _body({"reason": {"type": "string", "minLength": 1, "maxLength": 300}}, ["reason"])),
    "/boards/{code}/ideas/{idea_id}/unhide": _facilitator("Show a hidden idea again", None),
    "/boards/{code}/ideas/{idea_id}/merge": _facilitator(
        "Merge into another idea; votes move, extras return to budgets",
        _body({"into_idea_id": {"type": "integer"}}, ["into_idea_id"])),
    "/boards/{code}/ideas/{idea_id}/move": _facilitator(
        "Move an idea to another column", _body({"column_id": {"type": "integer"}},
                                                ["column_id"])),
    "/boards/{code}/ideas/{idea_id}/theme": _facilitator(
        "Group an idea under a theme (null: none)",
        _body({"theme_id": {"type": ["integer", "null"]}}, ["theme_id"])),
    "/boards/{code}/themes": {"post": {
        "summary": "Add a theme", "tags": ["boards"], "security": _STAFF, "parameters": [_CODE],
        "requestBody": _body({"name": {"type": "string", "maxLength": 100}}, ["name"]),
        "responses": {"201": {"description": "Created", **_json({"type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})},
            **_errors(400, 401, 403, 404, 409, 422)},
    }},
}
