"""Keeping exported cells inert: spreadsheet formula (CSV) injection."""

from __future__ import annotations

from typing import Any

#: A spreadsheet reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text that a spreadsheet would run as a formula (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
