"""The audit log: who saw or changed personal data, events and registrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from koosloome.db import Base, utcnow
from koosloome.extensions import db


class AuditLog(Base):
    """One recorded action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True
    )
    #: Who acted when it was not a signed-in user: "cli", "participant", "system".
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None]
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    action: str,
    *,
    user_id: int | None = None,
    actor: str = "",
    object_type: str = "",
    object_id: int | None = None,
    event_id: int | None = None,
    **details: Any,
) -> AuditLog:
    """Add an audit entry to the current transaction (it commits with the change it records)."""
    entry = AuditLog(
        action=action,
        user_id=user_id,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        event_id=event_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def record_access(action: str, **fields: Any) -> AuditLog:
    """Record a read of personal data (an export, a list of needs) and commit it at once: the
    access is on record even if producing the page fails afterwards, and on SQLite the write
    lock is not held while a large export is made. The one commit outside a request's unit
    of work, and why."""
    entry = record(action, **fields)
    db.session.commit()
    return entry
