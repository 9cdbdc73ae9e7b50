"""Files: accepting an upload (checked before anything is stored), serving it, removing it;
and the files of events and trips. Functions flush, never commit.

The generic part — ``store_upload``, ``send_stored_file``, ``delete_stored_file`` — serves
any owner (an event's materials here, a cost's receipt elsewhere): the owner keeps a
``stored_file_id`` and decides who may download.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Response, abort, current_app
from flask_babel import gettext as _
from sqlalchemy import Column, select
from werkzeug.datastructures import FileStorage

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.downloads import content_disposition
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.files.checks import (
    FORMATS,
    FileRefused,
    accepted_text,
    check_size,
    check_type,
    clean_name,
)
from koosloome.files.lifecycle import note_written
from koosloome.files.models import EventFile, EventFileKind, StoredFile
from koosloome.files.storage import MissingBytes, storage
from koosloome.registrations.models import Registration, RegistrationStatus

#: What may be uploaded as each kind of an event's file.
ALLOWED_BY_KIND: dict[EventFileKind, frozenset[str]] = {
    EventFileKind.MATERIAL: frozenset({"pdf", "image", "office"}),
    EventFileKind.PHOTO: frozenset({"image"}),
    EventFileKind.ATTENDANCE_SCAN: frozenset({"pdf", "image"}),
}


def accepted_by_kind() -> dict[EventFileKind, str]:
    """"PDF, JPEG or PNG"… for each kind of an event's file, in the reader's language."""
    return {kind: accepted_text(allowed) for kind, allowed in ALLOWED_BY_KIND.items()}


# --- any owner's files --------------------------------------------------------------------------


def upload_limit_mb() -> int:
    """The largest file accepted, in megabytes (``MAX_UPLOAD_MB``)."""
    return int(current_app.config["MAX_UPLOAD_MB"])


def _read(upload: FileStorage, limit_mb: int) -> bytes:
    """The upload's bytes, reading at most one byte past the limit (enough to refuse it)."""
    if upload is None or not isinstance(upload, FileStorage):
        raise FileRefused(_("Choose a file to upload."), code="no_file")
    data = upload.stream.read(limit_mb * 1024 * 1024 + 1)
    if not data and not upload.filename:
        raise FileRefused(_("Choose a file to upload."), code="no_file")
    return data


def _declared_size(upload: FileStorage, data: bytes) -> int:
    """The whole file's size, for the message about a file over the limit."""
    stream = upload.stream
    try:
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
        return max(size, len(data))
    except (AttributeError, OSError, ValueError):
        return len(data)


def store_upload(upload: FileStorage | Any, *, allowed: set[str] | frozenset[str],
                 uploaded_by: User | None) -> StoredFile:
    """Check ``upload`` (size, then type from its bytes, ``allowed`` being groups of "pdf",
    "image", "office") and keep it: bytes in storage under a random key, a flushed row.
    ``FileRefused`` — with the reason in the person's language — before anything is written."""
    limit = upload_limit_mb()
    data = _read(upload, limit)
    check_size(_declared_size(upload, data) if len(data) > limit * 1024 * 1024 else len(data),
               limit)
    file_format = check_type(data, allowed)
    stored = StoredFile(key=secrets.token_urlsafe(24),
                        original_name=clean_name(upload.filename, file_format),
                        content_type=file_format.content_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        uploaded_by_id=uploaded_by.id if uploaded_by else None)
    note_written(stored.key)  # before the write: a failure half-way is undone too
    storage().put(stored.key, data, stored.content_type)
    db.session.add(stored)
    db.session.flush()
    return stored


def read_stored_file(stored: StoredFile) -> bytes:
    """The file's bytes (``MissingBytes`` when storage lost them)."""
    return storage().get(stored.key)


