"""The JSON API: public events and registration, organisers' event management."""

from __future__ import annotations

from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.db import utcnow
from koosloome.events.models import Event, EventStatus
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Registration, RegistrationStatus
from tests.factories import organisation

Status = RegistrationStatus
PERSON = {"name": "Mari Tamm", "email": "mari@example.ee", "consent_privacy": True}


@pytest.fixture
def bearer(make_user):
    """``bearer(role, org)`` → Authorization headers for a new staff user."""

    def make(role=Role.ORGANISER, org="vpk"):
        user = make_user(role, org)
        token = create_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


def test_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert "/events/{event_id}/registrations" in document["paths"]


def test_every_json_body_may_be_refused_as_documented(client):
    """Any operation that reads a JSON body answers a body that is not a JSON object with 400
    (one rule, ``json_object``), and the document says so for every such operation."""
    document = client.get("/api/v1/openapi.json").get_json()
    undocumented = [f"{method.upper()} {path}" for path, item in document["paths"].items()
                    for method, operation in item.items()
                    if isinstance(operation, dict)
                    and "application/json" in operation.get("requestBody", {}).get("content", {})
                    and "400" not in operation["responses"]]
    assert undocumented == []


def test_public_events_list_and_detail(client, make_event, make_registration):
    event = make_event(capacity=5, title_et="Seminar Võrus")
    make_registration(event, seats=2)
    make_event(status=EventStatus.DRAFT)
    events = client.get("/api/v1/events").get_json()["events"]
    assert [e["id"] for e in events] == [event.id]
    body = client.get(f"/api/v1/events/{event.id}").get_json()
    assert body["title_et"] == "Seminar Võrus"
    assert body["seats_taken"] == 2 and body["waiting_count"] == 0
    assert body["starts_at"].endswith(("+02:00", "+03:00"))
    assert body["venue"]["name_et"] == event.venue_name
    assert body["venue"]["id"] == event.venue_id
    assert body["url"] == f"http://koosloome.test/events/{event.slug}"


def test_draft_events_are_hidden_from_the_public(client, make_event, bearer):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/api/v1/events/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/events/{draft.id}", headers=bearer()).status_code == 200
    assert client.get("/api/v1/events/999999").status_code == 404


def test_registering_through_the_api(client, make_event):
    event = make_event(capacity=1)
    first = client.post(f"/api/v1/events/{event.id}/registrations", json=PERSON)
    # The link goes by e-mail: the answer does not hold it (see the oracle test below).
    assert first.status_code == 202
    assert first.get_json() == {"status": "confirmed", "waitlist_position": None,
                                "confirmation_sent_to": PERSON["email"]}
    second = client.post(f"/api/v1/events/{event.id}/registrations",
                         json={**PERSON, "email": "jaan@example.ee", "needs": ["wheelchair",
                               "vegan"], "consent_health": True, "companion": True})
    assert second.status_code == 202
    assert second.get_json() == {"status": "waitlisted", "waitlist_position": 1,
                                 "confirmation_sent_to": "jaan@example.ee"}
    registration = db.session.scalars(
        select(Registration).where(Registration.email == "jaan@example.ee")).one()
    assert registration.need_codes == {"wheelchair", "vegan"} and registration.seats == 2
    assert db.session.scalar(select(OutgoingEmail.kind).where(
        OutgoingEmail.registration_id == registration.id)) == "waitlisted"


def test_without_an_address_the_answer_holds_the_link(client, make_event):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={**PERSON, "email": "", "phone": "+372 5123 4567"})
    assert response.status_code == 201
    assert response.get_json()["manage_url"].startswith("http://koosloome.test/r/")


