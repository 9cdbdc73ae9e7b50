"""The public home and event pages, in Estonian and English."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from koosloome.db import utcnow
from koosloome.events.models import EventStatus, RegistrationMode
from koosloome.registrations.models import RegistrationStatus
from koosloome.venues.models import Entrance, HearingLoop


def test_home_lists_upcoming_published_events_in_estonian_by_default(client, make_event):
    make_event(title_et="Eakate kaasamise seminar", starts_at=datetime(2031, 3, 5, 8, tzinfo=UTC))
    make_event(title_et="Mustand", status=EventStatus.DRAFT)
    make_event(title_et="Möödunud seminar", starts_at=utcnow() - timedelta(days=3))

    html = client.get("/").get_data(as_text=True)

    assert '<html lang="et">' in html
    assert "Tulevased sündmused" in html
    assert "Eakate kaasamise seminar" in html
    assert "05.03.2031 kell 10:00" in html  # 08:00 UTC is 10:00 in Tallinn in winter
    assert "Mustand" not in html
    assert "Möödunud seminar" not in html


def test_home_shows_seats_left_waiting_list_and_closed(client, make_event, make_registration):
    open_event = make_event(capacity=5, title_et="Avatud")
    make_registration(open_event, seats=2)
    full_event = make_event(capacity=1, title_et="Täis")
    make_registration(full_event)
    make_registration(full_event, status=RegistrationStatus.WAITLISTED)
    make_event(title_et="Suletud", registration_closes_at=utcnow() - timedelta(hours=1),
               registration_opens_at=utcnow() - timedelta(days=5))

    html = client.get("/").get_data(as_text=True)

    assert "Vabu kohti on 3" in html
    assert "Kohad on täis – saad registreeruda ootenimekirja" in html
    assert "Registreerimine on lõppenud" in html


def test_home_is_in_english_when_the_browser_prefers_it(client, make_event):
    make_event(title_et="Eestikeelne", title_en="English title")
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Upcoming events" in html
    assert "English title" in html


def test_language_switch_is_remembered_in_a_cookie(client, make_event):
    make_event(title_et="Eestikeelne", title_en="English title")
    response = client.get("/language/en?next=/help")
    assert response.status_code == 302
    assert response.headers["Location"] == "/help"
    assert "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/").get_data(as_text=True)
    assert "English title" in html
    assert 'href="/language/et?next=/"' in html


def test_language_switch_never_redirects_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_english_title_falls_back_to_estonian_when_missing(client, make_event):
    make_event(title_et="Ainult eesti keeles", title_en="")
    client.set_cookie("lang", "en")
    assert "Ainult eesti keeles" in client.get("/").get_data(as_text=True)


def test_event_page_shows_details_easy_read_and_venue_facts(client, make_event):
    event = make_event(
        title_et="Ligipääsetav teenus",
        easy_read_et="Räägime teenustest.\n\nTule koos saatjaga.",
        entrance=Entrance.STEPS,
        entrance_steps=2,
        lift=False,
        accessible_wc=True,
        hearing_loop=HearingLoop.PORTABLE,
        accessible_parking_spaces=2,
        accessible_parking_distance_m=15,
        access_contact_name="Tiina Saar",
        access_contact_phone="+372 5555 5678",
    )
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<h1>Ligipääsetav teenus</h1>" in html.replace("\u00ad", "")  # soft hyphens: below
    assert "Lihtsas keeles" in html
    assert "<p>Räägime teenustest.</p>" in html
    assert "Sissepääsus on 2 astet, kaldteed ei ole" in html
    assert "<dt>Lift</dt><dd>Ei</dd>" in html
    assert "<dt>Ligipääsetav tualett</dt><dd>Jah</dd>" in html
    assert "Jah, kaasaskantav" in html
    assert "2 kohta, sissepääsust 15 m" in html
    assert 'href="tel:+37255555678"' in html


def test_event_page_in_english(client, make_event):
    event = make_event(title_en="Accessible services", lift=True,
                       registration_mode=RegistrationMode.APPLICATION)
    client.set_cookie("lang", "en")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Accessible services" in html
    assert "<dt>Lift</dt><dd>Yes</dd>" in html
    assert "By application" in html


def test_event_texts_are_escaped(client, make_event):
    event = make_event(title_et="<script>alert(1)</script>", description_et="<b>paks</b>")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;paks&lt;/b&gt;" in html


def test_cancelled_event_page_says_so(client, make_event):
    event = make_event(status=EventStatus.CANCELLED)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "See sündmus on ära jäetud." in html


def test_unknown_and_draft_events_give_the_translated_404_page(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    for path in ("/events/no-such-event", f"/events/{draft.slug}"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Lehte ei leitud" in response.get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Page not found" in client.get("/events/nope").get_data(as_text=True)


def test_long_words_in_titles_get_soft_hyphens_in_the_pages_language(client, make_event):
    """Issue 16.10: at 320 px "Inspiratsioonisem|inar" broke without a hyphen."""
    event = make_event(title_et="Inspiratsiooniseminar Võrus",
                       title_en="Inspirational seminar in Võru")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    # Breaks only between syllables (LibreOffice's Estonian patterns), short words whole.
    assert heading == "Ins\u00adpi\u00adrat\u00adsioo\u00adni\u00adse\u00admi\u00adnar Võrus"
    assert "<title>Inspiratsiooniseminar Võrus" in html  # the tab's title stays whole
    client.get("/language/en")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert "\u00ad" in heading and heading.replace("\u00ad", "") == "Inspirational seminar in Võru"
