"""The installation's funding statement and logos on pages and on the evidence PDFs."""

from __future__ import annotations

import io
import logging

from PIL import Image
from pypdf import PdfReader

from koosloome.accounts.models import Role
from tests.reports.conftest import pdf_text

STATEMENT_ET = "Seda projekti toetab Katseliidu LEADER-programm."
STATEMENT_EN = "This project is supported by the LEADER programme of the Test Union."


def _png(path, colour=(0, 80, 160), size=(40, 20)):
    Image.new("RGB", size, colour).save(path, format="PNG")
    return str(path)


def _images_on_first_page(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages[0].images)


def test_the_footer_of_every_page_carries_the_configured_statement(app, client):
    app.config.update(FUNDING_STATEMENT_ET=STATEMENT_ET, FUNDING_STATEMENT_EN=STATEMENT_EN)
    assert STATEMENT_ET in client.get("/").get_data(as_text=True)
    assert STATEMENT_EN in client.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)


def test_the_default_statement_names_the_project_and_leader(client):
    html = client.get("/").get_data(as_text=True)
    assert "Koosloomest koostööni" in html and "LEADER" in html


def test_the_attendance_sheet_carries_the_statement(app, staff_client, make_event):
    app.config.update(FUNDING_STATEMENT_ET=STATEMENT_ET)
    event = make_event()
    data = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data
    assert " ".join(STATEMENT_ET.split()) in " ".join(pdf_text(data).split())


def test_the_evidence_pack_carries_the_statement(app, staff_client, make_event):
    app.config.update(FUNDING_STATEMENT_ET=STATEMENT_ET)
    event = make_event()
    data = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/evidence.pdf").data
    assert " ".join(STATEMENT_ET.split()) in " ".join(pdf_text(data).split())


def test_configured_logos_are_printed_instead_of_the_labels(app, staff_client, make_event,
                                                              tmp_path):
    app.config.update(LOGO_FILES=(_png(tmp_path / "leader.png"),
                                  _png(tmp_path / "eu.png", (255, 204, 0), (30, 20))))
    event = make_event()
    data = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data
    assert _images_on_first_page(data) == 2
    assert "Euroopa Liit" not in pdf_text(data)


def test_a_missing_or_broken_logo_falls_back_to_the_labels(app, staff_client, make_event,
                                                            tmp_path, caplog):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    app.config.update(LOGO_FILES=(str(tmp_path / "missing.png"), str(broken)))
    event = make_event()
    with caplog.at_level(logging.WARNING, logger="koosloome.branding"):
        response = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf")
    assert response.status_code == 200
    assert _images_on_first_page(response.data) == 0
    assert "LEADER" in pdf_text(response.data) and "Euroopa Liit" in pdf_text(response.data)
    assert "missing.png" in caplog.text and "broken.png" in caplog.text


def test_a_readable_logo_is_printed_beside_an_unreadable_one(app, staff_client, make_event,
                                                              tmp_path):
    app.config.update(LOGO_FILES=(str(tmp_path / "missing.png"), _png(tmp_path / "eu.png")))
    event = make_event()
    data = staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data
    assert _images_on_first_page(data) == 1


def test_configured_logos_are_shown_on_every_page_with_what_they_show(app, client, tmp_path):
    app.config.update(LOGO_FILES=(_png(tmp_path / "leader.png"), str(tmp_path / "gone.png"),
                                  _png(tmp_path / "el.png")),
                      LOGO_NAMES=("LEADER", "Puudub", "Euroopa Liit"))
    html = client.get("/").get_data(as_text=True)
    assert '<img src="/logos/0" alt="LEADER" height="48">' in html
    assert '<img src="/logos/2" alt="Euroopa Liit" height="48">' in html
    assert "Puudub" not in html  # a file that cannot be read is left out
    picture = client.get("/logos/2")
    assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")
    assert client.get("/logos/1").status_code == 404
    assert client.get("/logos/9").status_code == 404
