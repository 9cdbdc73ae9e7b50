"""Arrangements and volunteers in the JSON API: event managers' tokens, counts and no names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import RegistrationNeed


@pytest.fixture
def bearer(make_user):
    def make(role=Role.ORGANISER, org="vpk"):
        user = make_user(role, org, name=f"{role.value} {org}")
        token = create_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}, user
    return make


@pytest.fixture
def event(make_event, make_registration):
    event = make_event()
    make_registration(event, name="Mari Maasikas", needs=[RegistrationNeed(code="captions")])
    return event


def test_event_managers_read_and_change_arrangements(client, event, bearer):
    headers, user = bearer()
    listed = client.get(f"/api/v1/events/{event.id}/arrangements", headers=headers)
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["progress"] == {"arranged": 0, "total": 1, "open": 1, "impossible": 0}
    [line] = body["arrangements"]
    assert (line["kind"], line["people"], line["status"]) == ("captions", 1, "to_arrange")
    assert (line["label_et"], line["label_en"]) == ("Kirjutustõlk", "Captioner (speech-to-text)")
    assert "Mari" not in listed.get_data(as_text=True)

    changed = client.patch(f"/api/v1/events/{event.id}/arrangements/captions", headers=headers,
                           json={"status": "confirmed", "supplier": "Kirjutustõlge OÜ",
                                 "cost": "85.00", "responsible_id": user.id})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["responsible"] == {"id": user.id, "name": user.name}
    db.session.refresh(event)
    assert event.actual_cost == Decimal("85.00")
    # Only what is sent changes; null clears.
    again = client.patch(f"/api/v1/events/{event.id}/arrangements/captions", headers=headers,
                         json={"responsible_id": None})
    assert again.get_json()["status"] == "confirmed"
    assert again.get_json()["responsible"] is None


def test_cannot_be_arranged_through_the_api_tells_the_person(client, event, bearer):
    headers, _user = bearer()
    url = f"/api/v1/events/{event.id}/arrangements/captions"
    refused = client.patch(url, headers=headers, json={"status": "impossible"})
    assert refused.status_code == 422 and "reason" in refused.get_json()["fields"]
    done = client.patch(url, headers=headers, json={"status": "impossible",
                                                    "reason": "Kirjutustõlk jäi haigeks"})
    assert done.status_code == 200
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert kinds == ["arrangement_impossible"]


@pytest.mark.parametrize(("role", "org", "expected"), [
    (Role.ORGANISER, "tas", 403), (Role.FACILITATOR, "vpk", 403), (Role.ADMIN, "tas", 200)])
def test_others_may_not_touch_the_event_s_arrangements(client, event, bearer, role, org,
                                                        expected):
    headers, _user = bearer(role, org)
    assert client.get(f"/api/v1/events/{event.id}/arrangements",
                      headers=headers).status_code == expected
    assert client.get(f"/api/v1/events/{event.id}/arrangements").status_code == 401


def test_unknown_kinds_and_fields_are_refused(client, event, bearer):
    headers, _user = bearer()
    base = f"/api/v1/events/{event.id}/arrangements"
    assert client.patch(f"{base}/teleport", headers=headers, json={}).status_code == 404
    answer = client.patch(f"{base}/captions", headers=headers, json={"colour": "blue"})
    assert answer.status_code == 422 and "colour" in answer.get_json()["fields"]
    assert client.patch(f"{base}/captions", headers=headers, data="[]",
                        content_type="application/json").status_code == 400


def test_volunteers_need_consent_and_stay_with_their_partner(client, bearer):
    headers, _user = bearer()
    refused = client.post("/api/v1/volunteers", headers=headers, json={"name": "Jaan"})
    assert refused.status_code == 422 and "consent" in refused.get_json()["fields"]
    made = client.post("/api/v1/volunteers", headers=headers,
                       json={"name": "Jaan", "phone": "+372 5551 2345", "consent": True})
    assert made.status_code == 201 and made.get_json()["active"] is True
    assert [v["name"] for v in client.get("/api/v1/volunteers",
                                          headers=headers).get_json()["volunteers"]] == ["Jaan"]
    theirs, _other = bearer(Role.ORGANISER, "tas")
    assert client.get("/api/v1/volunteers", headers=theirs).get_json()["volunteers"] == []
    facilitator, _f = bearer(Role.FACILITATOR, "vpk")
    assert client.get("/api/v1/volunteers", headers=facilitator).status_code == 403
