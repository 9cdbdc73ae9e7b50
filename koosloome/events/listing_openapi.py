"""OpenAPI 3.1 description of the public event list's query and answer (GET /events, a
page at a time; ``listing``); merged into /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from koosloome.accounts.partners import PARTNERS
from koosloome.events.listing import COUNTY_CODES, MAX_PER_PAGE
from koosloome.events.models import EventKind


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


#: An empty filter is no filter (what the home page's form sends for "all").
EVENT_LIST_PARAMETERS = [
    _query("kind", {"enum": ["", *(kind.value for kind in EventKind)]},
           "Only events of this kind"),
    _query("county", {"enum": ["", *COUNTY_CODES]}, "Only events at a venue in this county"),
    _query("partner", {"enum": ["", *(partner["slug"] for partner in PARTNERS)]},
           "Only events this partner organises or co-organises"),
    _query("month", {"type": "string", "pattern": "^(2[0-9]{3}-(0[1-9]|1[0-2]))?$"},
           "Only events on during this month (YYYY-MM, Estonian time)"),
    _query("upcoming", {"type": "boolean", "default": False},
           "true: only events that are not over (the home page's list)"),
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
           "Events per page (default: the site's EVENTS_PER_PAGE, 10)"),
]

_PAGE_LINK = {"type": ["string", "null"], "format": "uri-reference",
              "description": "The same query's page before or after (null: none)"}

EVENT_LIST: dict[str, Any] = {
    "type": "object",
    "required": ["events", "page", "per_page", "pages", "total", "previous", "next"],
    "properties": {
        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "pages": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "description": "Events on all pages"},
        "previous": _PAGE_LINK, "next": _PAGE_LINK,
    },
}
