"""The calendar feed built once per change (``events.feed``): its ETag and 304, a body that
follows every change it shows (none stale), a fixed number of queries, a bounded cache."""

from __future__ import annotations

import re
from datetime import time, timedelta

import icalendar
from sqlalchemy import text

from koosloome.db import utcnow
from koosloome.events import feed
from koosloome.events.calendar_revision import WATCHED, current_revision
from koosloome.events.models import EventKind, EventStatus, TripDay, TripStop
from koosloome.extensions import db
from tests.factories import make_registration, organisation
from tests.sql_counter import counting_statements


def _selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def _summaries(body: bytes) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT"))


def _trip(make_event, number: int = 0):
    """A published two-day study trip with a day and two stops in its itinerary."""
    starts = utcnow().replace(microsecond=0) + timedelta(days=30 + number)
    trip = make_event(kind=EventKind.STUDY_TRIP, title_et=f"Õppereis {number}",
                      starts_at=starts, ends_at=starts + timedelta(days=1, hours=12))
    day = TripDay(day=(starts + timedelta(days=1)).date(), title_et="Tartu")
    day.stops.append(TripStop(at=time(10), place_et="Raamatukogu", country="EE"))
    day.stops.append(TripStop(at=time(14), place_et="Päevakeskus", country="EE"))
    trip.itinerary.append(day)
    db.session.commit()
    return trip


