"""Pages that list things run a fixed number of SQL statements, whatever their size (issue 9).

Each test counts the statements one request sends (a ``before_cursor_execute`` listener on the
engine) with a few rows and with many, and asserts both counts are equal: a page that loads
a relation per row (N+1) fails here long before it is slow in production.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, text

from koosloome.db import utcnow
from koosloome.events.models import Event, EventKind, EventStatus, ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationStatus,
)
from tests.factories import make_venue, organisation
from tests.sql_counter import counting_statements

_numbers = count(1)


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


def add_events(how_many: int, summary: str = "Arutame, kuidas kogukonnamaja kasutada.") -> None:
    """``how_many`` published upcoming events, one INSERT for all (a thousand ORM objects
    would take longer than the requests measured): 7 hours apart, the three kinds in turn,
    each partner's in turn, at a venue in Võru or Tartu county."""
    partners = [organisation("vpk"), organisation("tas")]
    venues = [make_venue(name_et="Võru Kannel", county="voru"),
              make_venue(name_et="Tartu LMK", county="tartu")]
    db.session.flush()
    kinds = list(EventKind)
    first = utcnow().replace(microsecond=0) + timedelta(days=1)
    rows = []
    for index in range(how_many):
        number = next(_numbers)
        starts_at = first + timedelta(hours=7 * index)
        rows.append({
            "slug": f"hulgi-{number}", "kind": kinds[index % 3],
            "status": EventStatus.PUBLISHED,
            "title_et": f"Külade arenguseminar nr {number}: kogukonnamaja ja noorte ideed",
            "summary_et": summary,
            "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=4),
            "capacity": 40, "organisation_id": partners[index % 2].id,
            "venue_id": venues[index % 2].id, "created_at": utcnow(), "updated_at": utcnow(),
        })
    db.session.execute(insert(Event), rows)
    db.session.commit()


def test_the_counter_sees_every_statement_and_skips_only_what_it_is_told(client):
    """The equalities below mean something only if the counter counts."""
    assert statements_for(client, "GET", "/") >= 2  # the partners, the events
    with counting_statements(skip=("SELECT", "BEGIN")) as statements:
        db.session.execute(text("SELECT 1"))
        db.session.execute(text("UPDATE event SET capacity = capacity WHERE id = -1"))
    assert [s.split()[0] for s in statements] == ["UPDATE"]
    db.session.rollback()


#: The home page's states: the first page, a later one, and later pages narrowed (each finds
#: events, however few: the month is the first event's, and that event is VPK's).
HOME_PAGES = ["/", "/?page=2", "/?kind=workshop&county=voru&page=2",
              "/?partner=vpk&month={month}&page=2", "/?page=99999"]


def test_home_page_with_1000_events_runs_as_many_statements_as_with_25(app, client):
    first = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo(app.config["TIMEZONE"]))
    pages = [path.format(month=first.strftime("%Y-%m")) for path in HOME_PAGES]
    add_events(25)
    few = [statements_for(client, "GET", path) for path in pages]
    add_events(975)
    many = [statements_for(client, "GET", path) for path in pages]
    assert many == few
    assert max(few) <= 5, few


def test_the_api_event_list_with_1000_events_runs_as_many_statements_as_with_25(client):
    pages = ["/api/v1/events", "/api/v1/events?upcoming=true&page=2",
             "/api/v1/events?kind=seminar&county=tartu&page=2&per_page=2"]
    add_events(25)
    few = [statements_for(client, "GET", path) for path in pages]
    add_events(975)
    assert [statements_for(client, "GET", path) for path in pages] == few


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
