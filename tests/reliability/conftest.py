"""Fixtures for the reliability tests."""

from tests.extra_apps import make_app

__all__ = ["make_app"]
