"""A fixture for tests that need a second app with its own configuration (import it into a
folder's conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from koosloome import create_app
from koosloome.extensions import db
from tests.conftest import IsolatedContextClient


@pytest.fixture
def make_app(
    app: Flask, make_config: Callable[..., dict[str, Any]]
) -> Iterator[Callable[..., Flask]]:
    """``make_app(BASE_URL="https://…")`` → another app on the test database; its connections
    are closed after the test."""
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = create_app(make_config(**overrides))
        application.test_client_class = IsolatedContextClient
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.engine.dispose()
