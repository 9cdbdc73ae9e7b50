"""Rate limits taken from the configuration, so operators and load tests can set them."""

from __future__ import annotations

from flask import current_app


def registration_rate_limit() -> str:
    """The limit on registering per client address (form and API): REGISTRATION_RATE_LIMIT."""
    return current_app.config["REGISTRATION_RATE_LIMIT"]
