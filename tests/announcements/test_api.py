"""Announcements in the JSON API: organisers' tokens, scoped by partner."""

from __future__ import annotations

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.messaging.kinds import MessageKind
from tests.announcements.helpers import consenting, outbox


def _headers(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_token(user)}"}


def test_create_preview_send_and_read_through_the_api(client, make_user, make_event):
    consenting(make_event(), email="mari@example.ee", county="voru")
    consenting(make_event(), email="john@example.ee", county="tartu", language="en")
    headers = _headers(make_user(Role.ORGANISER))
    made = client.post("/api/v1/announcements", headers=headers, json={
        "subject_et": "Uudis", "body_et": "Tekst", "counties": ["voru", "tartu"]})
    assert made.status_code == 201, made.get_json()
    announcement_id = made.get_json()["id"]
    assert client.patch(f"/api/v1/announcements/{announcement_id}", headers=headers,
                        json={"counties": ["voru"]}).get_json()["counties"] == ["voru"]
    preview = client.get(f"/api/v1/announcements/{announcement_id}/preview", headers=headers)
    assert preview.get_json()["recipients"] == 1
    assert preview.get_json()["by_language"] == {"et": 1, "en": 0}
    sent = client.post(f"/api/v1/announcements/{announcement_id}/send", headers=headers)
    assert sent.status_code == 200 and sent.get_json()["status"] == "sent"
    again = client.post(f"/api/v1/announcements/{announcement_id}/send", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"] == "already_sent"
    assert [m.to_address for m in outbox(MessageKind.ANNOUNCEMENT)] == ["mari@example.ee"]
    listed = client.get("/api/v1/announcements", headers=headers).get_json()["announcements"]
    assert [a["id"] for a in listed] == [announcement_id]


def test_the_other_partner_reads_but_cannot_change_or_send(client, make_user):
    own = _headers(make_user(Role.ORGANISER, "vpk"))
    other = _headers(make_user(Role.ORGANISER, "tas"))
    announcement_id = client.post("/api/v1/announcements", headers=own, json={
        "subject_et": "Uudis", "body_et": "Tekst"}).get_json()["id"]
    assert client.get(f"/api/v1/announcements/{announcement_id}", headers=other).status_code \
        == 200
    for method, path in (("PATCH", ""), ("GET", "/preview"), ("POST", "/send")):
        response = client.open(f"/api/v1/announcements/{announcement_id}{path}", method=method,
                               headers=other, json={})
        assert response.status_code == 403, (method, path)
    assert outbox(MessageKind.ANNOUNCEMENT) == []


def test_bad_values_are_422_with_the_fields_named(client, make_user):
    headers = _headers(make_user(Role.ORGANISER))
    response = client.post("/api/v1/announcements", headers=headers, json={
        "subject_et": "", "body_et": 5, "counties": ["atlantis"], "past_event_ids": ["x"],
        "colour": "red"})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"body_et", "past_event_ids", "colour"}
    response = client.post("/api/v1/announcements", headers=headers, json={
        "subject_et": "", "body_et": "x", "counties": ["atlantis"]})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"subject_et", "counties"}


def test_facilitators_and_visitors_are_refused(client, make_user):
    assert client.get("/api/v1/announcements").status_code == 401
    assert client.get("/api/v1/announcements",
                      headers=_headers(make_user(Role.FACILITATOR))).status_code == 403