def send_stored_file(stored: StoredFile, *, inline: bool | None = None) -> Response:
    """The file as a download that is never cached nor sniffed into another type; a photo is
    shown in the browser. 404 when its bytes are gone."""
    try:
        data = read_stored_file(stored)
    except MissingBytes:
        abort(404)
    file_format = next((f for f in FORMATS.values() if f.content_type == stored.content_type),
                       None)
    shown = file_format is not None and file_format.inline if inline is None else inline
    response = Response(data, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = content_disposition(stored.original_name,
                                                                  inline=shown)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # A file is never a page: no script runs even if a browser were to render it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_stored_file(stored: StoredFile) -> None:
    """Delete the row now (flushed) and its bytes once the transaction commits (not at all if
    it rolls back). The owner's row must be gone or going in the same flush."""
    db.session.delete(stored)
    db.session.flush()


def _owner_columns() -> list[Column[Any]]:
    """Every column of every table that points at ``stored_file.id``: the owners, whoever
    they are (a receipt's table counts without this module knowing it)."""
    table = StoredFile.__table__
    return [fk.parent for other in db.metadata.tables.values() if other is not table
            for fk in other.foreign_keys if fk.column.table is table]


@dataclass(frozen=True)
class SweepResult:
    """What ``sweep_orphans`` removed (or would remove)."""

    rows: int
    bytes_without_row: int


def sweep_orphans(now: datetime, min_age: timedelta, *, dry_run: bool = False) -> SweepResult:
    """Remove rows no owner points to and bytes no row names, older than ``min_age`` (an
    upload in progress has bytes and no committed row yet). Flushes; bytes of swept rows
    go at the commit."""
    cutoff = now - min_age
    owned = select(StoredFile.id).where(StoredFile.created_at < cutoff)
    for column in _owner_columns():
        owned = owned.where(StoredFile.id.not_in(
            select(column).where(column.is_not(None)).scalar_subquery()))
    orphans = list(db.session.scalars(select(StoredFile).where(StoredFile.id.in_(owned))))
    known = set(db.session.scalars(select(StoredFile.key)))
    stray = [key for key, modified in storage().listing() if key not in known
             and (modified is None or modified < cutoff)]
    if not dry_run:
        for stored in orphans:
            db.session.delete(stored)
        db.session.flush()
        for key in stray:
            storage().delete(key)
    return SweepResult(len(orphans), len(stray))


# --- an event's files ---------------------------------------------------------------------------


def event_files(event: Event, kind: EventFileKind | None = None) -> list[EventFile]:
    """The event's files (of one ``kind``), oldest first."""
    query = select(EventFile).where(EventFile.event_id == event.id)
    if kind is not None:
        query = query.where(EventFile.kind == kind)
    return list(db.session.scalars(query.order_by(EventFile.id)))


def find_event_file(event: Event, file_id: int) -> EventFile | None:
    """One of the event's files, or None (another event's file is none of this one's)."""
    found = db.session.get(EventFile, file_id)
    return found if found is not None and found.event_id == event.id else None


def photo_refusers(event: Event) -> list[str]:
    """The names of the event's registrants (not cancelled or declined) who did not agree to
    photos: whoever uploads a photo checks that none of them is in it."""
    from koosloome.registrations.models import ACTIVE_STATUSES

    return list(db.session.scalars(
        select(Registration.name).where(Registration.event_id == event.id,
                                        Registration.status.in_(ACTIVE_STATUSES),
                                        Registration.consent_photos.is_(False))
        .order_by(Registration.name)))


def add_event_file(event: Event, upload: FileStorage | Any, *, kind: EventFileKind, title: str,
                   shared: bool, by: User, nobody_refused: bool = False) -> EventFile:
    """Attach an upload to ``event``. A photo needs the uploader's word that nobody who
    refused photo consent is in it (``nobody_refused``); only materials may be shared with
    the participants. ``FileRefused`` before anything is stored."""
    if kind is EventFileKind.PHOTO and not nobody_refused:
        raise FileRefused(_("Confirm that no one in these photos refused photo consent. If "
                            "someone who refused is in a photo, do not upload it."),
                          code="photo_consent")
    stored = store_upload(upload, allowed=ALLOWED_BY_KIND[kind], uploaded_by=by)
    title = " ".join((title or "").split())[:200] or stored.original_name
    added = EventFile(event_id=event.id, stored=stored, kind=kind, title=title,
                      shared_with_participants=shared and kind is EventFileKind.MATERIAL)
    db.session.add(added)
    db.session.flush()
    audit.record("files.upload", user_id=by.id, object_type="event_file", object_id=added.id,
                 event_id=event.id, kind=kind.value, size=stored.size,
                 content_type=stored.content_type)
    return added


def remove_event_file(event_file: EventFile, by: User | None) -> None:
    """Delete the file from its event; its bytes go once the deletion is committed."""
    audit.record("files.remove", user_id=by.id if by else None, object_type="event_file",
                 object_id=event_file.id, event_id=event_file.event_id,
                 kind=event_file.kind.value)
    db.session.delete(event_file)  # its stored file goes with it (delete-orphan)
    db.session.flush()


def remove_event_files(ended_before: datetime, kinds: Iterable[EventFileKind]) -> Counter[int]:
    """Delete the files of ``kinds`` of the events that ended before ``ended_before`` (the
    retention purge); per event, how many went. Their bytes go at the commit."""
    doomed = list(db.session.scalars(select(EventFile).join(Event).where(
        Event.ends_at <= ended_before, EventFile.kind.in_(list(kinds)))))
    for event_file in doomed:
        db.session.delete(event_file)
    db.session.flush()
    return Counter(event_file.event_id for event_file in doomed)


def shared_materials(event: Event) -> list[EventFile]:
    """The materials the organisers share with the event's participants."""
    return list(db.session.scalars(select(EventFile).where(
        EventFile.event_id == event.id, EventFile.kind == EventFileKind.MATERIAL,
        EventFile.shared_with_participants.is_(True)).order_by(EventFile.id)))


def may_have_materials(registration: Registration) -> bool:
    """Materials are for those with a confirmed place (as the thank-you message)."""
    return registration.status is RegistrationStatus.CONFIRMED


def shared_material(registration: Registration, file_id: int) -> EventFile | None:
    """A material of the registration's event that its participant may download, or None."""
    if not may_have_materials(registration):
        return None
    found = db.session.get(EventFile, file_id)
    if found is None or found.event_id != registration.event_id or \
            found.kind is not EventFileKind.MATERIAL or not found.shared_with_participants:
        return None
    return found


def participant_materials(registration: Registration) -> list[EventFile]:
    """What the participant's manage page lists."""
    return shared_materials(registration.event) if may_have_materials(registration) else []

