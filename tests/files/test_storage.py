"""Where the bytes lie: a private local folder by default, an S3 bucket when configured
(tested against moto's S3 server on 127.0.0.1, over HTTP); and the sweep of orphans."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from koosloome import create_app
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.files import services
from koosloome.files.models import EventFile, EventFileKind, StoredFile
from koosloome.files.storage import LocalStorage, MissingBytes, S3Storage, storage
from tests.conftest import IsolatedContextClient
from tests.files import samples


def _pdf() -> FileStorage:
    return FileStorage(io.BytesIO(samples.pdf_bytes()), "slaidid.pdf")


def test_local_files_are_private_to_the_app(app, event, organiser):
    with app.test_request_context():
        stored = services.store_upload(_pdf(), allowed={"pdf"}, uploaded_by=organiser)
        db.session.commit()
    folder = Path(app.instance_path) / "files"
    assert isinstance(storage(), LocalStorage)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / stored.key).stat().st_mode) == 0o600
    assert not str(folder).startswith(str(Path(app.root_path).parent / "static"))


def test_a_key_that_is_not_ours_never_reaches_the_disk(app):
    with pytest.raises(ValueError):
        storage().get("../secret_key")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in a thread, on a free port of 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_app(s3_endpoint, make_config) -> Iterator:
    """An app whose files go to a bucket of the moto server."""
    app = create_app(make_config(
        FILES_S3_BUCKET="koosloome-test", FILES_S3_ENDPOINT_URL=s3_endpoint,
        FILES_S3_REGION="eu-north-1", FILES_S3_ACCESS_KEY_ID="test",
        FILES_S3_SECRET_ACCESS_KEY="test", FILES_S3_PREFIX="files/"))
    app.test_client_class = IsolatedContextClient
    with app.app_context():
        client = storage().client
        client.create_bucket(Bucket="koosloome-test",
                             CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
        yield app
        for key, _modified in storage().listing():
            storage().delete(key)
        client.delete_bucket(Bucket="koosloome-test")
        client.close()


def test_s3_round_trip_through_the_page_and_deletion(s3_app, app, event, organiser,
                                                     file_rows):
    client = s3_app.test_client()
    client.post("/login", data={"email": organiser.email, "password": "correct horse battery"})
    sent = client.post(f"/admin/events/{event.id}/files", content_type="multipart/form-data",
                       data={"kind": "material", "file": (io.BytesIO(samples.pdf_bytes()),
                                                          "slaidid.pdf")})
    assert sent.status_code == 302
    added = db.session.scalars(select(EventFile)).one()
    key = added.stored.key
    assert not (Path(app.instance_path) / "files").exists()  # not on the local disk
    with s3_app.app_context():
        bucket = storage()
        assert isinstance(bucket, S3Storage)
        objects = bucket.client.list_objects_v2(Bucket="koosloome-test")["Contents"]
        assert [o["Key"] for o in objects] == [f"files/{key}"]
    got = client.get(f"/admin/events/{event.id}/files/{added.id}")
    assert got.data == samples.pdf_bytes()
    client.post(f"/admin/events/{event.id}/files/{added.id}/delete")
    assert file_rows() == (0, 0)
    with s3_app.app_context():
        assert list(storage().listing()) == []
        with pytest.raises(MissingBytes):
            storage().get(key)


def test_the_sweep_removes_rows_nothing_owns_and_bytes_no_row_names(app, runner, event,
                                                                    organiser, stored_bytes):
    with app.test_request_context():
        kept = services.add_event_file(event, _pdf(), kind=EventFileKind.MATERIAL, title="",
                                       shared=False, by=organiser)
        lonely = services.store_upload(_pdf(), allowed={"pdf"}, uploaded_by=organiser)
        db.session.commit()
    storage().put("strayBytesWithoutAnyRow1", b"x", "application/pdf")
    storage().put("strayButStillBeingUploaded", b"x", "application/pdf")
    two_hours_ago = (utcnow() - timedelta(hours=2)).timestamp()
    os.utime(Path(app.instance_path) / "files" / "strayBytesWithoutAnyRow1",
             (two_hours_ago, two_hours_ago))
    for stored in db.session.scalars(select(StoredFile)):
        stored.created_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    dry = runner.invoke(args=["files", "sweep", "--dry-run"])
    assert "Would remove: 1 file(s) that nothing owns; 1 stored object(s)" in dry.output
    assert len(stored_bytes()) == 4
    result = runner.invoke(args=["files", "sweep"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(StoredFile, lonely.id) is None
    assert set(stored_bytes()) == {kept.stored.key, "strayButStillBeingUploaded"}
