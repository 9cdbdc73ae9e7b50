"""OpenAPI 3.1 path items and schemas of announcements; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.announcements.models import AnnouncementStatus
from koosloome.registrations.choices import COUNTIES

_REF = "#/components/schemas/"


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_FIELDS: dict[str, Any] = {
    "subject_et": {"type": "string", "minLength": 1, "maxLength": 300},
    "body_et": {"type": "string", "minLength": 1, "maxLength": 10000},
    "subject_en": {"type": "string", "maxLength": 300,
                   "description": "With body_en, or neither: English readers get the "
                                  "Estonian text when there is none"},
    "body_en": {"type": "string", "maxLength": 10000},
    "counties": {"type": "array", "items": {"enum": [code for code, _label in COUNTIES]},
                 "description": "Only people from these counties (empty: every county)"},
    "past_event_ids": {"type": "array", "items": {"type": "integer"},
                       "description": "Only people with a confirmed registration of one of "
                                      "these ended events"},
}
_ID = {"name": "announcement_id", "in": "path", "required": True,
       "schema": {"type": "integer"}}
_STAFF = {"401": _error("No valid token"),
          "403": _error("Not an organiser, or the other partner's announcement")}
_BODY = {"400": _error("Send a JSON object"), "422": _error("Some fields are not right")}
_SECURITY = [{"bearerAuth": []}]
ANNOUNCEMENT_SCHEMAS: dict[str, Any] = {
    "Announcement": {"type": "object", "properties": {
        "id": {"type": "integer"}, "organisation_id": {"type": "integer"},
        "status": {"enum": [v.value for v in AnnouncementStatus]}, **_FIELDS,
        "created_at": {"type": "string", "format": "date-time"},
        "sent_at": {"type": ["string", "null"], "format": "date-time"},
        "recipients": {"type": ["integer", "null"],
                       "description": "How many messages were queued when it was sent"}}},
    "AnnouncementInput": {"type": "object", "additionalProperties": False,
                          "properties": _FIELDS},
    "AnnouncementPreview": {"type": "object", "properties": {
        "recipients": {"type": "integer"},
        "by_language": {"type": "object", "additionalProperties": {"type": "integer"}},
        "fallback_languages": {"type": "array", "items": {"type": "string"},
                               "description": "Languages without their own text"},
        "messages": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {"subject": {"type": "string"},
                                             "text": {"type": "string"}}}}}},
}
ANNOUNCEMENT_PATHS: dict[str, Any] = {
    "/announcements": {
        "get": {"summary": "Both partners' announcements, newest first",
                "operationId": "listAnnouncements", "security": _SECURITY,
                "responses": {"200": {"description": "Announcements", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "announcements": {"type": "array",
                                          "items": {"$ref": _REF + "Announcement"}}}}}}},
                    **_STAFF}},
        "post": {"summary": "Write a draft announcement of your partner",
                 "operationId": "createAnnouncement", "security": _SECURITY,
                 "requestBody": {"required": True, "content": _json("AnnouncementInput")},
                 "responses": {"201": {"description": "Saved", "content": _json("Announcement")},
                               **_STAFF, **_BODY}},
    },
    "/announcements/{announcement_id}": {
        "parameters": [_ID],
        "get": {"summary": "One announcement", "operationId": "getAnnouncement",
                "security": _SECURITY,
                "responses": {"200": {"description": "The announcement",
                                      "content": _json("Announcement")},
                              **_STAFF, "404": _error("No such announcement")}},
        "patch": {"summary": "Change a draft (what is left out stays)",
                  "operationId": "changeAnnouncement", "security": _SECURITY,
                  "requestBody": {"required": True, "content": _json("AnnouncementInput")},
                  "responses": {"200": {"description": "Saved",
                                        "content": _json("Announcement")},
                                **_STAFF, **_BODY, "404": _error("No such announcement"),
                                "409": _error("Already sent")}},
    },
    "/announcements/{announcement_id}/preview": {
        "parameters": [_ID],
        "get": {"summary": "How many would get it now, per language, and its texts",
                "operationId": "previewAnnouncement", "security": _SECURITY,
                "responses": {"200": {"description": "The preview",
                                      "content": _json("AnnouncementPreview")},
                              **_STAFF, "404": _error("No such announcement")}},
    },
    "/announcements/{announcement_id}/send": {
        "parameters": [_ID],
        "post": {"summary": "Queue it to its audience, once",
                 "operationId": "sendAnnouncement", "security": _SECURITY,
                 "responses": {"200": {"description": "Sent", "content": _json("Announcement")},
                               **_STAFF, "404": _error("No such announcement"),
                               "409": _error("Already sent"),
                               "422": _error("The texts are not complete")}},
    },
}
