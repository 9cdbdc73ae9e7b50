"""The privacy notice (et/en) and the admins' overview of the personal data still held."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from koosloome.accounts.models import Role
from koosloome.db import utcnow
from koosloome.privacy.services import RetentionPolicy, purge, retention_overview

POLICY = RetentionPolicy(health_days=30, personal_months=84)


def test_every_page_links_to_the_privacy_notice_in_the_footer(client):
    for path in ("/", "/help", "/login"):
        footer = client.get(path).get_data(as_text=True).split('<footer', 1)[1]
        assert '<a href="/privacy">Privaatsusteade</a>' in footer


def test_privacy_notice_in_estonian_says_what_why_how_long_and_who(client, app):
    html = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privaatsusteade</h1>" in html
    for heading in ("Milliseid andmeid hoiame", "Miks me andmeid hoiame",
                    "Kui kaua me andmeid hoiame", "Kes andmeid näeb",
                    "Sinu õigused ja kuidas neid kasutada"):
        assert heading in html
    assert "kustutatakse 30 päeva pärast sündmust" in html
    assert "84 kuu jooksul pärast sündmust" in html
    assert "Terviseandmeid nad kunagi ei näe" in html
    assert "selgesõnalisel nõusolekul" in html
    assert app.config["CONTACT_EMAIL"] in html
    assert 'href="https://www.aki.ee"' in html


def test_privacy_notice_in_english_follows_the_configured_periods(client, app):
    app.config["HEALTH_DATA_RETENTION_DAYS"] = 14
    app.config["PERSONAL_DATA_RETENTION_MONTHS"] = 1
    client.set_cookie("lang", "en")
    html = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in html
    assert "is deleted 14 days after the event" in html
    assert "kept for 1 month after the event" in html
    assert "Caterers only get numbers" in html
    assert "download your data" in html and "erase your registration" in html


def test_retention_overview_counts_what_is_held_and_when_it_goes(
    past_event, full_registration, make_registration, make_event
):
    now = utcnow()
    recent = past_event(days=3)
    full_registration(recent)
    make_registration(recent)  # no health data given
    old = past_event(days=40)
    full_registration(old)
    make_event()  # no registrations: not listed

    rows = {row.event_id: row for row in retention_overview(now, POLICY)}
    assert set(rows) == {recent.id, old.id}
    row = rows[recent.id]
    assert (row.registrations, row.with_health_data, row.with_personal_data) == (2, 1, 2)
    assert row.health_purge_on == recent.ends_at + timedelta(days=30)
    assert row.anonymise_on.year == recent.ends_at.year + 7
    assert not row.overdue
    assert rows[old.id].overdue  # 40 days ago, health data still there

    purge(now, POLICY)
    rows = {row.event_id: row for row in retention_overview(now, POLICY)}
    assert (rows[old.id].with_health_data, rows[old.id].with_personal_data) == (0, 1)
    assert not rows[old.id].overdue


def test_admin_page_lists_events_with_counts_and_dates(login, make_user, past_event,
                                                       full_registration):
    event = past_event(days=40, title_et="Vana seminar")
    full_registration(event)
    client = login(make_user(Role.ADMIN))
    response = client.get("/admin/privacy/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<h1>Säilitatavad isikuandmed</h1>" in html
    assert "Vana seminar" in html
    assert "Tähtaeg on möödas" in html
    purge_on = (event.ends_at + timedelta(days=30)).astimezone(ZoneInfo("Europe/Tallinn"))
    assert '<th scope="col">Terviseandmetega</th>' in html
    assert f">{purge_on:%d.%m.%Y}</time>" in html


def test_admin_page_without_registrations_says_so(login, make_user):
    html = login(make_user(Role.ADMIN)).get("/admin/privacy/").get_data(as_text=True)
    assert "Ühelgi sündmusel ei ole veel registreeringuid." in html


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.FACILITATOR])
def test_only_admins_see_the_overview(login, make_user, role):
    assert login(make_user(role)).get("/admin/privacy/").status_code == 403


def test_the_overview_needs_sign_in(client):
    response = client.get("/admin/privacy/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
