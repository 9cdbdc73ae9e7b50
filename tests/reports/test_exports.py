"""Registration exports: CSV and XLSX, health columns only for those allowed, audit, injection."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.events.models import ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.registrations.models import Answer, RegistrationNeed
from koosloome.reports.tabular import csv_lines
from koosloome.spreadsheet import neutralise
from tests.factories import organisation
from tests.reports.conftest import add_registrations, counted_queries


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize("value", ["=1+1", "+372 5555", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_left_alone():
    assert neutralise("Mari Maasikas") == "Mari Maasikas"
    assert neutralise(5) == 5 and neutralise(None) is None


def test_csv_lines_neutralise_every_cell():
    lines = list(csv_lines(["=cmd"], [["=HYPERLINK(\"http://x\")", "ok"]]))
    assert lines[0] == "\ufeff'=cmd\r\n"
    assert lines[1].startswith("\"'=HYPERLINK")


def test_csv_export_is_streamed(staff_client, make_event):
    event = make_event()
    response = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/registrations.csv")
    assert response.is_streamed
    response.close()


def test_csv_export_lists_registrations_without_health_columns(
    staff_client, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event, name="=cmd|' /C calc'!A0", phone="+372 5123 4567",
                                     organisation_name="MTÜ Ääre", sector="community",
                                     allergies="pähklid")
    db.session.add(RegistrationNeed(registration_id=registration.id, code="wheelchair"))
    db.session.commit()
    response = staff_client(Role.ORGANISER).get(f"/admin/events/{event.id}/registrations.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    header, row = _csv_rows(response)
    assert "Nimi" in header and "Allergiad" not in header
    assert row[header.index("Nimi")] == "'=cmd|' /C calc'!A0"
    assert row[header.index("Telefon")] == "'+372 5123 4567"
    assert row[header.index("Valdkond")] == "Kogukond või MTÜ"
    assert row[header.index("Keel")] == "Eesti keel"
    assert row[header.index("Pildistamine lubatud")] == "ei"  # a consent is an answer either way
    assert "pähklid" not in response.get_data(as_text=True)
    assert "Ratastool" not in response.get_data(as_text=True)


def test_health_export_adds_needs_and_is_audited(staff_client, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, allergies="pähklid", companion=True,
                                     companion_name="Saatja Sass", transport_needed=True,
                                     transport_pickup="Antsla bussijaam")
    db.session.add(RegistrationNeed(registration_id=registration.id, code="sign_language"))
    db.session.commit()
    client = staff_client(Role.ORGANISER)
    response = client.get(f"/admin/events/{event.id}/registrations.csv?health=1")
    header, row = _csv_rows(response)
    assert row[header.index("Allergiad")] == "pähklid"
    assert row[header.index("Erivajadused ja toitumine")] == "Eesti viipekeele tõlge"
    assert row[header.index("Pealevõtmise koht")] == "Antsla bussijaam"
    entry = db.session.query(AuditLog).filter_by(action="export.health").one()
    assert entry.user_id == client.user.id and entry.event_id == event.id
    assert entry.details == {"format": "csv"}


def test_plain_export_is_audited_as_personal_data(staff_client, make_event):
    event = make_event()
    staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/registrations.xlsx")
    assert db.session.query(AuditLog).filter_by(action="export.registrations").count() == 1
    assert db.session.query(AuditLog).filter_by(action="export.health").count() == 0


def test_xlsx_export_reads_back_with_answers_and_text_as_text(
    staff_client, make_event, make_registration
):
    event = make_event()
    question = ExtraQuestion(event=event, kind=QuestionKind.SINGLE_CHOICE, label_et="Toad",
                             choices=[{"value": "single", "et": "Üksik", "en": "Single"}])
    secret = ExtraQuestion(event=event, kind=QuestionKind.DATE, label_et="Sünniaeg",
                           sensitive=True)
    db.session.add_all([question, secret])
    db.session.commit()
    registration = make_registration(event, name="@SUM(1)", organisation_name="Küla",
                                     phone="+372 5002 0014")
    db.session.add_all([
        Answer(registration_id=registration.id, question_id=question.id, value="single"),
        Answer(registration_id=registration.id, question_id=secret.id, value="1950-04-03"),
    ])
    db.session.commit()
    client = staff_client(Role.ADMIN)
    response = client.get(f"/admin/events/{event.id}/registrations.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert not [c.value for r in book.active.iter_rows() for c in r if c.data_type == "f"]
    rows = _xlsx_rows(response)
    header, row = rows[0], rows[1]
    # XLSX has cell types: text is a text cell, never run, and shows as typed.
    assert row[header.index("Nimi")] == "@SUM(1)"
    assert row[header.index("Telefon")] == "+372 5002 0014"
    assert row[header.index("Toad")] == "Üksik"
    assert "Sünniaeg" not in header
    rows = _xlsx_rows(client.get(f"/admin/events/{event.id}/registrations.xlsx?health=1"))
    assert rows[1][rows[0].index("Sünniaeg")] == "03.04.1950"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_run_a_fixed_number_of_queries(staff_client, make_event, file_format):
    event = make_event()
    client = staff_client(Role.ADMIN)
    add_registrations(event, 5, needs=("wheelchair",))
    # buffered: consume the streamed body inside the request's contexts, as a server does
    url = f"/admin/events/{event.id}/registrations.{file_format}?health=1"
    with counted_queries() as few:
        client.get(url, buffered=True).get_data()
    add_registrations(event, 520, needs=("wheelchair", "vegan"), name="Palju")
    with counted_queries() as many:
        big = client.get(url, buffered=True)
    assert len(many) == len(few), "\n".join(q[:120] for q in many)
    if file_format == "xlsx":
        assert len(_xlsx_rows(big)) == 526
    else:
        assert len(_csv_rows(big)) == 526


@pytest.mark.parametrize(
    ("role", "partner", "co_organised", "plain", "health"),
    [
        (Role.FACILITATOR, "vpk", False, 403, 403),
        (Role.ORGANISER, "tas", False, 403, 403),
        (Role.ORGANISER, "vpk", False, 200, 200),
        (Role.ORGANISER, "tas", True, 200, 200),
        (Role.ADMIN, "tas", False, 200, 200),
    ],
)
def test_who_may_export(staff_client, make_event, role, partner, co_organised, plain, health):
    event = make_event(organisation=organisation("vpk"),
                       co_organiser=organisation("tas") if co_organised else None)
    client = staff_client(role, partner)
    for file_format in ("csv", "xlsx"):
        url = f"/admin/events/{event.id}/registrations.{file_format}"
        assert client.get(url).status_code == plain
        assert client.get(url + "?health=1").status_code == health
    if health == 403:
        assert db.session.query(AuditLog).filter(AuditLog.action.like("export.%")).count() == 0


def test_health_export_is_refused_when_health_data_is_not_allowed(
    staff_client, make_event, monkeypatch
):
    event = make_event()
    monkeypatch.setattr("koosloome.reports.routes.can_see_health_data", lambda user, ev: False)
    client = staff_client(Role.ORGANISER)
    assert client.get(f"/admin/events/{event.id}/registrations.csv").status_code == 200
    assert client.get(f"/admin/events/{event.id}/registrations.csv?health=1").status_code == 403
    assert db.session.query(AuditLog).filter_by(action="export.health").count() == 0
