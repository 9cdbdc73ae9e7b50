"""The attendance sheet PDF: contents, who is on it, the checked-in version, access."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationSource, RegistrationStatus
from tests.factories import organisation
from tests.reports.conftest import add_registrations, counted_queries, pdf_text


def test_sheet_has_event_project_logos_columns_and_estonian_letters(
    staff_client, make_event, make_registration
):
    event = make_event(title_et="Ühiskonna õppepäev Võrus", venue_name="Kannel",
                       venue_address="Liiva 13, Võru")
    make_registration(event, name="Õie Šõžmüller", organisation_name="MTÜ Ääre",
                      sector="community", municipality="Rõuge vald")
    client = staff_client(Role.ORGANISER, "vpk")
    response = client.get(f"/admin/events/{event.id}/attendance.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Osavõtjate nimekiri", "Koosloomest koostööni", "LEADER", "Euroopa Liit",
                     "Ühiskonna õppepäev Võrus", "Kannel, Liiva 13, Võru",
                     "Võrumaa Partnerluskogu", "Õie Šõžmüller", "MTÜ Ääre / Kogukond või MTÜ",
                     "Rõuge vald", "Nr", "Nimi", "Organisatsioon / sektor", "Omavalitsus",
                     "Allkiri", "Korraldaja allkiri", event.starts_at.strftime("%Y")):
        assert expected in text, expected


def test_only_confirmed_people_and_checked_in_walk_ins_are_listed(
    staff_client, make_event, make_registration
):
    event = make_event()
    make_registration(event, name="Kinnitatud Kati")
    make_registration(event, name="Ootel Olev", status=RegistrationStatus.WAITLISTED)
    make_registration(event, name="Tühistas Toomas", status=RegistrationStatus.CANCELLED)
    make_registration(event, name="Uksel Urmas", status=RegistrationStatus.CANCELLED,
                      source=RegistrationSource.WALK_IN, checked_in_at=utcnow())
    text = pdf_text(staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data)
    assert "Kinnitatud Kati" in text and "Uksel Urmas" in text
    assert "Ootel Olev" not in text and "Tühistas Toomas" not in text


def test_blank_rows_follow_the_registered_people(staff_client, make_event, make_registration):
    event = make_event()
    make_registration(event, name="Ainus Osaleja")
    text = pdf_text(staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data)
    assert "\n11" in text or " 11" in text  # one person + ten blank numbered rows


def test_checked_in_version_marks_arrival_times(staff_client, make_event, make_registration):
    event = make_event()
    arrived = event.starts_at - timedelta(minutes=10)
    make_registration(event, name="Saabus Sirje", checked_in_at=arrived)
    make_registration(event, name="Puudus Peeter")
    client = staff_client(Role.ADMIN)
    plain = pdf_text(client.get(f"/admin/events/{event.id}/attendance.pdf").data)
    marked = pdf_text(client.get(f"/admin/events/{event.id}/attendance.pdf?checked_in=1").data)
    assert "Kohal" not in plain
    assert "Kohal" in marked
    with client.application.test_request_context():
        from koosloome.i18n import format_time
        assert format_time(arrived) in marked


def test_long_lists_repeat_the_header_on_every_page(staff_client, make_event):
    event = make_event()
    add_registrations(event, 200)
    client = staff_client(Role.ADMIN)
    with counted_queries() as queries:
        response = client.get(f"/admin/events/{event.id}/attendance.pdf")
    reader = PdfReader(__import__("io").BytesIO(response.data))
    assert len(reader.pages) >= 5
    for page in reader.pages:
        text = page.extract_text()
        assert "Osavõtjate nimekiri" in text and "Allkiri" in text and "LEADER" in text
    assert len(queries) < 15


def test_printing_the_sheet_is_audited(staff_client, make_event):
    event = make_event()
    client = staff_client(Role.ORGANISER)
    client.get(f"/admin/events/{event.id}/attendance.pdf")
    entry = db.session.query(AuditLog).filter_by(action="export.attendance").one()
    assert entry.event_id == event.id and entry.user_id == client.user.id


@pytest.mark.parametrize(
    ("role", "partner", "co_organised", "expected"),
    [
        (Role.FACILITATOR, "vpk", False, 403),
        (Role.ORGANISER, "tas", False, 403),
        (Role.ORGANISER, "vpk", False, 200),
        (Role.ORGANISER, "tas", True, 200),
        (Role.ADMIN, "tas", False, 200),
    ],
)
def test_who_may_print_the_sheet(staff_client, make_event, role, partner, co_organised,
                                 expected):
    event = make_event(organisation=organisation("vpk"),
                       co_organiser=organisation("tas") if co_organised else None)
    response = staff_client(role, partner).get(f"/admin/events/{event.id}/attendance.pdf")
    assert response.status_code == expected


def test_signed_out_visitors_are_sent_to_sign_in(client, make_event):
    event = make_event()
    response = client.get(f"/admin/events/{event.id}/attendance.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_event_is_404(staff_client):
    assert staff_client(Role.ADMIN).get("/admin/events/999999/attendance.pdf").status_code == 404


def test_a_name_with_line_breaks_prints_on_one_line(staff_client, make_event,
                                                    make_registration, caplog):
    event = make_event()
    make_registration(event, name="Mari\r\nTamm", organisation_name="MTÜ\nKüla")
    response = staff_client(Role.ORGANISER, "vpk").get(f"/admin/events/{event.id}/attendance.pdf")
    text = pdf_text(response.data)
    assert "Mari Tamm" in text and "MTÜ Küla" in text
    assert "missing the following glyphs" not in caplog.text


def test_a_companion_has_a_signature_row_of_their_own(staff_client, make_event,
                                                      make_registration):
    event = make_event()
    make_registration(event, name="Maie Mets", companion=True, seats=2,
                      companion_name="Tiit Mets")
    make_registration(event, name="Ilma Saatjata")
    text = pdf_text(staff_client(Role.ADMIN).get(f"/admin/events/{event.id}/attendance.pdf").data)
    assert text.count("Saatja, kirjutab oma nime") == 1
    assert "Tiit Mets" not in text  # the companion's name is health data: not printed
    assert "\n13" in text or " 13" in text  # three people + ten blank numbered rows


def test_the_pdfs_state_their_language_title_and_headings(staff_client, make_event,
                                                         make_registration):
    # For organisers who read with a screen reader: the language, the title, and headings
    # as the outline (bookmarks) and structure tags.
    event = make_event(title_et="Kaasav seminar")
    make_registration(event)
    client = staff_client(Role.ADMIN)
    for path in (f"/admin/events/{event.id}/attendance.pdf",
                 f"/admin/events/{event.id}/evidence.pdf",
                 "/admin/reports/leader.pdf?start=2024-01-01&end=2030-12-31&partner=all"):
        response = client.get(path)
        assert response.status_code == 200, path
        reader = PdfReader(io.BytesIO(response.data))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "et", path
        assert reader.metadata.title, path
        if "attendance" not in path:  # a one-table sheet has no sections
            assert reader.outline, path
            assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], path
