"""Board test helpers: join a board through the page, as a browser would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def join_web(client: FlaskClient) -> Callable[..., FlaskClient]:
    """``join_web(board, "Mari")`` joins on the test client (the signed cookie is kept)."""

    def joiner(board: Any, name: str = "Mari", on: FlaskClient | None = None) -> FlaskClient:
        target = on or client
        response = target.post(f"/b/{board.join_code}/join", data={"display_name": name})
        assert response.status_code == 302, response.get_data(as_text=True)
        return target

    return joiner
