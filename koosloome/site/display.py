"""Reading preferences: larger text and high contrast, remembered in a cookie (no account)."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request

DISPLAY_COOKIE = "display"
SETTINGS = ("large", "contrast")


def current_settings() -> frozenset[str]:
    """The settings the visitor has switched on (none outside a request, e.g. in e-mails)."""
    if not has_request_context():
        return frozenset()
    raw = request.cookies.get(DISPLAY_COOKIE, "")
    return frozenset(part for part in raw.split(",") if part in SETTINGS)


def toggled(settings: frozenset[str], setting: str) -> str:
    """The cookie value after switching ``setting`` on or off."""
    return ",".join(sorted(settings ^ {setting}))


def init_display(app: Flask) -> None:
    """Give templates the visitor's settings (classes on <html>)."""

    @app.context_processor
    def _display() -> dict[str, Any]:
        settings = current_settings()
        return {
            "display_settings": settings,
            "display_classes": " ".join(f"display-{name}" for name in sorted(settings)),
        }
