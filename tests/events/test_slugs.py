"""Slugs go into paths, file names and calendar UIDs: they are validated where they are set,
download names are quoted as RFC 6266 says, and the feed outlives a record it cannot write
(issue 15.9: a line break in one slug made /calendar.ics answer 500 for everyone)."""

from __future__ import annotations

import pytest

from koosloome.accounts.models import Role
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.extensions import db
from tests.api.test_api import NEW_EVENT


@pytest.fixture
def organiser(make_user):
    from koosloome.accounts.services import create_api_token

    token = create_api_token(make_user(Role.ORGANISER, "vpk"))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("slug", ["kaks\nrida", "Ääre-küla", "tühik sees", "x" * 121, 5, "a/b"])
def test_a_slug_that_is_not_a_url_name_is_a_field_error(client, organiser, venue, slug):
    response = client.post("/api/v1/events", headers=organiser,
                           json={**NEW_EVENT, "venue_id": venue.id, "slug": slug})
    assert response.status_code == 422, response.get_json()
    assert "slug" in response.get_json()["fields"]
    assert db.session.query(Event).count() == 0


def test_a_taken_slug_is_a_field_error_and_a_good_one_is_kept(client, organiser, make_event,
                                                              venue):
    make_event(slug="voru-seminar")
    taken = client.post("/api/v1/events", headers=organiser,
                        json={**NEW_EVENT, "venue_id": venue.id, "slug": "voru-seminar"})
    assert taken.status_code == 422 and "slug" in taken.get_json()["fields"]
    good = client.post("/api/v1/events", headers=organiser,
                       json={**NEW_EVENT, "venue_id": venue.id, "slug": "voru-seminar-2027"})
    assert good.status_code == 201 and good.get_json()["slug"] == "voru-seminar-2027"


def test_download_names_cannot_add_parameters():
    header = content_disposition('x"; filename="evil.html')
    assert header.count("filename=") == 1
    assert header.startswith('attachment; filename="x_filename_evil.html"; filename*=UTF-8')
    assert "%22%3B%20filename%3D%22evil.html" in header
    assert content_disposition("Õppereis Austriasse.pdf", inline=True) == (
        "inline; filename=\"Oppereis_Austriasse.pdf\"; "
        "filename*=UTF-8''%C3%95ppereis%20Austriasse.pdf")


def test_the_feed_leaves_out_a_record_it_cannot_write(client, make_event, caplog):
    make_event(title_et="Hea sündmus", slug="hea-syndmus")
    make_event(title_et="Katki", slug="katki\nslug")  # as an old row might hold
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Hea sündmus" in body and "Katki" not in body
    assert "left out of the feed" in caplog.text
