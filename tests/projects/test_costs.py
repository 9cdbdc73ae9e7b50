"""The cost ledger (issue 19.2): organisers enter their partner's costs, on the usual line
by default; an event's actual cost is the sum of its costs; the payment claim lists them."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.arrangements.models import Arrangement, ArrangementKind, ArrangementStatus
from koosloome.events.models import Event, EventKind
from koosloome.extensions import db
from koosloome.files.models import StoredFile
from koosloome.projects.costs import arrangement_cost
from koosloome.projects.models import Cost, CostCategory
from koosloome.projects.services import the_project
from tests.factories import organisation
from tests.files.samples import HTML, image_bytes, pdf_bytes


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _cost_form(event: Event | None = None, **fields: str) -> dict[str, str]:
    return {"spent_on": "2025-03-06", "amount": "250.40", "category": "catering",
            "organisation_id": str(organisation("tas").id),
            "event_id": str(event.id) if event else "", "budget_line_id": "",
            "supplier": "Kohvik", "note": "Arve 17", **fields}


def test_an_organiser_adds_a_cost_on_the_usual_line_and_the_event_follows(
        client, login, make_user, make_project, make_event):
    make_project()
    trip = make_event(organisation=organisation("tas"), kind=EventKind.STUDY_TRIP)
    login(make_user(Role.ORGANISER, "tas"))
    assert client.post("/admin/costs", data=_cost_form(trip)).status_code == 302
    cost = db.session.scalars(select(Cost)).one()
    assert cost.budget_line.name_et == "Õppereis välisriiki"  # the line for study trips
    assert db.session.get(Event, trip.id).actual_cost == Decimal("250.40")
    edit = client.post(f"/admin/costs/{cost.id}", data=_cost_form(trip, amount="300"))
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, trip.id).actual_cost == Decimal("300.00")
    ask = _text(client.get(f"/admin/costs/{cost.id}/delete"))
    assert "Eemaldada kulu?" in ask and "300,00" in ask
    client.post(f"/admin/costs/{cost.id}/delete")
    db.session.expire_all()
    assert db.session.get(Event, trip.id).actual_cost is None
    assert db.session.scalars(select(Cost)).all() == []


def test_a_wrong_amount_is_refused_with_the_input_kept_and_nothing_stored(
        client, login, make_user, make_project):
    make_project()
    login(make_user(Role.ORGANISER, "tas"))
    response = client.post("/admin/costs", data=_cost_form(amount="-5", supplier="Kohvik X"))
    assert response.status_code == 422
    assert 'value="Kohvik X"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Cost)).all() == []
    other = client.post("/admin/costs", data=_cost_form(
        organisation_id=str(organisation("vpk").id)))
    assert other.status_code == 422 and db.session.scalars(select(Cost)).all() == []


def test_a_partner_sees_and_changes_only_its_own_costs(
        client, login, make_user, make_project, app):
    make_project()
    tas, vpk = organisation("tas"), organisation("vpk")
    theirs = Cost(organisation_id=vpk.id, spent_on=date(2025, 2, 1), amount=Decimal("99.99"),
                  category="venue", supplier="VPK saal")
    db.session.add(theirs)
    db.session.add(Cost(organisation_id=tas.id, spent_on=date(2025, 2, 2),
                        amount=Decimal("10"), category="materials", supplier="TAS paber"))
    db.session.commit()
    login(make_user(Role.ORGANISER, "tas"))
    page = _text(client.get("/admin/costs"))
    assert "TAS paber" in page and "VPK saal" not in page
    assert client.get(f"/admin/costs/{theirs.id}").status_code == 404
    assert client.post(f"/admin/costs/{theirs.id}/delete").status_code == 404
    workbook = load_workbook(io.BytesIO(client.get("/admin/costs/claim.xlsx").data))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert [row[6] for row in rows[1:-1]] == ["TAS paber"]
    admin = app.test_client()
    admin.post("/login", data={"email": make_user(Role.ADMIN).email,
                               "password": "correct horse battery"})
    assert "VPK saal" in _text(admin.get("/admin/costs"))


def test_the_claim_has_a_row_per_cost_with_the_leader_share(
        client, login, make_user, make_project, make_event):
    make_project()
    seminar = make_event(organisation=organisation("tas"), title_et="Seminar Elvas")
    login(make_user(Role.ORGANISER, "tas"))
    client.post("/admin/costs", data=_cost_form(seminar, amount="1000"))
    client.post("/admin/costs", data=_cost_form(None, amount="500", spent_on="2025-08-01"))
    response = client.get("/admin/costs/claim.xlsx?start=2025-01-01&end=2025-06-30")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    costs, lines = load_workbook(io.BytesIO(response.data)).worksheets
    rows = list(costs.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nr", "Kuupäev", "Partner", "Eelarverida")
    assert rows[1][1:5] == ("2025-03-06", "TAS", "Inspiratsiooniseminarid", "Toitlustus")
    assert "Seminar Elvas" in rows[1][5]
    assert rows[1][8:11] == (1000.0, 707.98, 292.02)  # 12 743,68 / 18 000 of it is LEADER
    assert len(rows) == 3  # one cost in the period, and the total
    assert list(lines.iter_rows(values_only=True))[1] == ("TAS: Inspiratsiooniseminarid", 1000.0)


def test_the_cost_api_is_scoped_to_the_partner(client, make_user, make_project, make_event):
    make_project()
    trip = make_event(organisation=organisation("tas"), kind=EventKind.STUDY_TRIP)
    tas = create_api_token(make_user(Role.ORGANISER, "tas", email="t@example.ee"))
    vpk = create_api_token(make_user(Role.ORGANISER, "vpk", email="v@example.ee"))
    facilitator = create_api_token(make_user(Role.FACILITATOR, "tas", email="f@example.ee"))
    db.session.commit()
    as_tas = {"Authorization": f"Bearer {tas}"}
    added = client.post("/api/v1/costs", headers=as_tas, json={
        "event_id": trip.id, "amount": 420, "category": "transport", "spent_on": "2025-05-01"})
    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert (body["amount"], body["organisation_id"]) == ("420.00", organisation("tas").id)
    assert body["budget_line_id"] is not None
    assert db.session.get(Event, trip.id).actual_cost == Decimal("420.00")
    as_vpk = {"Authorization": f"Bearer {vpk}"}
    assert client.get(f"/api/v1/costs/{body['id']}", headers=as_vpk).status_code == 404
    assert client.get("/api/v1/costs", headers=as_vpk).get_json()["costs"] == []
    assert client.get("/api/v1/costs", headers={
        "Authorization": f"Bearer {facilitator}"}).status_code == 403
    wrong = client.patch(f"/api/v1/costs/{body['id']}", headers=as_tas,
                         json={"amount": "lots", "category": "gold"})
    assert wrong.status_code == 422 and set(wrong.get_json()["fields"]) == {"amount", "category"}
    changed = client.patch(f"/api/v1/costs/{body['id']}", headers=as_tas, json={"amount": "400"})
    assert changed.get_json()["category"] == "transport"  # what is left out stays
    assert client.delete(f"/api/v1/costs/{body['id']}", headers=as_tas).status_code == 204
    db.session.expire_all()
    assert db.session.get(Event, trip.id).actual_cost is None


def test_an_arrangements_cost_changes_only_with_the_arrangement(
        client, login, make_user, make_project, make_event):
    make_project()
    event = make_event(organisation=organisation("tas"))
    arrangement = Arrangement(event_id=event.id, kind=ArrangementKind.SIGN_LANGUAGE,
                              status=ArrangementStatus.CONFIRMED, cost=Decimal("180"))
    db.session.add(arrangement)
    db.session.flush()
    arrangement_cost(event, arrangement.id, CostCategory.INTERPRETING, Decimal("180"),
                     the_project())
    db.session.commit()
    cost = db.session.scalars(select(Cost)).one()
    login(make_user(Role.ORGANISER, "tas"))
    page = _text(client.get(f"/admin/costs/{cost.id}"))
    assert "See kulu tuleb sündmuse korraldusest" in page
    changed = client.post(f"/admin/costs/{cost.id}", data=_cost_form(event, amount="999"))
    assert changed.status_code == 422
    assert "See kulu tuleb korraldusest: muuda seda seal" in _text(changed)
    removed = client.post(f"/admin/costs/{cost.id}/delete", follow_redirects=True)
    assert "See kulu tuleb korraldusest: muuda seda seal" in _text(removed)
    db.session.expire_all()
    assert db.session.get(Cost, cost.id).amount == Decimal("180.00")
    assert db.session.get(Event, event.id).actual_cost == Decimal("180.00")


def test_a_cost_keeps_its_receipt_and_the_claim_zip_carries_it(
        client, login, make_user, make_project, make_event, app):
    make_project()
    seminar = make_event(organisation=organisation("tas"))
    login(make_user(Role.ORGANISER, "tas"))
    added = client.post("/admin/costs", data={
        **_cost_form(seminar), "document": (io.BytesIO(pdf_bytes("Arve 17")), "arve-17.pdf",
                                            "application/pdf")})
    assert added.status_code == 302
    cost = db.session.scalars(select(Cost)).one()
    assert cost.document.original_name == "arve-17.pdf"
    page = client.get("/admin/costs").get_data(as_text=True)
    assert f"/admin/costs/{cost.id}/document" in page
    download = client.get(f"/admin/costs/{cost.id}/document")
    assert download.data.startswith(b"%PDF") and download.headers["Cache-Control"] == "no-store"
    other = app.test_client()
    other.post("/login", data={"email": make_user(Role.ORGANISER, "vpk").email,
                               "password": "correct horse battery"})
    assert other.get(f"/admin/costs/{cost.id}/document").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(client.get("/admin/costs/claim.zip").data))
    assert sorted(archive.namelist()) == ["dokumendid/001-arve-17.pdf", "maksetaotlus.xlsx"]
    rows = list(load_workbook(io.BytesIO(archive.read("maksetaotlus.xlsx")))
                .worksheets[0].iter_rows(values_only=True))
    assert rows[1][11] == "001-arve-17.pdf"
    assert archive.read("dokumendid/001-arve-17.pdf").startswith(b"%PDF")


def test_a_receipt_of_the_wrong_kind_is_refused_and_nothing_is_kept(
        client, login, make_user, make_project, make_event):
    make_project()
    seminar = make_event(organisation=organisation("tas"))
    login(make_user(Role.ORGANISER, "tas"))
    refused = client.post("/admin/costs", data={
        **_cost_form(seminar, supplier="Kohvik Y"),
        "document": (io.BytesIO(HTML), "arve.pdf", "application/pdf")})
    assert refused.status_code == 415 or refused.status_code == 422
    text = _text(refused)
    assert "PDF" in text and 'value="Kohvik Y"' in refused.get_data(as_text=True)
    assert db.session.scalars(select(Cost)).all() == []
    assert db.session.scalars(select(StoredFile)).all() == []
    assert db.session.get(Event, seminar.id).actual_cost is None


def test_the_api_attaches_a_receipt_to_a_cost(client, make_user, make_project, make_event):
    make_project()
    seminar = make_event(organisation=organisation("tas"))
    token = create_api_token(make_user(Role.ORGANISER, "tas", email="t@example.ee"))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    cost = client.post("/api/v1/costs", headers=headers, json={
        "event_id": seminar.id, "amount": "80", "category": "venue"}).get_json()
    wrong = client.put(f"/api/v1/costs/{cost['id']}/document", headers=headers,
                       data={"file": (io.BytesIO(HTML), "x.pdf")})
    assert wrong.status_code == 415
    put = client.put(f"/api/v1/costs/{cost['id']}/document", headers=headers,
                     data={"file": (io.BytesIO(image_bytes("PNG")), "tsekk.png")})
    assert put.status_code == 200
    assert put.get_json()["document"]["content_type"] == "image/png"
    got = client.get(f"/api/v1/costs/{cost['id']}/document", headers=headers)
    assert got.status_code == 200 and got.mimetype == "image/png"


def test_the_claims_leader_share_never_passes_the_support_granted(
        client, login, make_user, make_project, make_event):
    make_project()
    trip = make_event(organisation=organisation("tas"), kind=EventKind.STUDY_TRIP)
    login(make_user(Role.ORGANISER, "tas"))
    for amount in ("15000", "10000"):
        client.post("/admin/costs", data=_cost_form(trip, amount=amount))
    rows = list(load_workbook(io.BytesIO(client.get("/admin/costs/claim.xlsx").data))
                .worksheets[0].iter_rows(values_only=True))
    assert [row[9] for row in rows[1:3]] == [10619.73, 2123.95]  # the rest of 12 743,68
    assert rows[-1][8:11] == (25000.0, 12743.68, 12256.32)


def test_a_partner_number_that_is_not_ascii_is_refused_not_a_server_error(
        client, make_user, make_project):
    make_project()
    token = create_api_token(make_user(Role.ADMIN, email="a@example.ee"))
    db.session.commit()
    answer = client.get("/api/v1/costs?organisation_id=²",
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422
