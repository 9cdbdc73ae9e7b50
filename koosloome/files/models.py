"""Stored files and what owns them.

A ``StoredFile`` is the checked bytes of one upload: where they lie in storage (``key``, never
the uploader's name), what they are (type detected from the content) and who brought them.
Owners point at it: an ``EventFile`` for an event's or trip's materials, photos and signed
attendance sheets; receipts of costs the same way. Deleting a ``StoredFile`` through the ORM
removes its bytes once the transaction commits (``koosloome.files.lifecycle``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from koosloome.db import Base, enum_column, utcnow
from koosloome.events.models import Event


class StoredFile(Base):
    """The bytes of one accepted upload, described."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name in storage: random, so that no one can guess another file's address.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    #: The uploader's file name, cleaned: only for the download's Content-Disposition.
    original_name: Mapped[str] = mapped_column(String(200))
    #: Detected from the bytes, never taken from the browser.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))


class EventFileKind(enum.StrEnum):
    """What an event's file is, which decides who may see it and what may be uploaded."""

    #: Slides and handouts; may be shared with the participants.
    MATERIAL = "material"
    #: Pictures from the event: only where nobody shown refused photo consent.
    PHOTO = "photo"
    #: A scan of the signed attendance sheet: LEADER evidence, organisers only.
    ATTENDANCE_SCAN = "attendance_scan"


class EventFile(Base):
    """A file of an event (or study trip), with its kind and title."""

    __tablename__ = "event_file"
    __table_args__ = (
        CheckConstraint("kind = 'material' OR NOT shared_with_participants",
                        name="only_materials_shared"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), unique=True)
    kind: Mapped[EventFileKind] = mapped_column(enum_column(EventFileKind))
    title: Mapped[str] = mapped_column(String(200))
    #: A material shown on the participants' manage page and linked in the thank-you message.
    shared_with_participants: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The file goes with its owner (and its bytes after the commit); the owner with its event.
    stored: Mapped[StoredFile] = relationship(cascade="all, delete-orphan", single_parent=True,
                                              lazy="joined")
    event: Mapped[Event] = relationship(backref=backref(
        "files", cascade="all, delete-orphan", order_by="EventFile.id"))
