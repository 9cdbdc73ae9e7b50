"""A local time the clock skips (the spring gap) or shows twice (the autumn hour) in
Europe/Tallinn is a field error on the form and in the API, never moved an hour silently."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.events.models import Event
from koosloome.extensions import db
from tests.admin.test_event_admin import FORM
from tests.factories import organisation

SPRING_GAP = "2031-03-30T03:30"  # last Sunday of March: 03:00 → 04:00
AUTUMN_TWICE = "2031-10-26T03:30"  # last Sunday of October: 04:00 → 03:00


@pytest.mark.parametrize(("moment", "message"), [
    (SPRING_GAP, "Sel ööl keeratakse kell edasi ja kellaaega 03:30 ei ole"),
    (AUTUMN_TWICE, "Sel ööl keeratakse kell tagasi ja kell 03:30 tuleb kaks korda"),
])
def test_the_event_form_refuses_a_time_that_does_not_exist_or_comes_twice(
    login, make_user, moment, message
):
    client = login(make_user(Role.ORGANISER, "tas"))
    day = moment[:10]
    response = client.post("/admin/events/new", data={
        **FORM, "starts_at": moment, "ends_at": f"{day}T12:00"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Event).count() == 0


def test_the_api_refuses_them_too_and_takes_the_hour_with_its_offset(client, make_user, venue):
    user = make_user(Role.ORGANISER, "vpk")
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    db.session.commit()
    body = {"kind": "seminar", "title_et": "Öine seminar", "capacity": 10,
            "registration_mode": "open", "venue_id": venue.id}
    for moment in (SPRING_GAP, AUTUMN_TWICE):
        response = client.post("/api/v1/events", headers=headers, json={
            **body, "starts_at": moment, "ends_at": f"{moment[:10]}T12:00"})
        assert response.status_code == 422, response.get_json()
        assert "starts_at" in response.get_json()["fields"]
    second = client.post("/api/v1/events", headers=headers, json={
        **body, "starts_at": AUTUMN_TWICE + "+02:00", "ends_at": f"{AUTUMN_TWICE[:10]}T12:00"})
    assert second.status_code == 201, second.get_json()
    event = db.session.get(Event, second.get_json()["id"])
    assert event.starts_at.astimezone(UTC) == datetime(2031, 10, 26, 1, 30, tzinfo=UTC)
    assert event.organisation == organisation("vpk")


def test_an_ordinary_local_time_is_read_as_tallinn_time(login, make_user, venue):
    client = login(make_user(Role.ORGANISER, "tas"))
    response = client.post("/admin/events/new", data={
        **FORM, "venue_id": venue.id, "starts_at": "2031-10-26T05:00",
        "ends_at": "2031-10-26T12:00"})
    assert response.status_code == 302
    event = db.session.query(Event).one()
    assert event.starts_at.astimezone(UTC) == datetime(2031, 10, 26, 3, 0, tzinfo=UTC)
