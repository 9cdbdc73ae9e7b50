"""Helpers for URLs taken from requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from koosloome.db import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:…>`` in our routes: a number beyond any id becomes 0, which names no row (ids
    start at 1), so a 404, instead of reaching the database, which cannot take it
    (PostgreSQL: integer out of range; SQLite past 2**63: OverflowError). Mapped, not
    refused: a converter's refusal turns into a 405 when another rule shares the path."""

    def to_python(self, value: str) -> Any:
        """The number, or 0 when no INTEGER column can hold it."""
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go on to, or ``default``: never another site (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(char) < 32 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
