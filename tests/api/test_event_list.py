"""GET /api/v1/events: the home page's filters and paging in the JSON API, strict about
what it is asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from koosloome.db import utcnow
from koosloome.events.models import EventKind, EventStatus
from tests.factories import organisation


def _events(make_event, how_many: int, **fields):
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    return [make_event(title_et=f"Sündmus {number:02d}", starts_at=start + timedelta(days=number),
                       **fields) for number in range(how_many)]


def _titles(body) -> list[str]:
    return [event["title_et"] for event in body["events"]]


def test_the_list_comes_a_page_at_a_time_with_links_on(client, app, make_event):
    app.config["EVENTS_PER_PAGE"] = 2
    _events(make_event, 5)
    body = client.get("/api/v1/events").get_json()
    assert _titles(body) == ["Sündmus 00", "Sündmus 01"]
    assert {key: body[key] for key in ("page", "per_page", "pages", "total", "previous",
                                       "next")} == {
        "page": 1, "per_page": 2, "pages": 3, "total": 5, "previous": None,
        "next": "/api/v1/events?page=2"}
    last = client.get("/api/v1/events?page=3").get_json()
    assert _titles(last) == ["Sündmus 04"]
    assert last["previous"] == "/api/v1/events?page=2" and last["next"] is None


def test_per_page_is_kept_in_the_links(client, make_event):
    _events(make_event, 5)
    body = client.get("/api/v1/events?per_page=4&kind=seminar").get_json()
    assert len(body["events"]) == 4
    assert body["next"] == "/api/v1/events?page=2&kind=seminar&per_page=4"


def test_a_page_past_the_last_is_empty_and_points_back_to_the_last(client, make_event):
    _events(make_event, 3)
    body = client.get("/api/v1/events?page=7&per_page=2").get_json()
    assert body["events"] == [] and body["page"] == 7 and body["pages"] == 2
    assert body["previous"] == "/api/v1/events?page=2&per_page=2"
    assert body["next"] is None


def test_published_past_events_stay_unless_only_upcoming_ones_are_asked(client, make_event):
    make_event(title_et="Möödas", starts_at=utcnow() - timedelta(days=3))
    make_event(title_et="Tulemas")
    make_event(title_et="Mustand", status=EventStatus.DRAFT)
    assert _titles(client.get("/api/v1/events").get_json()) == ["Möödas", "Tulemas"]
    assert _titles(client.get("/api/v1/events?upcoming=true").get_json()) == ["Tulemas"]


def test_the_filters_combine_as_on_the_home_page(client, make_event):
    make_event(title_et="Õige", kind=EventKind.WORKSHOP, county="tartu",
               organisation=organisation("vpk"), co_organiser=organisation("tas"),
               starts_at=datetime(2031, 5, 5, 8, tzinfo=UTC))
    make_event(title_et="Vale maakond", kind=EventKind.WORKSHOP, county="voru",
               organisation=organisation("tas"), starts_at=datetime(2031, 5, 6, 8, tzinfo=UTC))
    make_event(title_et="Vale kuu", kind=EventKind.WORKSHOP, county="tartu",
               organisation=organisation("tas"), starts_at=datetime(2031, 7, 6, 8, tzinfo=UTC))
    body = client.get("/api/v1/events?kind=workshop&county=tartu&partner=tas&month=2031-05"
                      ).get_json()
    assert _titles(body) == ["Õige"]
    assert body["events"][0]["venue"]["county"] == "tartu"
    assert body["total"] == 1
    # An empty filter is no filter (the home page's form sends them so).
    assert len(client.get("/api/v1/events?kind=&county=&partner=&month=").get_json()[
        "events"]) == 3


def test_what_names_nothing_is_refused_naming_each_parameter(client, make_event):
    make_event()
    response = client.get("/api/v1/events?kind=picnic&county=lapimaa&partner=nobody"
                          "&month=2026-13&page=abc&per_page=101&upcoming=maybe")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid"
    assert set(body["fields"]) == {"kind", "county", "partner", "month", "page", "per_page",
                                   "upcoming"}
    assert body["fields"]["month"] == ["Anna kuu kujul AAAA-KK, näiteks 2026-03"]


@pytest.mark.parametrize("query", ["page=0", "page=-1", "per_page=0", "page=1.5", "page="])
def test_page_numbers_must_be_whole_and_positive(client, query):
    assert client.get(f"/api/v1/events?{query}").status_code == 422


def test_the_list_runs_the_same_statements_for_few_and_many_events(client, make_event):
    from tests.test_query_counts import statements_for

    _events(make_event, 3)
    few = statements_for(client, "GET", "/api/v1/events?page=2&per_page=2&kind=seminar")
    _events(make_event, 40)
    assert statements_for(client, "GET", "/api/v1/events?page=2&per_page=2&kind=seminar") \
        == few
