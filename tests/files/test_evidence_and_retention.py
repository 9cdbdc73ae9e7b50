"""Files reach the evidence pack, the thank-you message, and leave with the retention
purge."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.files import services
from koosloome.files.models import EventFileKind
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import OutgoingEmail
from koosloome.messaging.scheduled import queue_thank_yous
from tests import factories
from tests.files import samples


def _attach(app, event, organiser, kind: EventFileKind, data: bytes, name: str, *,
            title: str = "", shared: bool = False):
    with app.test_request_context():
        added = services.add_event_file(event, FileStorage(io.BytesIO(data), name), kind=kind,
                                        title=title, shared=shared, by=organiser,
                                        nobody_refused=True)
        db.session.commit()
    return added


def test_the_evidence_zip_carries_the_signed_sheets_and_materials_and_the_pdf_lists_them(
        app, client, login, event, organiser):
    scan = samples.pdf_bytes("Allkirjad")
    _attach(app, event, organiser, EventFileKind.ATTENDANCE_SCAN, scan, "Allkirjad ürituselt.pdf",
            title="Allkirjastatud nimekiri")
    _attach(app, event, organiser, EventFileKind.MATERIAL, samples.xlsx_bytes(), "eelarve.xlsx",
            title="Eelarve")
    _attach(app, event, organiser, EventFileKind.PHOTO, samples.image_bytes("JPEG"), "pilt.jpg")
    login(organiser)
    archive = zipfile.ZipFile(io.BytesIO(client.get(
        f"/admin/events/{event.id}/evidence.zip").data))
    names = archive.namelist()
    assert "allkirjastatud-nimekirjad/01-Allkirjad_urituselt.pdf" in names
    assert archive.read("allkirjastatud-nimekirjad/01-Allkirjad_urituselt.pdf") == scan
    assert "materjalid/01-eelarve.xlsx" in names
    assert not [name for name in names if name.endswith(".jpg")]  # photos stay out
    text = " ".join(" ".join(page.extract_text().split()) for page in
                    PdfReader(io.BytesIO(archive.read("toendid.pdf"))).pages)
    assert "Paketis olevad failid" in text
    assert "Allkirjastatud osalejate nimekiri: Allkirjastatud nimekiri" in text
    assert "Materjal: Eelarve (materjalid/01-eelarve.xlsx)" in text


def test_the_thank_you_links_the_shared_materials_through_the_persons_own_link(
        app, organiser):
    now = utcnow()
    event = factories.make_event(starts_at=now - timedelta(hours=5))
    mari = factories.make_registration(event)
    shared = _attach(app, event, organiser, EventFileKind.MATERIAL, samples.pdf_bytes(),
                     "slaidid.pdf", title="Ettekande slaidid", shared=True)
    _attach(app, event, organiser, EventFileKind.MATERIAL, samples.pdf_bytes(), "sisemine.pdf",
            title="Sisemine märkmik")
    assert queue_thank_yous(now) == 1
    db.session.commit()
    from koosloome.messaging.delivery import render_pending

    render_pending()
    email = db.session.query(OutgoingEmail).filter_by(kind=MessageKind.THANK_YOU.value).one()
    assert f"{mari.manage_url}/files/{shared.id}" in email.body_text
    assert "Ettekande slaidid" in email.body_html and "Sisemine" not in email.body_text


def test_the_purge_deletes_photos_and_scans_with_the_identities_but_keeps_materials(
        app, runner, organiser, stored_bytes, file_rows):
    old = factories.make_event(starts_at=utcnow() - timedelta(days=365 * 8))
    recent = factories.make_event(starts_at=utcnow() - timedelta(days=40))
    material = _attach(app, old, organiser, EventFileKind.MATERIAL, samples.pdf_bytes(), "a.pdf")
    _attach(app, old, organiser, EventFileKind.PHOTO, samples.image_bytes(), "b.png")
    _attach(app, old, organiser, EventFileKind.ATTENDANCE_SCAN, samples.pdf_bytes(), "c.pdf")
    kept_scan = _attach(app, recent, organiser, EventFileKind.ATTENDANCE_SCAN,
                        samples.pdf_bytes(), "d.pdf")
    keys = {material.stored.key, kept_scan.stored.key}
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "2 photo(s) and signed attendance sheet(s)" in result.output
    assert file_rows() == (2, 2) and set(stored_bytes()) == keys
