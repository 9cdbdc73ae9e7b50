"""Fixtures shared with the report tests: a client signed in as new staff of a given role."""

from tests.reports.conftest import staff_client  # noqa: F401  (a fixture, used by name)
