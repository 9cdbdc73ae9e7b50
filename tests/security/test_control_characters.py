"""Control characters (NUL above all, which PostgreSQL refuses in text) never cause an error
page: they are removed from form fields, query strings and JSON, and a path with one is not
found."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.clean_input import clean_text
from koosloome.extensions import db
from koosloome.registrations.models import Registration
from tests.factories import organisation


def test_clean_text_keeps_tabs_and_line_breaks_only():
    assert clean_text("a\x00b\x07c\x1b[31md\x7fe\tf\r\ng") == "ab" + "c[31mde\tf\r\ng"


def test_nul_in_the_registration_form_is_removed_not_an_error(client, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/register", data={
        "name": "Mari\x00 Tamm", "email": "mari@example.ee", "language": "et",
        "consent_privacy": "y", "consent_health": "y", "needs_note": "Ratas\x00tool\x07"})
    assert response.status_code == 200
    registration = db.session.scalars(select(Registration)).one()
    assert (registration.name, registration.needs_note) == ("Mari Tamm", "Ratastool")


def test_a_control_character_in_api_json_is_a_field_error(client, make_event, make_user):
    # The API is strict (programs write to it): what is stored is what was sent, so the
    # documented maxLength holds for the text as sent.
    event = make_event()
    token = create_api_token(make_user(Role.ORGANISER, "vpk"))
    db.session.commit()
    response = client.post(f"/api/v1/events/{event.id}/registrations",
                           json={"name": "Mari\u0000Tamm", "email": "mari@example.ee",
                                 "consent_privacy": True, "answers": {"1": "a\u0007"}},
                           headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid"
    assert body["fields"] == {"name": ["Text may not contain control characters"],
                              "answers": ["Text may not contain control characters"]}
    assert db.session.scalars(select(Registration)).all() == []


def test_board_question_over_its_documented_length_is_refused_even_with_controls(
    client, make_user
):
    # Found by schemathesis: 305 characters, 10 of them controls, were cleaned to 295 and
    # accepted although the document says maxLength 300.
    token = create_api_token(make_user(Role.FACILITATOR, "vpk"))
    db.session.commit()
    response = client.post("/api/v1/boards", headers={"Authorization": f"Bearer {token}"},
                           json={"title": "Küla", "question": "k" * 295 + "\u0001" * 10})
    assert response.status_code == 422
    assert "question" in response.get_json()["fields"]


def test_nul_in_a_search_sign_in_or_code_is_not_an_error(client, login, make_user, make_event):
    event = make_event(organisation=organisation("vpk"))
    assert client.post("/login", data={"email": "a\x00@b.ee", "password": "x"}).status_code \
        == 200
    assert client.post("/join", data={"code": "AB\x00C"}).status_code == 400
    staff = login(make_user(Role.ORGANISER, "vpk"))
    for page in (f"/admin/events/{event.id}/registrations?q=a%00&status=x%00",
                 f"/admin/events/{event.id}/check-in?q=%00"):
        assert staff.get(page).status_code == 200, page


def test_a_path_with_a_control_character_is_not_found(client, make_event):
    event = make_event()
    for path in (f"/events/{event.slug}%00", "/b/ABC%00DE", "/r/token%00", "/f/ABC%07"):
        assert client.get(path).status_code == 404, path


def test_spreadsheet_export_survives_control_characters_already_stored(
    login, make_user, make_event, make_registration
):
    event = make_event(organisation=organisation("vpk"))
    make_registration(event, name="Vana\x07 kirje\x1b", organisation_name="=1+1")
    staff = login(make_user(Role.ORGANISER, "vpk"))
    response = staff.get(f"/admin/events/{event.id}/registrations.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    values = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
              for v in row]
    book.close()
    assert "Vana kirje" in values and "=1+1" in values  # a text cell, not a formula
