"""Organisers attach files to an event: refused when wrong with a clear message and nothing
stored; served only to whom they are for; removed with what they belong to."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from koosloome.accounts.models import Role
from koosloome.extensions import db
from koosloome.files.models import EventFile, EventFileKind
from koosloome.registrations.models import RegistrationStatus
from tests import factories
from tests.files import samples
from tests.files.conftest import in_memory, upload


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _post(client, event, **data):
    return client.post(f"/admin/events/{event.id}/files", data=data,
                       content_type="multipart/form-data")


def _post_large(client, event, data: bytes, **fields):
    return client.post(f"/admin/events/{event.id}/files", **in_memory(fields, data))


def test_an_organiser_uploads_a_material_and_downloads_it(client, login, event, organiser,
                                                          stored_bytes):
    login(organiser)
    sent = _post(client, event, kind="material", title="Ettekande slaidid",
                 file=upload(samples.pdf_bytes()), shared="y")
    assert sent.status_code == 302
    added = db.session.scalars(select(EventFile)).one()
    assert added.shared_with_participants and added.stored.content_type == "application/pdf"
    assert added.stored.original_name == "slaidid.pdf"
    assert stored_bytes() == [added.stored.key] and "slaidid" not in added.stored.key
    page = _text(client.get(f"/admin/events/{event.id}/files"))
    assert "Ettekande slaidid" in page and "osalejatega jagatud" in page.lower()
    got = client.get(f"/admin/events/{event.id}/files/{added.id}")
    assert got.status_code == 200 and got.data == samples.pdf_bytes()
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got.headers["Cache-Control"]


def test_a_png_named_pdf_is_refused_and_nothing_is_stored(client, login, event, organiser,
                                                          stored_bytes, file_rows):
    login(organiser)
    sent = _post(client, event, kind="attendance_scan", title="Allkirjad",
                 file=upload(samples.image_bytes("PNG") + b"x" * 10, "allkirjad.pdf"),
                 nobody_refused="")
    assert sent.status_code == 200 or sent.status_code == 302  # a PNG is a fine scan
    sent = _post(client, event, kind="material", title="Slaidid",
                 file=upload(samples.HTML, "slaidid.pdf"))
    assert sent.status_code == 422
    page = _text(sent)
    assert "HTML" in page and 'value="Slaidid"' in page  # the title is kept
    assert file_rows() == (1, 1) and len(stored_bytes()) == 1


def test_a_scan_is_only_pdf_or_image(client, login, event, organiser, stored_bytes, file_rows):
    login(organiser)
    sent = _post(client, event, kind="attendance_scan",
                 file=upload(samples.xlsx_bytes(), "nimekiri.pdf"))
    assert sent.status_code == 422
    assert "XLSX" in _text(sent) and file_rows() == (0, 0) and stored_bytes() == []


def test_a_file_over_the_limit_is_refused_with_its_size_and_nothing_is_stored(
        app, client, login, event, organiser, stored_bytes, file_rows):
    app.config["MAX_UPLOAD_MB"] = 1
    login(organiser)
    big = samples.pdf_bytes() + b"0" * (1024 * 1024 + 200 * 1024)
    sent = _post_large(client, event, big, kind="material", title="Suur fail")
    assert sent.status_code == 422
    page = _text(sent)
    assert "Fail on 1,2 MB; piir on 1 MB" in page and 'value="Suur fail"' in page
    assert file_rows() == (0, 0) and stored_bytes() == []


def test_a_request_far_over_the_limit_gets_the_page_with_the_reason_not_an_error(
        app, client, login, event, organiser, stored_bytes, file_rows):
    app.config["MAX_UPLOAD_MB"] = 1
    login(organiser)
    huge = samples.pdf_bytes() + b"0" * (3 * 1024 * 1024)
    sent = _post_large(client, event, huge, kind="material")
    assert sent.status_code == 413
    assert "piir on 1 MB" in _text(sent) and "<form" in _text(sent)
    assert file_rows() == (0, 0) and stored_bytes() == []


def test_an_empty_file_and_no_file_are_refused(client, login, event, organiser, file_rows):
    login(organiser)
    assert "Fail on tühi" in _text(_post(client, event, kind="material",
                                         file=upload(b"", "tyhi.pdf")))
    assert "Vali fail" in _text(_post(client, event, kind="material"))
    assert file_rows() == (0, 0)


def test_a_photo_needs_the_consent_confirmation_and_the_form_names_who_refused(
        client, login, event, organiser, stored_bytes, file_rows):
    factories.make_registration(event, name="Kati Karu", consent_photos=False)
    factories.make_registration(event, name="Jaan Jõgi", consent_photos=True)
    factories.make_registration(event, name="Tühistatud Tiit", consent_photos=False,
                                status=RegistrationStatus.CANCELLED)
    login(organiser)
    page = _text(client.get(f"/admin/events/{event.id}/files"))
    assert "Kati Karu" in page and "Jaan Jõgi" not in page and "Tühistatud Tiit" not in page
    sent = _post(client, event, kind="photo", title="Rühmapilt",
                 file=upload(samples.image_bytes("JPEG"), "pilt.jpg", "image/jpeg"))
    assert sent.status_code == 422
    assert "Kinnita, et" in _text(sent) and "Kati Karu" in _text(sent)
    assert file_rows() == (0, 0) and stored_bytes() == []
    sent = _post(client, event, kind="photo", title="Rühmapilt", nobody_refused="y",
                 file=upload(samples.image_bytes("JPEG"), "pilt.jpg", "image/jpeg"))
    assert sent.status_code == 302 and file_rows() == (1, 1)
    photo = db.session.scalars(select(EventFile)).one()
    assert photo.kind is EventFileKind.PHOTO and not photo.shared_with_participants
    shown = client.get(f"/admin/events/{event.id}/files/{photo.id}")
    assert shown.headers["Content-Disposition"].startswith("inline;")


def test_the_other_partners_organiser_and_visitors_cannot_reach_the_files(
        app, client, login, event, organiser):
    login(organiser)
    _post(client, event, kind="attendance_scan", file=upload(samples.pdf_bytes()))
    scan = db.session.scalars(select(EventFile)).one()
    url = f"/admin/events/{event.id}/files/{scan.id}"
    client.post("/logout")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(factories.make_user(Role.ORGANISER, "tas"))
    assert client.get(url).status_code == 403
    assert client.get(f"/admin/events/{event.id}/files").status_code == 403
    other = factories.make_event(organisation=factories.organisation("vpk"))
    client.post("/logout")
    login(organiser)
    assert client.get(f"/admin/events/{other.id}/files/{scan.id}").status_code == 404


def test_deleting_asks_first_then_removes_row_and_bytes(client, login, event, organiser,
                                                        stored_bytes, file_rows):
    login(organiser)
    _post(client, event, kind="material", file=upload(samples.pdf_bytes()))
    added = db.session.scalars(select(EventFile)).one()
    confirm = client.get(f"/admin/events/{event.id}/files/{added.id}/delete")
    assert confirm.status_code == 200 and "Kas kustutad faili?" in _text(confirm)
    assert file_rows() == (1, 1)
    gone = client.post(f"/admin/events/{event.id}/files/{added.id}/delete")
    assert gone.status_code == 302
    assert file_rows() == (0, 0) and stored_bytes() == []


def test_deleting_an_event_removes_its_files_bytes(app, event, organiser, stored_bytes,
                                                   file_rows):
    from koosloome.files import services

    with app.test_request_context():
        services.add_event_file(event, FileStorage(*upload(samples.pdf_bytes())[:2]),
                                kind=EventFileKind.MATERIAL, title="", shared=True,
                                by=organiser)
        db.session.commit()
    assert len(stored_bytes()) == 1
    db.session.delete(event)
    db.session.commit()
    assert file_rows() == (0, 0) and stored_bytes() == []


def test_a_rolled_back_upload_leaves_no_bytes(app, event, organiser, stored_bytes):
    from koosloome.files import services

    with app.test_request_context():
        services.add_event_file(event, FileStorage(*upload(samples.pdf_bytes())[:2]),
                                kind=EventFileKind.MATERIAL, title="", shared=False,
                                by=organiser)
        assert len(stored_bytes()) == 1
        db.session.rollback()
    assert stored_bytes() == []


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED])
def test_a_participant_downloads_a_shared_material_through_their_own_link_only(
        client, login, event, organiser, status):
    mari = factories.make_registration(event, name="Mari", status=status)
    jaan = factories.make_registration(factories.make_event(), name="Jaan")
    waiting = factories.make_registration(event, name="Ootaja",
                                          status=RegistrationStatus.WAITLISTED)
    login(organiser)
    _post(client, event, kind="material", title="Slaidid", shared="y",
          file=upload(samples.pdf_bytes()))
    _post(client, event, kind="material", title="Sisemine", file=upload(samples.pdf_bytes("x")))
    shared, internal = db.session.scalars(select(EventFile).order_by(EventFile.id)).all()
    client.post("/logout")
    page = _text(client.get(f"/r/{mari.manage_token}"))
    assert "Slaidid" in page and "Sisemine" not in page
    got = client.get(f"/r/{mari.manage_token}/files/{shared.id}")
    assert got.status_code == 200 and got.data == samples.pdf_bytes()
    assert client.get(f"/r/{mari.manage_token}/files/{internal.id}").status_code == 404
    assert client.get(f"/r/{jaan.manage_token}/files/{shared.id}").status_code == 404
    assert client.get(f"/r/{waiting.manage_token}/files/{shared.id}").status_code == 404
    assert client.get(f"/r/{'A' * 43}/files/{shared.id}").status_code == 404
