"""OpenAPI 3.1 path items and schemas of the project, its budget, indicators and costs;
merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.events.models import EventKind
from koosloome.projects.models import CostCategory, Indicator

_REF = "#/components/schemas/"
_MONEY = {"type": ["number", "string"], "description": "Euros, to the cent"}
_MONEY_OUT = {"type": "string", "description": "Euros, to the cent"}
_NULLABLE_MONEY_OUT = {"type": ["string", "null"]}
_DATE = {"type": "string", "format": "date"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


_READ = {"401": _error("No valid token"), "403": _error("Not an admin or organiser"),
         "404": _error("No project, or no such object")}
_WRITE = {**_READ, "400": _error("Send a JSON object"),
          "422": _error("Some fields are not right")}
_SECURE = {"security": [{"bearerAuth": []}]}

_LINE_FIELDS: dict[str, Any] = {
    "name_et": {"type": "string", "minLength": 1, "maxLength": 200},
    "name_en": {"type": "string", "maxLength": 200},
    "planned": _MONEY,
    "event_kind": {"enum": ["", *(k.value for k in EventKind)],
                   "description": "Costs of such events land on this line by default"},
}
_COST_FIELDS: dict[str, Any] = {
    "spent_on": _DATE, "amount": _MONEY,
    "category": {"enum": [c.value for c in CostCategory]},
    "organisation_id": {"type": "integer", "description": "The partner who paid (default: "
                        "the user's)"},
    "budget_line_id": {"type": ["integer", "null"], "description": "null: the usual line"},
    "event_id": {"type": ["integer", "null"]},
    "supplier": {"type": "string", "maxLength": 200},
    "note": {"type": "string", "maxLength": 500},
}
PROJECT_SCHEMAS: dict[str, Any] = {
    "BudgetLine": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name_et": {"type": "string"}, "name_en": {"type": "string"},
        "planned": _MONEY_OUT, "event_kind": {"type": ["string", "null"]}}},
    "BudgetLineInput": {"type": "object", "additionalProperties": False,
                        "properties": _LINE_FIELDS},
    "ProjectPartner": {"type": "object", "properties": {
        "id": {"type": "integer"}, "organisation_id": {"type": "integer"},
        "organisation": {"type": "string"}, "budget": _MONEY_OUT,
        "leader_support": _NULLABLE_MONEY_OUT, "own_contribution": _NULLABLE_MONEY_OUT,
        "lines": {"type": "array", "items": {"$ref": _REF + "BudgetLine"}}}},
    "Project": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name_et": {"type": "string"}, "name_en": {"type": "string"},
        "code": {"type": "string"}, "starts_on": _DATE, "ends_on": _DATE,
        "lead_partner_id": {"type": ["integer", "null"]},
        "note_et": {"type": "string"}, "note_en": {"type": "string"},
        "partners": {"type": "array", "items": {"$ref": _REF + "ProjectPartner"}},
        "targets": {"$ref": _REF + "Targets"}}},
    "ProjectInput": {"type": "object", "additionalProperties": False, "properties": {
        "name_et": {"type": "string", "minLength": 1, "maxLength": 300},
        "name_en": {"type": "string", "maxLength": 300},
        "code": {"type": "string", "maxLength": 60}, "starts_on": _DATE, "ends_on": _DATE,
        "lead_partner_id": {"type": ["integer", "null"]},
        "note_et": {"type": "string", "maxLength": 2000},
        "note_en": {"type": "string", "maxLength": 2000}}},
    "PartnerBudgetInput": {"type": "object", "additionalProperties": False, "properties": {
        "budget": _MONEY, "leader_support": {**_MONEY, "type": ["number", "string", "null"]}}},
    "Targets": {"type": "object", "additionalProperties": False, "properties": {
        i.value: {"type": ["integer", "null"], "minimum": 0} for i in Indicator}},
    "Budget": {"type": "object", "properties": {
        "starts_on": _DATE, "ends_on": _DATE,
        "partners": {"type": "array", "items": {"type": "object", "properties": {
            "organisation_id": {"type": "integer"}, "planned": _MONEY_OUT,
            "actual": _MONEY_OUT, "remaining": _MONEY_OUT,
            "leader_support_planned": _NULLABLE_MONEY_OUT,
            "leader_support_actual": _NULLABLE_MONEY_OUT,
            "own_contribution_planned": _NULLABLE_MONEY_OUT,
            "own_contribution_actual": _NULLABLE_MONEY_OUT,
            "lines": {"type": "array", "items": {"type": "object"}}}}}}},
    "Indicators": {"type": "object", "properties": {
        "starts_on": _DATE, "ends_on": _DATE,
        "indicators": {"type": "array", "items": {"type": "object", "properties": {
            "indicator": {"enum": [i.value for i in Indicator]},
            "actual": {"type": "integer"}, "target": {"type": ["integer", "null"]}}}},
        "organisations_by_sector": {"type": "object",
                                    "additionalProperties": {"type": "integer"}}}},
    "Cost": {"type": "object", "properties": {
        "id": {"type": "integer"}, **_COST_FIELDS, "amount": _MONEY_OUT,
        "arrangement_id": {"type": ["integer", "null"]},
        "document": {"type": ["object", "null"], "properties": {
            "name": {"type": "string"}, "content_type": {"type": "string"},
            "size": {"type": "integer"}}}}},
    "CostInput": {"type": "object", "additionalProperties": False, "properties": _COST_FIELDS},
}
PROJECT_PATHS: dict[str, Any] = {
    "/project": {
        "get": {"summary": "The project record: partners, budgets, lines, targets",
                "operationId": "getProject", **_SECURE,
                "responses": {"200": {"description": "The project", "content": _json("Project")},
                              **_READ}},
        "patch": {"summary": "Change the project record (admins)", "operationId": "changeProject",
                  **_SECURE, "requestBody": {"required": True, "content": _json("ProjectInput")},
                  "responses": {"200": {"description": "Saved", "content": _json("Project")},
                                **_WRITE}},
    },
    "/project/partners/{partner_id}": {
        "parameters": [_id("partner_id")],
        "patch": {"summary": "A partner's budget and LEADER support (admins)",
                  "operationId": "changePartnerBudget", **_SECURE,
                  "requestBody": {"required": True, "content": _json("PartnerBudgetInput")},
                  "responses": {"200": {"description": "Saved",
                                        "content": _json("ProjectPartner")}, **_WRITE}},
    },
    "/project/partners/{partner_id}/lines": {
        "parameters": [_id("partner_id")],
        "post": {"summary": "Add a budget line (admins)", "operationId": "addBudgetLine",
                 **_SECURE, "requestBody": {"required": True, "content": _json("BudgetLineInput")},
                 "responses": {"201": {"description": "Added", "content": _json("BudgetLine")},
                               **_WRITE}},
    },
    "/project/lines/{line_id}": {
        "parameters": [_id("line_id")],
        "patch": {"summary": "Change a budget line (admins)", "operationId": "changeBudgetLine",
                  **_SECURE,
                  "requestBody": {"required": True, "content": _json("BudgetLineInput")},
                  "responses": {"200": {"description": "Saved", "content": _json("BudgetLine")},
                                **_WRITE}},
        "delete": {"summary": "Remove a budget line; its costs stay, on no line (admins)",
                   "operationId": "deleteBudgetLine", **_SECURE,
                   "responses": {"204": {"description": "Removed"}, **_READ}},
    },
    "/project/budget": {
        "get": {"summary": "Each partner's budget against the costs of the project's period",
                "operationId": "getBudget", **_SECURE,
                "responses": {"200": {"description": "Plan and actual",
                                      "content": _json("Budget")}, **_READ}},
    },
    "/project/indicators": {
        "get": {"summary": "The indicators over the project's period, against the targets",
                "operationId": "getIndicators", **_SECURE,
                "responses": {"200": {"description": "Indicators",
                                      "content": _json("Indicators")}, **_READ}},
        "put": {"summary": "The indicators' targets (admins); null removes one",
                "operationId": "setTargets", **_SECURE,
                "requestBody": {"required": True, "content": _json("Targets")},
                "responses": {"200": {"description": "Saved", "content": _json("Targets")},
                              **_WRITE}},
    },
    "/costs": {
        "get": {"summary": "The costs the user may see (their partner's; admins all)",
                "operationId": "listProjectCosts", **_SECURE,
                "parameters": [
                    {"name": "organisation_id", "in": "query", "schema": {"type": "integer"}},
                    {"name": "start", "in": "query", "schema": _DATE},
                    {"name": "end", "in": "query", "schema": _DATE}],
                "responses": {"200": {"description": "Costs", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "total": _MONEY_OUT,
                        "costs": {"type": "array", "items": {"$ref": _REF + "Cost"}}}}}}},
                    **_WRITE}},
        "post": {"summary": "Record a cost; its event's actual cost follows",
                 "operationId": "addProjectCost", **_SECURE,
                 "requestBody": {"required": True, "content": _json("CostInput")},
                 "responses": {"201": {"description": "Added", "content": _json("Cost")},
                               **_WRITE}},
    },
    "/costs/{cost_id}": {
        "parameters": [_id("cost_id")],
        "get": {"summary": "One cost", "operationId": "getCost", **_SECURE,
                "responses": {"200": {"description": "The cost", "content": _json("Cost")},
                              **_READ}},
        "patch": {"summary": "Change a cost; what is left out stays",
                  "operationId": "changeCost", **_SECURE,
                  "requestBody": {"required": True, "content": _json("CostInput")},
                  "responses": {"200": {"description": "Saved", "content": _json("Cost")},
                                **_WRITE}},
        "delete": {"summary": "Take back a cost entered by mistake",
                   "operationId": "deleteProjectCost", **_SECURE,
                   "responses": {"204": {"description": "Removed"}, **_READ}},
    },
    "/costs/{cost_id}/document": {
        "parameters": [_id("cost_id")],
        "get": {"summary": "The cost's invoice or receipt", "operationId": "getCostDocument",
                **_SECURE,
                "responses": {"200": {"description": "The file", "content": {
                    "application/pdf": {"schema": {"type": "string",
                                                   "contentMediaType": "application/pdf"}},
                    "image/*": {"schema": {"type": "string"}}}}, **_READ}},
        "put": {"summary": "Attach the invoice or receipt (PDF, JPEG or PNG), replacing one "
                "attached before", "operationId": "putCostDocument", **_SECURE,
                "requestBody": {"required": True, "content": {"multipart/form-data": {
                    "schema": {"type": "object", "required": ["file"], "properties": {
                        "file": {"type": "string", "contentMediaType":
                                 "application/octet-stream"}}}}}},
                "responses": {"200": {"description": "Attached", "content": _json("Cost")},
                              **_READ, "413": _error("The file is too large"),
                              "415": _error("Not a PDF, JPEG or PNG"),
                              "422": _error("No file, or an empty one")}},
    },
}
