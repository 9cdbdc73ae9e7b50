"""Picking the right language of a bilingual text column (``title_et`` / ``title_en``)."""

from __future__ import annotations

from typing import Any

FALLBACK_LANGUAGE = "et"


def localised(obj: Any, field: str, language: str) -> str:
    """``obj.<field>_<language>``, falling back to Estonian when that one is empty."""
    value = getattr(obj, f"{field}_{language}", None)
    if value:
        return value
    return getattr(obj, f"{field}_{FALLBACK_LANGUAGE}", None) or ""