def test_a_client_with_the_feeds_etag_gets_304(client, make_event):
    make_event(title_et="Tulemas")
    first = client.get("/calendar.ics")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "public, max-age=900"
    again = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=900"
    assert set(again.headers["Vary"].split(", ")) >= {"Accept-Language", "Cookie"}
    assert client.get("/calendar.ics", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/calendar.ics", headers={"If-None-Match": "*"}).status_code == 304


def test_each_feed_has_its_own_etag(client, make_event):
    make_event(title_et="VPK seminar", organisation=organisation("vpk"))
    make_event(title_et="TAS töötuba", kind=EventKind.WORKSHOP, organisation=organisation("tas"))
    etags = {query: client.get(f"/calendar.ics{query}").headers["ETag"]
             for query in ("", "?partner=vpk", "?partner=tas", "?kind=workshop")}
    assert _summaries(client.get("/calendar.ics?partner=tas").data) == ["TAS töötuba"]
    client.set_cookie("lang", "en")
    etags["en"] = client.get("/calendar.ics").headers["ETag"]
    assert len(set(etags.values())) == len(etags)
    assert client.get("/calendar.ics", headers={"If-None-Match": etags[""]}).status_code == 200


def test_every_change_the_feed_shows_gives_a_new_body(client, make_event, make_user):
    """Created, changed, cancelled, unpublished, deleted; the venue, the organiser and a
    trip's stop changed: each time a new ETag and the new content, never the kept body."""
    kept = make_event(title_et="Jääb")
    event_ = make_event(title_et="Algne")
    trip = _trip(make_event)
    seen = {client.get("/calendar.ics").headers["ETag"]}

    def feed_after(change) -> str:
        change()
        db.session.commit()
        response = client.get("/calendar.ics")
        assert response.status_code == 200
        assert response.headers["ETag"] not in seen
        seen.add(response.headers["ETag"])
        return response.get_data(as_text=True)

    def rename(obj, field: str, value: str):
        return lambda: setattr(obj, field, value)

    assert "Lisatud" in feed_after(lambda: make_event(title_et="Lisatud"))
    assert "Muudetud" in feed_after(rename(event_, "title_et", "Muudetud"))
    assert "Uus koht" in feed_after(rename(event_.venue, "name_et", "Uus koht"))
    assert "Uus nimi MTÜ" in feed_after(rename(organisation("vpk"), "name", "Uus nimi MTÜ"))
    assert "Muuseum" in feed_after(rename(trip.itinerary[0].stops[0], "place_et", "Muuseum"))
    assert "Muuseum" not in feed_after(lambda: db.session.delete(trip.itinerary[0].stops[0]))
    assert "Muudetud" not in feed_after(rename(event_, "status", EventStatus.CANCELLED))
    assert "Õppereis" not in feed_after(rename(trip, "status", EventStatus.DRAFT))
    assert "Lisatud" not in feed_after(lambda: db.session.execute(
        text("DELETE FROM event WHERE title_et = 'Lisatud'")))
    assert _summaries(client.get("/calendar.ics").data) == [kept.title_et]


def test_registrations_leave_the_feed_as_it_was(client, make_event):
    """The seats taken are not in the feed: a registration (the seat counter's triggers
    write the event) keeps the revision, the ETag and the kept body."""
    event_ = make_event()
    etag = client.get("/calendar.ics").headers["ETag"]
    revision = current_revision()
    make_registration(event_)
    db.session.commit()
    assert db.session.scalar(text("SELECT seats_taken FROM event")) == 1
    assert current_revision() == revision
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304


def test_an_event_that_has_ended_drops_out(app, make_event):
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    first = make_event(title_et="Esimene", starts_at=start)
    second = make_event(title_et="Teine", starts_at=start + timedelta(days=1))
    now = feed.feed_version("et", None, None)
    later = feed.feed_version("et", None, None, first.ends_at)
    assert later.revision == now.revision and feed.feed_etag(later) != feed.feed_etag(now)
    assert _summaries(feed.feed_body(now)) == [first.title_et, second.title_et]
    assert _summaries(feed.feed_body(later)) == [second.title_et]
    gone = feed.feed_version("et", None, None, second.ends_at)
    assert gone.first_end is None and _summaries(feed.feed_body(gone)) == []


def test_unknown_partner_or_kind_is_404_before_any_building(client, make_event):
    make_event()
    with counting_statements() as statements:
        assert client.get("/calendar.ics?partner=nobody").status_code == 404
    assert len(_selects(statements)) == 1
    assert client.get("/calendar.ics?kind=party").status_code == 404


def test_a_kept_feed_costs_one_query_however_many_events(app, client, make_event):
    """Built: the same statements for 2 trips as for 20 (each with a day and two stops);
    kept, or answered 304: one SELECT."""

    def selects(**headers: str) -> list[str]:
        db.session.commit()
        with counting_statements() as sent:
            response = client.get("/calendar.ics?partner=vpk", headers=headers)
        assert response.status_code in (200, 304)
        return _selects(sent)

    built, kept, unchanged = [], [], []
    made = 0
    for trips in (2, 20):
        while made < trips:
            made += 1
            _trip(make_event, made)
            make_event()
        built.append(len(selects()))
        kept.append(selects())
        etag = client.get("/calendar.ics?partner=vpk").headers["ETag"]
        unchanged.append(selects(**{"If-None-Match": etag}))
    assert built[0] == built[1] <= 6, built
    assert [len(s) for s in kept] == [len(s) for s in unchanged] == [1, 1]
    assert "content_revision" in kept[0][0] and "content_revision" in unchanged[1][0]


def test_the_cache_is_bounded(app, client, make_event):
    make_event()
    for number in range(feed.CACHE_ENTRIES + 4):
        client.set_cookie("lang", "en" if number % 2 else "et")
        query = ["", "?partner=vpk", "?partner=tas", "?kind=seminar", "?kind=workshop",
                 "?kind=study_trip", "?partner=vpk&kind=seminar"][number % 7]
        assert client.get(f"/calendar.ics{query}").status_code == 200
    assert len(app.extensions["koosloome.calendar_feed"]) == feed.CACHE_ENTRIES


def test_the_triggers_watch_every_table_the_feed_reads(app, make_event):
    """A new table in the feed's text needs its triggers (``calendar_revision.WATCHED``)."""
    _trip(make_event)
    make_event(co_organiser=organisation("tas"))
    db.session.commit()
    db.session.expunge_all()
    with counting_statements() as statements:
        feed.build_feed(feed.feed_version("et", "tas", None))
    read = {name for statement in statements
            for name in re.findall(r"\b(?:FROM|JOIN)\s+\"?(\w+)", statement)}
    assert read and read <= {table.name for table in WATCHED} | {"content_revision"}, read
