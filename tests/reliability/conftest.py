"""Fixtures for the reliability tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bench.pgbouncer import INSTALL_HINT, PgBouncer, binary
from tests.extra_apps import make_app

__all__ = ["make_app"]


def require_pgbouncer() -> None:
    """Skip when PgBouncer is not installed, except in CI (``CI=true``), where that fails."""
    if binary() is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs pgbouncer (.ci/run installs it: {INSTALL_HINT})")
    pytest.skip(f"PgBouncer is missing: {INSTALL_HINT}")


@pytest.fixture
def start_pgbouncer(database_url: str, is_postgres: bool) -> Iterator[Callable[..., PgBouncer]]:
    """``start_pgbouncer(default_pool_size=1)`` → a PgBouncer of its own in front of the test
    database's server, with docs/deploy/pgbouncer.ini's settings and these on top (transaction
    pooling; no reserve pool unless asked: a client that waits gets no extra server
    connection); stopped after the test, so no server connection outlives it."""
    if not is_postgres:
        pytest.skip("PgBouncer stands in front of PostgreSQL")
    require_pgbouncer()
    started: list[PgBouncer] = []

    def start(**settings: Any) -> PgBouncer:
        bouncer = PgBouncer(database_url, **{"reserve_pool_size": 0, **settings}).start()
        started.append(bouncer)
        return bouncer

    yield start
    for bouncer in started:
        bouncer.stop()