def test_a_registered_address_is_answered_as_a_new_one(client, make_event):
    """Issue 15.3: the public API tells nobody who attends; the owner gets their link."""
    event = make_event(capacity=1)
    url = f"/api/v1/events/{event.id}/registrations"
    client.post(url, json=PERSON)
    client.post(url, json={**PERSON, "email": "jaan@example.ee"})
    again = client.post(url, json={**PERSON, "email": "MARI@example.ee"})
    new = client.post(url, json={**PERSON, "email": "kati@example.ee"})
    assert again.status_code == new.status_code == 202
    assert again.get_json() == new.get_json() | {"confirmation_sent_to": "MARI@example.ee"}
    assert again.get_json()["waitlist_position"] == 2
    assert db.session.scalars(select(OutgoingEmail.kind).where(
        OutgoingEmail.to_address == PERSON["email"]).order_by(OutgoingEmail.id)).all() == [
        "confirmed", "already_registered"]
    # A request that cannot succeed is refused alike, registered address or not.
    for broken in ({"consent_privacy": False}, {"needs": ["wheelchair"]}):
        known = client.post(url, json={**PERSON, **broken})
        unknown = client.post(url, json={**PERSON, **broken, "email": "uus@example.ee"})
        assert known.status_code == unknown.status_code == 422
        assert known.get_json() == unknown.get_json()


def test_organisers_registering_through_the_api_get_the_link_and_409(
    client, make_event, bearer
):
    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    first = client.post(url, json=PERSON, headers=bearer())
    assert first.status_code == 201
    assert first.get_json()["manage_url"].startswith("http://koosloome.test/r/")
    response = client.post(url, json={**PERSON, "email": "MARI@example.ee"}, headers=bearer())
    assert response.status_code == 409
    assert response.get_json()["error"] == "already_registered"


def test_closed_registration_is_409(client, make_event):
    event = make_event(registration_opens_at=utcnow() + timedelta(days=1))
    response = client.post(f"/api/v1/events/{event.id}/registrations", json=PERSON)
    assert response.status_code == 409
    assert response.get_json()["error"] == "registration_closed"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"name": "", "consent_privacy": True, "email": "x@example.ee"}, {"name"}),
        ({**PERSON, "email": "not an email"}, {"email"}),
        ({**PERSON, "phone": "abc"}, {"phone"}),
        ({**PERSON, "name": "x" * 201}, {"name"}),
        ({**PERSON, "county": "mars"}, {"county"}),
        ({**PERSON, "needs": ["teleport"]}, {"needs"}),
        ({**PERSON, "needs": ["wheelchair"]}, {"consent_health"}),
        ({**PERSON, "consent_privacy": False}, {"consent_privacy"}),
        ({**PERSON, "consent_privacy": "yes"}, {"consent_privacy"}),
        ({**PERSON, "name": 42}, {"name"}),
        ({**PERSON, "nickname": "Mari"}, {"nickname"}),
        ({"name": "Mari", "consent_privacy": True}, {"email"}),
    ],
)
def test_invalid_registrations_get_422_with_field_errors(client, make_event, payload, fields):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations", json=payload)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid"
    assert fields <= set(body["fields"])
    assert db.session.scalars(select(Registration)).all() == []


def test_field_errors_are_translated(client, make_event):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={**PERSON, "email": "bad"},
                           headers={"Accept-Language": "et"})
    assert "Sisesta e-posti aadress õigel kujul" in response.get_json()["fields"]["email"][0]


@pytest.mark.parametrize("body", [None, "[]", "not json", '"text"'])
def test_non_object_bodies_get_400(client, make_event, body):
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations", data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_staff_endpoints_need_a_token(client, make_event):
    event = make_event()
    assert client.post("/api/v1/events", json={}).status_code == 401
    assert client.get(f"/api/v1/events/{event.id}/registrations").status_code == 401
    assert client.get(f"/api/v1/events/{event.id}/registrations",
                      headers={"Authorization": "Bearer nope"}).status_code == 401


NEW_EVENT = {
    "kind": "seminar", "title_et": "Uus seminar: ligipääs", "starts_at": "2031-03-05T10:00+02:00",
    "ends_at": "2031-03-05T14:00+02:00", "capacity": 30,
}
ANTSLA = {"name_et": "Antsla rahvamaja", "address": "Kooli 3, Antsla", "lift": False,
          "entrance": "steps", "entrance_steps": 3, "hearing_loop": "portable"}


