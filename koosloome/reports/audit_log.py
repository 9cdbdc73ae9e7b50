"""Reading the audit log: filters, one page of entries, and the filter choices.

Bounded: one count and one page query (joined to names), plus three small queries for the
filter's choices, whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from koosloome.accounts.models import User
from koosloome.audit import AuditLog
from koosloome.events.models import Event
from koosloome.extensions import db

PAGE_SIZE = 50
ACTION_LABELS = {
    "login": _l("Signed in"),
    "export.attendance": _l("Printed the attendance list"),
    "export.registrations": _l("Exported registrations"),
    "export.health": _l("Exported registrations with health data"),
    "view.health": _l("Viewed the named list of needs"),
    "view.transport": _l("Viewed the transport list"),
    "user.create": _l("Created a staff account"),
    "user.update": _l("Changed a staff account"),
    "password.reset_sent": _l("Sent a password reset link"),
    "password.reset": _l("Set a new password"),
}


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None means any."""

    user_id: int | None = None
    action: str | None = None
    event_id: int | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditRow:
    """One entry, with the names it refers to."""

    at: datetime
    who: str
    action: str
    action_label: str
    object: str
    event_title: str
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first."""

    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _conditions(audit_filter: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if audit_filter.user_id is not None:
        conditions.append(AuditLog.user_id == audit_filter.user_id)
    if audit_filter.action:
        conditions.append(AuditLog.action == audit_filter.action)
    if audit_filter.event_id is not None:
        conditions.append(AuditLog.event_id == audit_filter.event_id)
    if audit_filter.start:
        conditions.append(AuditLog.at >= _local_midnight(audit_filter.start))
    if audit_filter.end:
        conditions.append(AuditLog.at < _local_midnight(audit_filter.end + timedelta(days=1)))
    return conditions


def audit_page(audit_filter: AuditFilter) -> AuditPage:
    """The entries matching the filter, one page of them (two queries)."""
    conditions = _conditions(audit_filter)
    total = db.session.scalar(select(func.count(AuditLog.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(audit_filter.page, 1), pages)
    query = (
        select(AuditLog, User.name, Event.title_et)
        .outerjoin(User, User.id == AuditLog.user_id)
        .outerjoin(Event, Event.id == AuditLog.event_id)
        .where(*conditions)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        AuditRow(
            at=entry.at,
            who=user_name or entry.actor or "—",
            action=entry.action,
            action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
            object=f"{entry.object_type} {entry.object_id}" if entry.object_type else "",
            event_title=event_title or "",
            details=entry.details or {},
        )
        for entry, user_name, event_title in db.session.execute(query)
    ]
    return AuditPage(rows, total, page, pages)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Staff users, the actions that occur, and events, for the filter's select boxes."""
    users = [(str(user_id), name) for user_id, name in
             db.session.execute(select(User.id, User.name).order_by(User.name))]
    actions = [(action, str(ACTION_LABELS.get(action, action))) for action in
               db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action))]
    events = [(str(event_id), title) for event_id, title in db.session.execute(
        select(Event.id, Event.title_et).order_by(Event.starts_at.desc()))]
    return {"user": users, "action": actions, "event": events}
