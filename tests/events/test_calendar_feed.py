"""The public calendar: the subscribable feed, one event's .ics, and "add to calendar" links."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import vobject

from koosloome.db import utcnow
from koosloome.events.models import EventStatus


def _parse(body: bytes) -> tuple[icalendar.Calendar, object]:
    return icalendar.Calendar.from_ical(body), vobject.readOne(body.decode("utf-8"))


def test_feed_lists_published_upcoming_events_only(client, make_event):
    upcoming = make_event(title_et="Tulemas", title_en="Upcoming")
    make_event(title_et="Mustand", status=EventStatus.DRAFT)
    make_event(title_et="Möödas", starts_at=utcnow() - timedelta(days=3))
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data()
    calendar, parsed = _parse(body)
    assert parsed.method.value == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Koosloome sündmused"
    assert str(calendar["NAME"]) == "Koosloome sündmused"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:" in body
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Tallinn"
    assert b"ATTENDEE" not in body
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Tulemas"]
    assert parsed.vevent.dtstart.value.astimezone(upcoming.starts_at.tzinfo) == upcoming.starts_at
    assert parsed.vevent.uid.value.startswith(f"koosloome-event-{upcoming.id}@")


def test_feed_follows_the_language_choice(client, make_event):
    make_event(title_et="Tulemas", title_en="Upcoming")
    client.set_cookie("lang", "en")
    calendar, _ = _parse(client.get("/calendar.ics").get_data())
    assert str(calendar["X-WR-CALNAME"]) == "Koosloome events"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Upcoming"]


def test_one_event_as_a_calendar_file(client, make_event):
    event = make_event(slug="kaasav-planeerimine", revision=2)
    response = client.get("/events/kaasav-planeerimine.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="kaasav-planeerimine.ics"; filename*=UTF-8\'\'kaasav-planeerimine.ics'
    )
    _calendar, parsed = _parse(response.get_data())
    assert parsed.method.value == "PUBLISH"
    assert int(parsed.vevent.sequence.value) == 2
    assert parsed.vevent.url.value == "http://koosloome.test/events/kaasav-planeerimine"
    assert event.venue_name in parsed.vevent.location.value


def test_cancelled_event_file_says_cancelled_and_drafts_are_not_found(client, make_event):
    make_event(slug="ara-jaetud", status=EventStatus.CANCELLED)
    make_event(slug="mustand", status=EventStatus.DRAFT)
    _, parsed = _parse(client.get("/events/ara-jaetud.ics").get_data())
    assert parsed.vevent.status.value == "CANCELLED"
    assert client.get("/events/mustand.ics").status_code == 404
    assert client.get("/events/puudub.ics").status_code == 404


def test_event_page_offers_add_to_calendar_links(client, make_event):
    make_event(slug="kaasav-planeerimine", title_et="Kaasav planeerimine")
    page = client.get("/events/kaasav-planeerimine").get_data(as_text=True)
    assert "Lisa oma kalendrisse" in page
    assert 'href="/events/kaasav-planeerimine.ics"' in page
    google = "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Kaasav+planeerimine"
    assert google in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page


def test_cancelled_event_page_offers_no_calendar_links(client, make_event):
    make_event(slug="ara-jaetud", status=EventStatus.CANCELLED)
    page = client.get("/events/ara-jaetud").get_data(as_text=True)
    assert "Lisa oma kalendrisse" not in page


def test_feeds_per_partner_and_per_kind_are_linked_from_the_home_page(client, make_event):
    """Issue 16.11: the subscribable feed was linked from no page; one per partner and kind."""
    from koosloome.events.models import EventKind
    from tests.factories import organisation

    seminar = make_event(title_et="VPK seminar", organisation=organisation("vpk"))
    joint = make_event(title_et="Ühine töötuba", kind=EventKind.WORKSHOP,
                       organisation=organisation("tas"), co_organiser=organisation("vpk"))
    make_event(title_et="TAS õppereis", kind=EventKind.STUDY_TRIP,
               organisation=organisation("tas"))
    home = client.get("/").get_data(as_text=True)
    for link in ('href="/calendar.ics"', 'href="/calendar.ics?partner=vpk"',
                 'href="/calendar.ics?partner=tas"', 'href="/calendar.ics?kind=workshop"',
                 'href="/calendar.ics?kind=study_trip"'):
        assert link in home, link

    def titles(query: str) -> list[str]:
        calendar, _parsed = _parse(client.get(f"/calendar.ics{query}").data)
        return sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))

    assert titles("?partner=vpk") == sorted([seminar.title_et, joint.title_et])
    assert titles("?kind=workshop") == [joint.title_et]
    assert titles("?partner=tas&kind=study_trip") == ["TAS õppereis"]
    calendar, _parsed = _parse(client.get("/calendar.ics?partner=vpk").data)
    assert "Võrumaa Partnerluskogu" in str(calendar["X-WR-CALNAME"])
    assert client.get("/calendar.ics?partner=nobody").status_code == 404
    assert client.get("/calendar.ics?kind=party").status_code == 404


def test_the_event_page_offers_registration_near_the_top(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    link = f'href="/events/{event.slug}/register"'
    assert html.count(link) == 2
    assert html.index(link) < html.index('id="about-heading"' if 'id="about-heading"' in html
                                         else 'id="access-heading"')
