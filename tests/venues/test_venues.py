"""Venues are records of their own (issue 16.1): each place keeps its own facts, in both
languages, edited once for every event there; event pages say when they were checked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.demo import load_demo
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.venues.models import Entrance, Venue
from tests.factories import make_venue, manage_path_of


@pytest.fixture
def demo(app):
    load_demo(app.instance_path, app.config["TIMEZONE"])
    db.session.commit()


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


#: What only Võru's Kannel and Tartu's Loomemajanduskeskus are known to have.
KANNEL_ONLY = ("Võru bussijaam", "Liiva tänaval", "90 cm", "Võru bus station")
LMK_ONLY = ("Kastani (120", "2 astet")


def test_each_demo_venue_shows_its_own_facts_and_no_other_places(client, demo):
    rouge = client.get("/events/koosloome-tootuba-rouge")
    elva = client.get("/events/vabatahtlike-seminar-elva")
    for response, foreign in ((rouge, KANNEL_ONLY + LMK_ONLY), (elva, KANNEL_ONLY + LMK_ONLY)):
        html = _text(response)
        for fact in foreign:
            assert fact not in html, fact
        assert "Korraldajad ei ole toimumiskohta veel kirjeldanud" in html
    assert "Rõuge rahvamaja, Haani tee 1, Rõuge" in _text(rouge)
    kannel = _text(client.get("/events/eakate-kaasamine-voru"))
    assert "Võru bussijaam (450 m)" in kannel
    assert re.search(r"Neid andmeid kontrollis kohapeal Kadri Kuusk, Võrumaa Partnerluskogu, "
                     r"\d+\. \w+ \d{4}\.", kannel)
    names = db.session.scalars(select(Venue.name_et)).all()
    assert len(names) == len(set(names)) == 5


def test_the_english_page_shows_the_facts_in_english(client, demo):
    client.get("/language/en")
    html = _text(client.get("/events/eakate-kaasamine-voru"))
    for english in ("Võru Culture House Kannel", "Võru bus station (450 m)",
                    "At the main door, on Liiva street", "Main hall", "Small hall"):
        assert english in html, english
    for estonian in ("Võru bussijaam", "Peaukse ees", "Suur saal", "Väike saal"):
        assert estonian not in html, estonian


def test_the_confirmation_email_and_invite_of_rouge_describe_rouge(client, demo):
    client.post("/events/koosloome-tootuba-rouge/register", data={
        "name": "Mari Tamm", "email": "mari.rouge@example.ee", "language": "et",
        "consent_privacy": "y"})
    render_pending()
    email = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.to_address == "mari.rouge@example.ee")).one()
    for text in (email.body_text, email.body_html, email.calendar.decode()):
        for fact in KANNEL_ONLY:
            assert fact not in text, fact
    assert "Rõuge rahvamaja" in email.body_text


def test_a_venue_is_edited_once_for_every_event_there(login, make_user, make_event):
    venue = make_venue(name_et="Antsla rahvamaja", address="Kooli 3, Antsla",
                       entrance=Entrance.STEPS, entrance_steps=2)
    first, second = make_event(venue=venue), make_event(venue=venue)
    db.session.commit()
    client = login(make_user(Role.ORGANISER, "tas"))
    form = _text(client.get(f"/admin/venues/{venue.id}/edit"))
    assert "Siin toimub 2 sündmust" in form
    response = client.post(f"/admin/venues/{venue.id}/edit", data={
        "name_et": "Antsla rahvamaja", "address": "Kooli 3, Antsla", "entrance": "ramp",
        "transit_stop_et": "Antsla bussijaam", "transit_stop_en": "Antsla bus station",
        "facts_checked_on": "2026-11-20", "facts_checked_by": "Tiina Saar, TAS"})
    assert response.status_code == 302
    for event in (first, second):
        html = _text(client.get(f"/events/{event.slug}"))
        assert "Sissepääsus on kaldtee" in html and "astet" not in html
        assert "Neid andmeid kontrollis kohapeal Tiina Saar, TAS, 20. november 2026." in html
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "venue.update")).one()
    assert entry.object_id == venue.id


def test_facts_nobody_checked_say_so(client, make_event):
    event = make_event(venue=make_venue(name_et="Uus saal", lift=True))
    db.session.commit()
    html = _text(client.get(f"/events/{event.slug}"))
    assert "Keegi pole neid andmeid veel kohapeal kontrollinud" in html


def test_facts_checked_need_who_checked_them(login, make_user):
    client = login(make_user(Role.ORGANISER, "vpk"))
    response = client.post("/admin/venues/new", data={
        "name_et": "Uus saal", "facts_checked_on": "2026-11-20"})
    assert response.status_code == 422
    assert 'href="#facts_checked_by"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Venue)).all() == []


def test_facilitators_do_not_edit_venues(login, make_user):
    client = login(make_user(Role.FACILITATOR, "vpk"))
    assert client.get("/admin/venues/").status_code == 403


def test_event_pages_show_the_venue_in_the_readers_language(client, make_event, make_venue_en):
    event = make_event(venue=make_venue_en)
    db.session.commit()
    assert "Võru kultuurimaja" in _text(client.get(f"/events/{event.slug}"))
    client.get("/language/en")
    assert "Võru culture house" in _text(client.get(f"/events/{event.slug}"))


@pytest.fixture
def make_venue_en(app):
    venue = make_venue(name_et="Võru kultuurimaja", name_en="Võru culture house")
    db.session.commit()
    return venue


def test_the_manage_page_names_the_place(client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/register", data={
        "name": "Mari Tamm", "email": "mari@example.ee", "language": "et",
        "consent_privacy": "y"})
    html = _text(client.get(manage_path_of("mari@example.ee")))
    assert "Võru Kultuurimaja Kannel, Liiva 13, Võru" in html
    assert db.session.scalars(select(Event)).one().venue_name == "Võru Kultuurimaja Kannel"


def test_the_county_is_chosen_on_the_form_and_narrows_the_home_page(login, make_user,
                                                                     make_event):
    venue = make_venue(name_et="Antsla rahvamaja", address="Kooli 3, Antsla")
    make_event(venue=venue, title_et="Antslas")
    make_event(title_et="Mujal")
    db.session.commit()
    client = login(make_user(Role.ORGANISER, "vpk"))
    form = _text(client.get(f"/admin/venues/{venue.id}/edit"))
    assert '<option selected value="">Märkimata</option>' in form
    response = client.post(f"/admin/venues/{venue.id}/edit", data={
        "name_et": "Antsla rahvamaja", "address": "Kooli 3, Antsla", "county": "voru"})
    assert response.status_code == 302
    assert db.session.get(Venue, venue.id).county == "voru"
    home = _text(client.get("/?county=voru"))
    assert "Antslas" in home and "Mujal" not in home


def test_a_county_not_on_the_list_is_refused(login, make_user):
    client = login(make_user(Role.ORGANISER, "vpk"))
    response = client.post("/admin/venues/new", data={"name_et": "Uus saal",
                                                      "county": "lapimaa"})
    assert response.status_code == 422
    assert 'href="#county"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Venue)).all() == []


def test_the_api_states_and_shows_a_venues_county(client, make_user):
    from koosloome.accounts.services import create_api_token

    token = create_api_token(make_user(Role.ORGANISER, "tas"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/venues", headers=headers,
                          json={"name_et": "Elva kultuurimaja", "county": "tartu"})
    assert created.status_code == 201
    assert created.get_json()["county"] == "tartu"
    moved = client.patch(f"/api/v1/venues/{created.get_json()['id']}", headers=headers,
                         json={"county": "voru"})
    assert moved.get_json()["county"] == "voru"
    refused = client.post("/api/v1/venues", headers=headers,
                          json={"name_et": "Mujal", "county": "lapimaa"})
    assert refused.status_code == 422 and "county" in refused.get_json()["fields"]