@pytest.fixture
def antsla(client, bearer) -> int:
    """A venue stated through the API; its id."""
    response = client.post("/api/v1/venues", json=ANTSLA, headers=bearer(Role.ORGANISER, "tas"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_organisers_state_venues_and_anyone_reads_them(client, bearer, antsla):
    venue = client.get(f"/api/v1/venues/{antsla}").get_json()
    assert venue["entrance_steps"] == 3 and venue["lift"] is False
    assert venue["accessible_wc"] is None  # not known, not "no"
    changed = client.patch(f"/api/v1/venues/{antsla}", headers=bearer(Role.ORGANISER, "vpk"),
                           json={"lift": True, "facts_checked_on": "2026-11-20",
                                 "facts_checked_by": "Kadri Kuusk, VPK"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["lift"] is True and changed.get_json()["entrance_steps"] == 3
    assert changed.get_json()["facts_checked_on"] == "2026-11-20"
    assert [v["name_et"] for v in client.get("/api/v1/venues").get_json()["venues"]] == [
        "Antsla rahvamaja"]
    refused = client.post("/api/v1/venues", json=ANTSLA, headers=bearer(Role.FACILITATOR))
    assert refused.status_code == 403
    assert client.post("/api/v1/venues", json=ANTSLA).status_code == 401


@pytest.mark.parametrize(("change", "field"), [
    ({"entrance": "steps", "entrance_steps": None}, "entrance_steps"),
    ({"facts_checked_on": "2026-11-20", "facts_checked_by": ""}, "facts_checked_by"),
    ({"name_et": ""}, "name_et"),
    ({"door_width_cm": -5}, "door_width_cm"),
    ({"sauna": True}, "sauna"),
])
def test_invalid_venues_get_422(client, bearer, change, field):
    response = client.post("/api/v1/venues", json={**ANTSLA, **change}, headers=bearer())
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_organiser_creates_an_event(client, bearer, antsla):
    response = client.post("/api/v1/events",
                           json={**NEW_EVENT, "venue_id": antsla, "co_organiser": "tas"},
                           headers=bearer(Role.ORGANISER, "vpk"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["slug"] == "uus-seminar-ligipaas"
    assert body["status"] == "draft"
    assert body["starts_at"] == "2031-03-05T10:00:00+02:00"
    assert body["venue"]["entrance_steps"] == 3 and body["venue"]["lift"] is False
    assert body["venue"]["id"] == antsla
    event = db.session.get(Event, body["id"])
    assert event.organisation.slug == "vpk" and event.co_organiser.slug == "tas"
    assert response.headers["Location"] == f"/api/v1/events/{event.id}"


def test_facilitators_cannot_create_events(client, bearer, antsla):
    response = client.post("/api/v1/events", json={**NEW_EVENT, "venue_id": antsla},
                           headers=bearer(Role.FACILITATOR))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2031-03-05T09:00+02:00"}, "ends_at"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"capacity": -1}, "capacity"),
        ({"kind": "party"}, "kind"),
        ({"title_et": ""}, "title_et"),
        ({"venue_id": 99999}, "venue_id"),
        ({"venue_id": None}, "venue_id"),
        ({"venue": {"name": "Saal"}}, "venue"),  # facts belong to /venues now
    ],
)
def test_invalid_events_get_422(client, bearer, antsla, change, field):
    payload = {**NEW_EVENT, "venue_id": antsla, **change}
    response = client.post("/api/v1/events", json=payload, headers=bearer())
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_moving_an_event_raises_the_revision_and_queues_updated_invites(
    client, bearer, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"), capacity=2)
    confirmed = make_registration(event)
    make_registration(event, status=Status.CANCELLED)
    headers = bearer(Role.ORGANISER, "vpk")
    response = client.patch(f"/api/v1/events/{event.id}", headers=headers,
                            json={"starts_at": "2031-04-01T11:00+03:00",
                                  "ends_at": "2031-04-01T15:00+03:00"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["revision"] == 1
    assert response.headers["X-Koosloome-Invites-Sent"] == "1"
    kinds = db.session.scalars(select(OutgoingEmail.kind).where(
        OutgoingEmail.registration_id == confirmed.id)).all()
    assert kinds == ["event_changed"]
    retitled = client.patch(f"/api/v1/events/{event.id}", headers=headers,
                            json={"title_en": "New English title"})
    assert retitled.get_json()["revision"] == 1  # not a time or place change


def test_raising_capacity_promotes_and_lowering_below_taken_is_refused(
    client, bearer, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"), capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    headers = bearer(Role.ORGANISER, "vpk")
    assert client.patch(f"/api/v1/events/{event.id}", headers=headers,
                        json={"capacity": 0}).status_code == 422
    response = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"capacity": 2})
    assert response.get_json()["seats_taken"] == 2
    db.session.refresh(waiting)
    assert waiting.status is Status.CONFIRMED


def test_organisers_of_the_other_partner_cannot_change_an_event(client, bearer, make_event):
    event = make_event(organisation=organisation("vpk"))
    headers = bearer(Role.ORGANISER, "tas")
    assert client.patch(f"/api/v1/events/{event.id}", headers=headers,
                        json={"capacity": 5}).status_code == 403
    assert client.post(f"/api/v1/events/{event.id}/cancel", headers=headers).status_code == 403
    co_organised = make_event(organisation=organisation("vpk"), co_organiser=organisation("tas"))
    assert client.patch(f"/api/v1/events/{co_organised.id}", headers=headers,
                        json={"capacity": 5}).status_code == 200


def test_cancelling_an_event_sends_cancellations(client, bearer, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event)
    make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    response = client.post(f"/api/v1/events/{event.id}/cancel", headers=bearer())
    assert response.get_json()["status"] == "cancelled"
    kinds = db.session.scalars(select(OutgoingEmail.kind)).all()
    assert kinds == ["event_cancelled", "event_cancelled"]


def test_registrations_list_shows_needs_only_to_those_allowed(client, bearer, make_event,
                                                             make_registration):
    event = make_event(organisation=organisation("vpk"))
    registration = make_registration(event, consent_health_at=utcnow())
    registration.needs_note = "Vajan pause"
    db.session.commit()
    organiser = client.get(f"/api/v1/events/{event.id}/registrations", headers=bearer())
    assert organiser.get_json()["registrations"][0]["needs_note"] == "Vajan pause"
    facilitator = client.get(f"/api/v1/events/{event.id}/registrations",
                             headers=bearer(Role.FACILITATOR, "vpk"))
    assert facilitator.status_code == 403


def test_patch_registration_status(client, bearer, make_event, make_registration):
    event = make_event(organisation=organisation("vpk"), capacity=1)
    first = make_registration(event)
    pending = make_registration(event, status=Status.PENDING)
    headers = bearer()
    full = client.patch(f"/api/v1/registrations/{pending.id}", headers=headers,
                        json={"status": "confirmed"})
    assert full.status_code == 409 and full.get_json()["error"] == "event_full"
    client.patch(f"/api/v1/registrations/{first.id}", headers=headers,
                 json={"status": "cancelled"})
    ok = client.patch(f"/api/v1/registrations/{pending.id}", headers=headers,
                      json={"status": "confirmed"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "confirmed"
    bad = client.patch(f"/api/v1/registrations/{pending.id}", headers=headers,
                       json={"status": "waitlisted"})
    assert bad.status_code == 422
    back = client.patch(f"/api/v1/registrations/{first.id}", headers=headers,
                        json={"status": "confirmed"})
    assert back.status_code == 409


def test_api_404_and_405_are_json(client):
    assert client.get("/api/v1/nothing").get_json()["error"]
    response = client.delete("/api/v1/events")
    assert response.status_code == 405 and response.get_json()["error"]


def test_registering_with_a_staff_token_sent_along_works(client, make_event, bearer):
    """An integration that sends its token with every call, also to the public registration
    endpoint, gets its registration (on SQLite the token's use was once recorded before the
    seat lock, which failed with an error page)."""
    event = make_event()
    response = client.post(f"/api/v1/events/{event.id}/registrations", json=PERSON,
                           headers=bearer())
    assert response.status_code == 201, response.get_json()
