"""An event's files in the JSON API: multipart upload, list, content and delete for those who
manage the event; refusals as 413/415/422 with the translated reason, nothing stored."""

from __future__ import annotations

import io

import pytest
from openapi_spec_validator import validate

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.extensions import db
from tests import factories
from tests.files import samples
from tests.files.conftest import in_memory


@pytest.fixture
def token(app, organiser):
    """The organiser's API token."""
    value = create_api_token(organiser, label="test")
    db.session.commit()
    return value


def _auth(token: str, language: str = "et") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept-Language": language}


def _upload(client, event, token, data: bytes, name: str = "slaidid.pdf", **fields):
    return client.post(f"/api/v1/events/{event.id}/files", headers=_auth(token),
                       content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name, "application/pdf"), **fields})


def test_upload_list_download_and_delete(client, event, token, stored_bytes, file_rows):
    pdf = samples.pdf_bytes()
    sent = _upload(client, event, token, pdf, kind="material", title="Slaidid",
                   shared_with_participants="true")
    assert sent.status_code == 201, sent.json
    body = sent.json
    assert body["kind"] == "material" and body["shared_with_participants"] is True
    assert body["content_type"] == "application/pdf" and body["size"] == len(pdf)
    listed = client.get(f"/api/v1/events/{event.id}/files", headers=_auth(token)).json
    assert [f["id"] for f in listed["files"]] == [body["id"]]
    content = client.get(body["content_url"], headers=_auth(token))
    assert content.status_code == 200 and content.data == pdf
    gone = client.delete(f"/api/v1/events/{event.id}/files/{body['id']}", headers=_auth(token))
    assert gone.status_code == 204 and file_rows() == (0, 0) and stored_bytes() == []


@pytest.mark.parametrize(("data", "fields", "status", "says"), [
    (samples.image_bytes("PNG"), {"kind": "attendance_scan"}, 201, None),
    (samples.SVG, {"kind": "material"}, 415, "See on SVG-fail"),
    (b"", {"kind": "material"}, 422, "Fail on tühi"),
    (samples.image_bytes("PNG"), {"kind": "photo"}, 422, "Kinnita, et"),
    (samples.pdf_bytes(), {"kind": "photo", "nobody_refused": "true"}, 415, "PDF"),
    (samples.pdf_bytes(), {"kind": "poster"}, 422, "Some fields"),
    (samples.pdf_bytes(), {"kind": "material", "shared_with_participants": "maybe"}, 422, None),
])
def test_refusals_have_their_status_and_reason_and_store_nothing(
        client, event, token, file_rows, data, fields, status, says):
    sent = _upload(client, event, token, data, **fields)
    assert sent.status_code == status, sent.json
    if status != 201:
        assert file_rows() == (0, 0)
        if says and says != "Some fields":
            assert says in sent.json["message"] and sent.json["fields"]["file"]


def test_size_over_the_limit_is_413(app, client, event, token, file_rows):
    app.config["MAX_UPLOAD_MB"] = 1
    sent = client.post(f"/api/v1/events/{event.id}/files", headers=_auth(token), **in_memory(
        {"kind": "material"}, samples.pdf_bytes() + b"0" * (1100 * 1024)))
    assert sent.status_code == 413 and "piir on 1 MB" in sent.json["message"]
    assert file_rows() == (0, 0)


def test_json_instead_of_multipart_is_400(client, event, token):
    sent = client.post(f"/api/v1/events/{event.id}/files", headers=_auth(token),
                       json={"kind": "material"})
    assert sent.status_code == 400


def test_scoped_by_organisation(client, event, token):
    body = _upload(client, event, token, samples.pdf_bytes(), kind="material").json
    theirs = create_api_token(factories.make_user(Role.ORGANISER, "tas"), label="tas")
    db.session.commit()
    for method, url in (("GET", f"/api/v1/events/{event.id}/files"),
                        ("GET", body["content_url"]),
                        ("DELETE", f"/api/v1/events/{event.id}/files/{body['id']}")):
        assert client.open(url, method=method, headers=_auth(theirs)).status_code == 403
        assert client.open(url, method=method).status_code == 401
    other = factories.make_event(organisation=factories.organisation("vpk"))
    assert client.get(f"/api/v1/events/{other.id}/files/{body['id']}/content",
                      headers=_auth(token)).status_code == 404


def test_the_openapi_document_describes_the_files_and_is_valid(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert "multipart/form-data" in \
        document["paths"]["/events/{event_id}/files"]["post"]["requestBody"]["content"]
    assert {"413", "415", "422"} <= set(
        document["paths"]["/events/{event_id}/files"]["post"]["responses"])
