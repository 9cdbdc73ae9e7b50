"""Fixtures of the files' tests: an event, its organiser, and a look into storage."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from koosloome.accounts.models import Role
from koosloome.extensions import db
from koosloome.files.models import EventFile, StoredFile
from tests import factories


@pytest.fixture
def event(app):
    """A VPK seminar."""
    return factories.make_event(organisation=factories.organisation("vpk"))


@pytest.fixture
def organiser(app):
    """An organiser of VPK (the event's partner)."""
    return factories.make_user(Role.ORGANISER, "vpk")


@pytest.fixture
def stored_bytes(app):
    """``stored_bytes()`` → the names of the files in local storage."""
    def names() -> list[str]:
        folder = Path(app.instance_path) / "files"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return names


@pytest.fixture
def file_rows(app):
    """``file_rows()`` → (stored files, event files) counted."""
    def count() -> tuple[int, int]:
        db.session.expire_all()
        return (db.session.scalar(select(func.count()).select_from(StoredFile)),
                db.session.scalar(select(func.count()).select_from(EventFile)))
    return count


def upload(data: bytes, name: str = "slaidid.pdf",
           content_type: str = "application/pdf") -> tuple[Any, str, str]:
    """A file field's value for the test client."""
    return (io.BytesIO(data), name, content_type)


def in_memory(fields: dict[str, Any], data: bytes, name: str = "suur.pdf") -> dict[str, Any]:
    """Keyword arguments for the test client that send ``fields`` and a large file encoded in
    memory: the client would spool it to a temporary file that it never closes."""
    boundary, body = encode_multipart({**fields, "file": FileStorage(
        io.BytesIO(data), name, content_type="application/pdf")})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
