"""A study trip's itinerary (issue 18.1): days and stops kept by organisers, shown on the trip
page, the manage page, the e-mails and the calendar invitation; and every place that shows
when an event is gives a multi-day trip its whole span."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.events.models import EventKind, StepFree, TripDay, TripStop
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from tests.factories import manage_path_of

TALLINN = ZoneInfo("Europe/Tallinn")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _first_day() -> date:
    # A Sunday three to four weeks ahead, away from the clock changes (late March, late
    # October), so that the expected local times hold on any day the suite runs.
    day = date.today() + timedelta(days=21)
    day += timedelta(days=(6 - day.weekday()) % 7)
    while (day.month, day.day) in {(3, d) for d in range(20, 32)} | {
            (10, d) for d in range(20, 32)} | {(4, d) for d in range(1, 4)}:
        day += timedelta(days=7)
    return day


@pytest.fixture
def trip(make_event):
    first = _first_day()
    return make_event(
        kind=EventKind.STUDY_TRIP, title_et="Õppereis Rootsi", title_en="Study trip to Sweden",
        starts_at=datetime.combine(first, time(6), TALLINN),
        ends_at=datetime.combine(first + timedelta(days=2), time(22), TALLINN))


@pytest.fixture
def planned(trip):
    first = trip.starts_at.astimezone(TALLINN).date()
    day = TripDay(day=first + timedelta(days=1), title_et="Stockholm", title_en="Stockholm",
                  overnight_et="Hotell Stockholmis", overnight_en="A hotel in Stockholm")
    day.stops.append(TripStop(
        at=time(10), place_et="Päevakeskus eakatele", place_en="Day centre for older people",
        country="SE", host="Stockholmi linn", learning_et="Kuidas eakad ise teenust kavandavad",
        learning_en="How older people plan the service themselves", walking_m=300,
        step_free=StepFree.YES))
    day.stops.append(TripStop(at=time(14), place_et="Raamatukogu", country="SE",
                              step_free=StepFree.UNKNOWN))
    trip.itinerary.append(day)
    db.session.commit()
    return trip


def test_a_three_day_trip_shows_both_ends_and_its_length_everywhere(client, trip):
    html = _text(client.get(f"/events/{trip.slug}"))
    first, last = (trip.starts_at.astimezone(TALLINN).date(),
                   trip.ends_at.astimezone(TALLINN).date())
    assert f"{first.day}. " in html and f"{last.day}. " in html
    assert re.search(r"pühapäev, \d+\. \w+ \d{4}, 06:00 – teisipäev, \d+\. \w+ \d{4}, 22:00 "
                     r"\(3 päeva\)", html), html
    client.set_cookie("lang", "en")
    html = _text(client.get(f"/events/{trip.slug}"))
    assert re.search(r"Sunday \d+ \w+ \d{4}, 06:00 – Tuesday \d+ \w+ \d{4}, 22:00 \(3 days\)",
                     html)
    assert not re.search(r"Sunday \d+ \w+ \d{4}, 06:00–22:00", html)
    home = _text(client.get("/"))
    assert f"{first:%d %b %Y}".lstrip("0") in home or f"{first.day} " in home
    assert " – " in home


def test_a_one_day_seminar_keeps_one_date_with_two_times(client, make_event):
    start = datetime.combine(_first_day(), time(10), TALLINN)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4))
    html = _text(client.get(f"/events/{event.slug}"))
    assert re.search(r"pühapäev, \d+\. \w+ \d{4}, 10:00–14:00", html)
    assert "päeva)" not in html


def test_the_organiser_plans_days_and_stops_in_the_back_office(client, login, make_user, trip):
    login(make_user(Role.ORGANISER, "vpk"))
    page = client.get(f"/admin/events/{trip.id}/itinerary")
    assert page.status_code == 200 and "Reisikava on tühi" in _text(page)
    second = trip.starts_at.astimezone(TALLINN).date() + timedelta(days=1)
    added = client.post(f"/admin/events/{trip.id}/itinerary", data={
        "day": second.isoformat(), "title_et": "Stockholm", "overnight_et": "Hotell"})
    assert added.status_code == 302
    day = db.session.scalars(select(TripDay)).one()
    stop = client.post(f"/admin/events/{trip.id}/itinerary/days/{day.id}/stops", data={
        "at": "10:00", "place_et": "Päevakeskus", "country": "se", "walking_m": "300",
        "step_free": "partly", "access_note_et": "Kaks astet, käsipuu"})
    assert stop.status_code == 302
    saved = db.session.scalars(select(TripStop)).one()
    assert (saved.country, saved.walking_m, saved.step_free) == ("SE", 300, StepFree.PARTLY)
    html = _text(client.get(f"/admin/events/{trip.id}/itinerary"))
    assert "Päev 2" in html and "Päevakeskus" in html
    # 10:00 in Stockholm is 11:00 in Tallinn (both on winter or both on summer time)
    assert "kohalik aeg (Rootsi); Eestis 11:00" in html
    assert "Umbes 300 m jalgsi. Osaliselt astmeteta. Kaks astet, käsipuu" in html
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"event.itinerary.day", "event.itinerary.stop"} <= actions


def test_a_day_outside_the_trip_or_twice_and_a_wrong_country_are_refused(
        client, login, make_user, planned):
    login(make_user(Role.ORGANISER, "vpk"))
    taken = planned.itinerary[0].day
    again = client.post(f"/admin/events/{planned.id}/itinerary", data={"day": taken.isoformat()})
    outside = client.post(f"/admin/events/{planned.id}/itinerary",
                          data={"day": (taken + timedelta(days=30)).isoformat()})
    for response, message in ((again, "See päev on reisikavas juba olemas"),
                              (outside, "Vali üks reisi päevadest")):
        assert response.status_code == 422
        assert "<title>Viga:" in _text(response) and message in _text(response)
    wrong = client.post(
        f"/admin/events/{planned.id}/itinerary/days/{planned.itinerary[0].id}/stops",
        data={"at": "25:00", "place_et": "", "country": "XX", "walking_m": "-5"})
    assert wrong.status_code == 422
    html = _text(wrong)
    for message in ("Kirjuta aeg tundide ja minutitena, näiteks 09:30",
                    "See väli on kohustuslik", "kahetähelise koodina",
                    "Number peab olema vahemikus 0 - 20000"):
        assert message in html, message
    assert len(planned.itinerary[0].stops) == 2  # nothing stored, nothing lost


def test_the_other_partner_cannot_touch_the_itinerary(client, login, make_user, planned):
    login(make_user(Role.ORGANISER, "tas"))
    assert client.get(f"/admin/events/{planned.id}/itinerary").status_code == 403
    stop = planned.itinerary[0].stops[0]
    assert client.post(
        f"/admin/events/{planned.id}/itinerary/stops/{stop.id}/delete").status_code == 403
    assert db.session.get(TripStop, stop.id) is not None


def test_the_trip_page_and_manage_page_show_the_itinerary_in_the_readers_language(
        client, planned):
    html = _text(client.get(f"/events/{planned.slug}"))
    assert "Reisikava" in html and "Päevakeskus eakatele" in html
    assert "Kuidas eakad ise teenust kavandavad" in html
    assert "Öö: Hotell Stockholmis" in html
    assert "Raamatukogu" in html and "Astmeteta ligipääsu pole veel kontrollitud" in html
    client.post(f"/events/{planned.slug}/register", data={
        "name": "Mari Tamm", "email": "mari@example.ee", "language": "en",
        "consent_privacy": "y"})
    client.set_cookie("lang", "en")
    manage = _text(client.get(manage_path_of("mari@example.ee")))
    assert "Itinerary" in manage and "Day centre for older people" in manage
    assert "local time in Sweden; in Estonia 11:00" in manage


def test_the_email_and_invitation_carry_the_span_and_the_itinerary(client, planned):
    client.post(f"/events/{planned.slug}/register", data={
        "name": "Mari Tamm", "email": "mari@example.ee", "language": "en",
        "consent_privacy": "y"})
    render_pending()
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert re.search(r"06:00 – Tuesday \d+ \w+ \d{4}, 22:00 \(3 days\)", email.body_text)
    assert "Itinerary:" in email.body_text and "Day 2," in email.body_text
    assert "10:00 (local time in Sweden; in Estonia 11:00) Day centre for older people, " \
           "Sweden" in email.body_text
    assert "<li>10:00 (local time in Sweden" in email.body_html
    # One entry from the first morning to the last evening, read by two parsers.
    calendar = icalendar.Calendar.from_ical(email.calendar)
    [entry] = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == planned.starts_at.astimezone(TALLINN)
    assert entry.decoded("dtend") == planned.ends_at.astimezone(TALLINN)
    assert "Day centre for older people" in str(entry.get("description"))
    parsed = vobject.readOne(email.calendar.decode())
    [vevent] = parsed.vevent_list
    assert (vevent.dtend.value - vevent.dtstart.value) == timedelta(days=2, hours=16)
    assert "Night: A hotel in Stockholm" in vevent.description.value


@pytest.fixture
def bearer(make_user):
    def make(org="vpk", role=Role.ORGANISER):
        user = make_user(role, org, name=f"{role.value} {org}")
        token = create_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return make


def test_the_api_keeps_and_shows_the_itinerary(client, trip, bearer):
    headers = bearer()
    second = trip.starts_at.astimezone(TALLINN).date() + timedelta(days=1)
    made = client.post(f"/api/v1/events/{trip.id}/itinerary/days", headers=headers,
                       json={"day": second.isoformat(), "title_et": "Stockholm"})
    assert made.status_code == 201, made.get_json()
    day_id = made.get_json()["id"]
    stop = client.post(f"/api/v1/events/{trip.id}/itinerary/days/{day_id}/stops",
                       headers=headers, json={"at": "10:00", "place_et": "Päevakeskus",
                                              "country": "SE", "walking_m": 300,
                                              "step_free": "yes"})
    assert stop.status_code == 201, stop.get_json()
    assert stop.get_json()["time_zone"] == "Europe/Stockholm"
    public = client.get(f"/api/v1/events/{trip.id}/itinerary").get_json()
    assert public["days"][0]["stops"][0]["place_et"] == "Päevakeskus"
    changed = client.put(f"/api/v1/events/{trip.id}/itinerary/stops/{stop.get_json()['id']}",
                         headers=headers, json={"at": "11:30", "place_et": "Päevakeskus",
                                                "country": "SE", "walking_m": None})
    assert changed.status_code == 200 and changed.get_json()["at"] == "11:30"
    assert changed.get_json()["walking_m"] is None
    bad = client.post(f"/api/v1/events/{trip.id}/itinerary/days/{day_id}/stops",
                      headers=headers, json={"at": "10", "place_et": 5, "country": "Sweden",
                                             "colour": "red"})
    assert bad.status_code == 422
    assert {"at", "place_et", "country", "colour"} <= set(bad.get_json()["fields"])
    twice = client.post(f"/api/v1/events/{trip.id}/itinerary/days", headers=headers,
                        json={"day": second.isoformat()})
    assert twice.status_code == 422 and "day" in twice.get_json()["fields"]
    assert client.post(f"/api/v1/events/{trip.id}/itinerary/days", headers=bearer("tas"),
                       json={"day": second.isoformat()}).status_code == 403
    assert client.delete(f"/api/v1/events/{trip.id}/itinerary/days/{day_id}",
                         headers=headers).status_code == 204
    assert db.session.scalars(select(TripStop)).all() == []


def test_a_drafts_itinerary_is_not_public(client, make_event):
    from koosloome.events.models import EventStatus
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/api/v1/events/{draft.id}/itinerary").status_code == 404
    assert client.get("/api/v1/events/999999/itinerary").status_code == 404

