"""Helpers for the report tests: many registrations at once, a query counter, staff clients."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pypdf import PdfReader

from koosloome.extensions import db
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationNeed, RegistrationStatus
from tests.sql_counter import counting_statements

_numbers = itertools.count(1)


def add_registrations(event: Any, count: int, needs: tuple[str, ...] = (),
                      **fields: Any) -> list[Registration]:
    """``count`` confirmed registrations for ``event`` in one commit."""
    made = []
    for _ in range(count):
        number = next(_numbers)
        values: dict[str, Any] = {
            "event": event,
            "status": RegistrationStatus.CONFIRMED,
            "name": f"Osaleja {event.id}-{number:04d}",
            "email": f"p{number}@example.ee",
        }
        values.update(fields)
        registration = Registration(**values)
        registration.needs = [RegistrationNeed(code=code) for code in needs]
        assign_manage_token(registration)
        made.append(registration)
    db.session.add_all(made)
    db.session.commit()
    return made


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (on the app's engine)."""
    with counting_statements(skip=("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")) as statements:
        yield statements


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def staff_client(app: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``staff_client(Role.ORGANISER, "vpk")`` → a fresh test client signed in as new staff."""

    def build(role: Any, organisation: str = "vpk") -> Any:
        user = make_user(role, organisation)
        client = app.test_client()
        response = client.post(
            "/login", data={"email": user.email, "password": "correct horse battery"}
        )
        assert response.status_code == 302
        client.user = user
        return client

    return build
