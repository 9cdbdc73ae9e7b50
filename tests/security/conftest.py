"""Fixtures for the security tests, and the count of fuzzed requests."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from koosloome.accounts import services as accounts
from tests.extra_apps import make_app

__all__ = ["FUZZ_COUNTS", "make_app"]

#: Requests sent by the fuzzing tests, by kind; reported at the end of the run.
FUZZ_COUNTS: Counter[str] = Counter()


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashes (one PBKDF2 round): tests that sign in and set passwords many
    times would otherwise spend seconds in scrypt."""
    fast = partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr(accounts, "generate_password_hash", fast)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", fast("koosloome-not-a-password"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many fuzzed requests the run sent."""
    if FUZZ_COUNTS:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(FUZZ_COUNTS.items()))
        terminalreporter.write_line(f"fuzzed requests: {counts}")
