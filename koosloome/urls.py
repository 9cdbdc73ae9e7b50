"""Helpers for URLs taken from requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from koosloome.db import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:…>`` in our routes: a number beyond any id becomes ``MAX_ID + 1``, which names
    no row (so a 404), instead of reaching the database, which cannot compare it (SQLite:
    OverflowError). Clamped rather than refused: a converter's refusal can turn into a 405
    when another rule shares the path."""

    def to_python(self, value: str) -> Any:
        """The number, at most ``MAX_ID + 1``."""
        return min(super().to_python(value), MAX_ID + 1)


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
