"""Pages that list things run a fixed number of SQL statements, whatever their size (issue 9).

Each test counts the statements one request sends (a ``before_cursor_execute`` listener on the
engine) with a few rows and with many, and asserts both counts are equal: a page that loads
a relation per row (N+1) fails here long before it is slow in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

import pytest
from sqlalchemy import event

from koosloome.db import utcnow
from koosloome.events.models import ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationStatus,
)

_numbers = count(1)


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client: Any, method: str, url: str, **kwargs: Any) -> int:
    """How many statements one request sends (it must succeed)."""
    db.session.commit()
    with counting_statements() as statements:
        response = client.open(url, method=method, **kwargs)
    assert response.status_code < 400, response.get_data(as_text=True)[:500]
    return len(statements)


def add_registrations(event_: Any, how_many: int, *, status: RegistrationStatus,
                      question: ExtraQuestion | None = None) -> None:
    """``how_many`` registrations with a need and an answer each, in one commit."""
    for _ in range(how_many):
        number = next(_numbers)
        registration = Registration(
            event=event_, status=status, name=f"Osaleja {number}",
            email=f"loend{number}@example.ee", consent_privacy_at=utcnow(),
            consent_health_at=utcnow(), needs_note="Vajan pause",
            needs=[RegistrationNeed(code="wheelchair")],
        )
        if question is not None:
            registration.answers.append(Answer(question=question, value="Jah"))
        if status is RegistrationStatus.WAITLISTED:
            registration.waitlisted_at = utcnow()
        assign_manage_token(registration)
        db.session.add(registration)
    db.session.commit()


@pytest.fixture
def event_with(make_event: Callable[..., Any]) -> Callable[..., Any]:
    """``event_with(n)`` → an event with an extra question and ``n`` registrations, mostly
    confirmed, some waiting."""

    def build(how_many: int, **fields: Any) -> Any:
        made = make_event(capacity=how_many + 10, **fields)
        question = ExtraQuestion(event=made, position=1, kind=QuestionKind.SHORT_TEXT,
                                 label_et="Nimi dokumendis", label_en="Name in the document",
                                 required=False)
        db.session.add(question)
        db.session.commit()
        waiting = how_many // 10
        add_registrations(made, how_many - waiting, status=RegistrationStatus.CONFIRMED,
                          question=question)
        add_registrations(made, waiting, status=RegistrationStatus.WAITLISTED,
                          question=question)
        return made

    return build


def test_home_page_with_200_events_runs_as_many_statements_as_with_10(client, make_event):
    for _ in range(10):
        make_event()
    few = statements_for(client, "GET", "/")
    for _ in range(190):
        make_event()
    many = statements_for(client, "GET", "/")
    assert many == few


def test_event_page_does_not_grow_with_registrations(client, event_with):
    small, large = event_with(10), event_with(200)
    assert statements_for(client, "GET", f"/events/{large.slug}") == \
        statements_for(client, "GET", f"/events/{small.slug}")


def test_registration_form_and_post_do_not_grow_with_registrations(client, event_with):
    small, large = event_with(10), event_with(200)
    counts = {}
    for name, made in (("small", small), ("large", large)):
        get = statements_for(client, "GET", f"/events/{made.slug}/register")
        post = statements_for(client, "POST", f"/events/{made.slug}/register", data={
            "name": "Uus Osaleja", "email": f"uus-{name}@example.ee", "consent_privacy": "y",
            "language": "et"})
        counts[name] = (get, post)
    assert counts["large"] == counts["small"]


def test_api_registration_does_not_grow_with_registrations(client, event_with):
    small, large = event_with(10), event_with(200)
    body = {"name": "Uus Osaleja", "consent_privacy": True}
    few = statements_for(client, "POST", f"/api/v1/events/{small.id}/registrations",
                         json={**body, "email": "api-small@example.ee"})
    many = statements_for(client, "POST", f"/api/v1/events/{large.id}/registrations",
                          json={**body, "email": "api-large@example.ee"})
    assert many == few


def test_back_office_registrations_list_with_500_runs_as_many_statements_as_with_10(
    login, make_user, event_with
):
    small, large = event_with(10), event_with(500)
    client = login(make_user())
    assert statements_for(client, "GET", f"/admin/events/{large.id}/registrations") == \
        statements_for(client, "GET", f"/admin/events/{small.id}/registrations")


def test_check_in_list_with_500_runs_as_many_statements_as_with_10(login, make_user, event_with):
    small, large = event_with(10), event_with(500)
    client = login(make_user())
    assert statements_for(client, "GET", f"/admin/events/{large.id}/check-in") == \
        statements_for(client, "GET", f"/admin/events/{small.id}/check-in")
