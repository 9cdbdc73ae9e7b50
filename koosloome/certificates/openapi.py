"""OpenAPI 3.1 path item of the certificates download; merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _ERROR}


CERTIFICATE_PATHS: dict[str, Any] = {
    "/events/{event_id}/certificates.pdf": {
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "get": {
            "summary": "Certificates of participation of everyone checked in (event managers)",
            "description": "One A4 page per person checked in at the event, once it is over, "
                           "with the installation's funding statement and logos. Each in the "
                           "language the person registered in unless `lang` is given. The "
                           "download is written to the audit log.",
            "operationId": "getEventCertificates",
            "security": [{"bearerAuth": []}],
            "parameters": [{"name": "lang", "in": "query", "required": False,
                            "schema": {"enum": ["et", "en"]},
                            "description": "Every certificate in this language"}],
            "responses": {
                "200": {"description": "The certificates",
                        "content": {"application/pdf": {
                            "schema": {"type": "string", "format": "binary"}}}},
                "401": _error("No valid token"),
                "403": _error("Not allowed"),
                "404": _error("No such event"),
                "409": _error("Nobody earns a certificate yet (`no_certificate`): no one was "
                              "checked in, or the event is not over"),
            },
        },
    },
}
