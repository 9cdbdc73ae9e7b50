"""Bytes follow their rows: removed once a deletion is committed, removed again when the
transaction that wrote them is rolled back.

Storage is not transactional, so the order is chosen to leave at worst an orphan, never a row
without its bytes: new bytes are written before their row is flushed (and removed if the
transaction rolls back); old bytes are removed only after the row's deletion is committed.
A process that dies in between leaves bytes without a row; ``flask files sweep`` removes
those, and rows that no owner points to any more (an owner deleted by SQL, not the ORM).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from koosloome.extensions import db
from koosloome.files.models import StoredFile
from koosloome.files.storage import storage

log = logging.getLogger(__name__)
#: ``Session.info`` keys: bytes to remove after the commit; bytes written in the transaction.
TO_REMOVE = "files_to_remove"
WRITTEN = "files_written"


def note_written(key: str) -> None:
    """Bytes were written under ``key`` in this transaction: undo that if it rolls back."""
    db.session().info.setdefault(WRITTEN, set()).add(key)


def _note_deleted(_mapper: Any, _connection: Any, stored: StoredFile) -> None:
    session = object_session(stored)
    if session is not None:
        session.info.setdefault(TO_REMOVE, set()).add(stored.key)


def _remove(keys: set[str]) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # the sweep removes it later; the commit stands
            log.exception("could not remove the bytes of stored file %s", key)


def _after_commit(session: Session) -> None:
    session.info.pop(WRITTEN, None)
    _remove(session.info.pop(TO_REMOVE, set()))


def _after_rollback(session: Session, previous: Any) -> None:
    if previous.parent is not None:  # a savepoint: the outer transaction decides
        return
    session.info.pop(TO_REMOVE, None)
    _remove(session.info.pop(WRITTEN, set()))


def init_lifecycle() -> None:
    """Listen to the sessions of every app (once per process)."""
    factory = db.session.session_factory
    for name, listener in (("after_commit", _after_commit),
                           ("after_soft_rollback", _after_rollback)):
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)
    if not event.contains(StoredFile, "after_delete", _note_deleted):
        event.listen(StoredFile, "after_delete", _note_deleted)
