"""Regressions for the server errors the fuzzers found (test_form_fuzzing, test_api_fuzzing):
each hostile input must give a translated error, never a 500."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.extensions import db
from tests import factories


@pytest.fixture
def make_idea_on():
    """``make_idea_on(board)`` → an idea by a new participant; committed."""

    def make(board):
        participant, _token = factories.join(board, "Mari")
        return factories.make_idea(board, participant)

    return make


def test_a_blank_programme_time_is_required_not_a_database_error(login, make_user, make_event):
    event = make_event()
    client = login(make_user(Role.ADMIN))
    response = client.post(f"/admin/events/{event.id}/agenda",
                           data={"starts_at": "  ", "title_et": "Kohvipaus"})
    assert response.status_code == 422
    assert "Sisesta aeg" in response.get_data(as_text=True)
    assert event.agenda == []


@pytest.mark.parametrize("huge", [str(2**31), "9" * 30])
def test_an_id_beyond_any_row_is_not_found_not_a_crash(client, login, make_user, huge):
    # PostgreSQL refused ids past 2**31 - 1 (integer out of range), SQLite past 2**63
    # (OverflowError): a 500 either way.
    assert client.get(f"/api/v1/events/{huge}").status_code == 404
    assert client.get(f"/api/v1/events/{huge}/registrations").status_code == 401
    login(make_user(Role.ADMIN))
    assert client.get(f"/admin/events/{huge}/edit").status_code == 404
    assert client.post(f"/admin/registrations/{huge}/note", data={"note": "x"}).status_code == 404


def test_the_served_api_document_describes_the_boards_api_too(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"/boards", "/boards/{code}/votes", "/events"} <= set(document["paths"])
    assert {"staffToken", "participantToken", "bearerAuth"} <= set(
        document["components"]["securitySchemes"])
    validate(document)


@pytest.fixture
def board_api(make_board, make_user):
    """A board, its code, and an admin's Authorization header."""
    admin = make_user(Role.ADMIN)
    token = create_api_token(admin)
    board = make_board(created_by=admin)
    db.session.commit()
    return board, {"Authorization": f"Bearer {token}"}


def test_board_api_ids_out_of_range_are_field_errors(client, board_api):
    board, admin = board_api
    response = client.post(f"/api/v1/boards/{board.join_code}/ideas",
                           json={"column_id": 2**70, "text": "Idee"}, headers=admin)
    assert response.status_code == 422 and "column_id" in response.json["fields"]
    response = client.post("/api/v1/boards", headers=admin,
                           json={"title": "T", "question": "K", "event_id": 2**64})
    assert response.status_code == 422 and "event_id" in response.json["fields"]


def test_board_api_refuses_a_body_that_is_not_a_json_object(client, board_api):
    board, admin = board_api
    response = client.post(f"/api/v1/boards/{board.join_code}/themes", data="\x00",
                           content_type="application/json", headers=admin)
    assert response.status_code == 400 and response.json["error"] == "bad_request"
    response = client.post(f"/api/v1/boards/{board.join_code}/phase", json=["voting"],
                           headers=admin)
    assert response.status_code == 400
    # Joining needs no body at all.
    assert client.post(f"/api/v1/boards/{board.join_code}/participants").status_code == 201


def test_board_api_checks_the_types_it_was_silently_coercing(client, board_api):
    board, admin = board_api
    joined = client.post(f"/api/v1/boards/{board.join_code}/participants",
                         json={"display_name": {}})
    assert joined.status_code == 422
    created = client.post("/api/v1/boards", headers=admin, json={
        "title": "T", "question": "K", "intro_et": None, "allow_anonymous": "no"})
    assert created.status_code == 422
    assert set(created.json["fields"]) == {"intro_et", "allow_anonymous"}
    posted = client.post(f"/api/v1/boards/{board.join_code}/ideas", headers=admin,
                         json={"column_id": board.columns[0].id, "text": "Idee",
                               "anonymous": {}})
    assert posted.status_code == 422 and "anonymous" in posted.json["fields"]


def test_board_api_theme_needs_theme_id_even_if_null(client, board_api, make_idea_on):
    board, admin = board_api
    idea = make_idea_on(board)
    url = f"/api/v1/boards/{board.join_code}/ideas/{idea.id}/theme"
    assert client.post(url, json={}, headers=admin).status_code == 422
    assert client.post(url, json={"theme_id": None}, headers=admin).status_code == 200


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_date_at_the_ends_of_the_calendar_is_a_field_error(login, make_user, make_event,
                                                             moment):
    # Year 1 in Tallinn time cannot be converted to UTC (OverflowError): found by the fuzzer.
    event = make_event()
    client = login(make_user(Role.ADMIN))
    response = client.post(f"/admin/events/{event.id}/agenda",
                           data={"starts_at": moment, "title_et": "Kohvipaus"})
    assert response.status_code == 422
    assert "Sisesta kuupäev aastate 2000 ja 2100 vahel" in response.get_data(as_text=True)
    assert event.agenda == []


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/reports/leader"])
def test_report_filters_refuse_dates_at_the_ends_of_the_calendar(login, make_user, path):
    client = login(make_user(Role.ADMIN))
    response = client.get(f"{path}?start=2026-01-01&end=9999-12-31")
    assert response.status_code == 422
    assert "Sisesta kuupäev aastate 2000 ja 2100 vahel" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", [[], {}, 1, None, True])
def test_a_registration_status_of_the_wrong_type_is_a_field_error(client, make_user, make_event,
                                                                  make_registration, status):
    # {"status": []} raised TypeError (unhashable list): found by schemathesis.
    event = make_event()
    registration = make_registration(event)
    token = create_api_token(make_user(Role.ADMIN), "fuzz")
    db.session.commit()
    response = client.patch(f"/api/v1/registrations/{registration.id}",
                            json={"status": status}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert "status" in response.get_json()["fields"]
