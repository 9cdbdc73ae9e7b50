"""OpenAPI 3.1 path items and schemas of an event's files; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.files.models import EventFileKind

_REF = "#/components/schemas/"


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + name}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


_KINDS = [kind.value for kind in EventFileKind]
_EVENT_ID = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_FILE_ID = {"name": "file_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_STAFF = {"401": _error("No valid token"), "403": _error("Not allowed")}
_FLAG = {"type": "string", "enum": ["true", "false"]}
FILE_SCHEMAS: dict[str, Any] = {
    "EventFile": {"type": "object", "properties": {
        "id": {"type": "integer"}, "event_id": {"type": "integer"},
        "kind": {"enum": _KINDS}, "title": {"type": "string"},
        "shared_with_participants": {"type": "boolean"},
        "file_name": {"type": "string", "description": "The uploaded file's name, cleaned"},
        "content_type": {"type": "string", "description": "Detected from the content"},
        "size": {"type": "integer"}, "sha256": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "content_url": {"type": "string", "description": "Where the bytes are (same token)"}}},
    "EventFileUpload": {
        "type": "object", "required": ["kind", "file"], "additionalProperties": False,
        "properties": {
            "kind": {"enum": _KINDS},
            "title": {"type": "string", "maxLength": 200,
                      "description": "The file's name when left out"},
            "file": {"type": "string", "contentMediaType": "application/octet-stream",
                     "description": "Materials: PDF, JPEG, PNG, WebP, DOCX, PPTX, XLSX, ODT, "
                                    "ODP; photos: JPEG, PNG, WebP; attendance sheets: PDF, "
                                    "JPEG, PNG, WebP. The type is read from the content. At "
                                    "most MAX_UPLOAD_MB (10 MB by default)."},
            "shared_with_participants": {**_FLAG, "description": "Materials only"},
            "nobody_refused": {**_FLAG, "description": "Needed for photos: no one in them "
                                                       "refused photo consent"}}},
}
FILE_PATHS: dict[str, Any] = {
    "/events/{event_id}/files": {
        "parameters": [_EVENT_ID],
        "get": {"summary": "The event's files (its organisers)", "operationId": "listFiles",
                "security": [{"bearerAuth": []}],
                "responses": {"200": {"description": "Files", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "event_id": {"type": "integer"},
                        "files": {"type": "array", "items": {"$ref": _REF + "EventFile"}}}}}}},
                    **_STAFF, "404": _error("No such event")}},
        "post": {"summary": "Attach a file (checked before anything is stored)",
                 "operationId": "uploadFile", "security": [{"bearerAuth": []}],
                 "requestBody": {"required": True, "content": {"multipart/form-data": {
                     "schema": {"$ref": _REF + "EventFileUpload"}}}},
                 "responses": {"201": {"description": "Stored", "content": _json("EventFile")},
                               **_STAFF,
                               "400": _error("Not multipart/form-data"),
                               "404": _error("No such event"),
                               "413": _error("The file is over the limit"),
                               "415": _error("Not an accepted type of file"),
                               "422": _error("No file, an empty file, photo consent not "
                                             "confirmed, or fields not right")}},
    },
    "/events/{event_id}/files/{file_id}": {
        "parameters": [_EVENT_ID, _FILE_ID],
        "delete": {"summary": "Delete a file (its bytes too)", "operationId": "deleteFile",
                   "security": [{"bearerAuth": []}],
                   "responses": {"204": {"description": "Deleted"}, **_STAFF,
                                 "404": _error("No such file")}},
    },
    "/events/{event_id}/files/{file_id}/content": {
        "parameters": [_EVENT_ID, _FILE_ID],
        "get": {"summary": "The file's bytes", "operationId": "getFileContent",
                "security": [{"bearerAuth": []}],
                "responses": {"200": {"description": "The file, as stored", "content": {
                    "application/octet-stream": {"schema": {
                        "type": "string", "contentMediaType": "application/octet-stream"}}}},
                    **_STAFF, "404": _error("No such file")}},
    },
}
