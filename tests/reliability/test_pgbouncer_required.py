"""Without pgbouncer the PgBouncer tests skip, except in CI, where that is a failure."""

from __future__ import annotations

import pytest

from tests.reliability import conftest


def test_a_missing_pgbouncer_skips_outside_ci(monkeypatch):
    monkeypatch.setattr(conftest, "binary", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y pgbouncer"):
        conftest.require_pgbouncer()


def test_a_missing_pgbouncer_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "binary", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs pgbouncer"):
        conftest.require_pgbouncer()
