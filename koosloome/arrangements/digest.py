"""The digest of open arrangements staff get some days before an event (``reminders send``).

Each digest mark (``ARRANGEMENT_DIGEST_DAYS``, default 7 and 2 days before) is taken once per
event, however often the scheduler runs: a row of ``arrangement_digest`` per event and mark.
An event whose arrangements are all settled gets no message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from koosloome.accounts.models import Role, User
from koosloome.accounts.permissions import partner_ids
from koosloome.arrangements.kinds import STATUS_LABELS
from koosloome.arrangements.models import ArrangementDigest
from koosloome.arrangements.services import ArrangementLine, lines, open_lines
from koosloome.bilingual import localised
from koosloome.events.models import Event, EventStatus
from koosloome.extensions import db
from koosloome.i18n import format_long_date
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.notify import queue_templated

#: Staff read the back office in Estonian.
STAFF_LANGUAGE = "et"


def _lock(event: Event) -> None:
    """Two scheduler runs take an event in turn (PostgreSQL; SQLite's write lock does it)."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _due_marks(event: Event, now: datetime) -> list[int]:
    marks = current_app.config["ARRANGEMENT_DIGEST_DAYS"]
    return sorted(days for days in marks if event.starts_at - timedelta(days=days) <= now)


def _taken(event: Event) -> set[int]:
    return set(db.session.scalars(select(ArrangementDigest.days_before).where(
        ArrangementDigest.event_id == event.id)))


def _recipients(event: Event, still_open: list[ArrangementLine]) -> list[User]:
    """The organisers of the event's partners, and whoever answers for an open line."""
    partners = partner_ids(event)
    users = {user.id: user for user in db.session.scalars(
        select(User).where(User.organisation_id.in_(partners), User.active.is_(True),
                           User.role == Role.ORGANISER))}
    for line in still_open:
        responsible = line.arrangement.responsible if line.arrangement else None
        if responsible is not None and responsible.active:
            users[responsible.id] = responsible
    return sorted(users.values(), key=lambda user: user.name)


def _context(event: Event, days: int, still_open: list[ArrangementLine]) -> dict:
    with force_locale(STAFF_LANGUAGE):
        items = [{"what": line.label, "people": line.people, "waiting": line.waiting,
                  "status": str(STATUS_LABELS[line.status]),
                  "responsible": line.arrangement.responsible.name
                  if line.arrangement and line.arrangement.responsible else ""}
                 for line in still_open]
        return {"title": localised(event, "title", STAFF_LANGUAGE),
                "date": format_long_date(event.starts_at, STAFF_LANGUAGE), "days": days,
                "items": items,
                # No request here: the path of ``arrangements.event_arrangements``.
                "url": f"{current_app.config['BASE_URL']}/admin/events/{event.id}/arrangements"}


def queue_digests(now: datetime) -> int:
    """Queue the due digests (one message per recipient); returns how many; flushes."""
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
        .options(selectinload(Event.organisation)).order_by(Event.starts_at, Event.id))
    count = 0
    for event in events:
        due = _due_marks(event, now)
        if not due:
            continue
        _lock(event)
        taken = _taken(event)
        if due[0] in taken:
            continue
        # The nearest mark speaks for the earlier ones too: nobody needs last week's digest.
        for days in set(due) - taken:
            db.session.add(ArrangementDigest(event_id=event.id, days_before=days,
                                             queued_at=now))
        still_open = open_lines(lines(event))
        days_left = max(1, round((event.starts_at - now) / timedelta(days=1)))
        if still_open:
            for user in _recipients(event, still_open):
                queue_templated(MessageKind.ARRANGEMENT_DIGEST, to_address=user.email,
                                to_name=user.name, language=STAFF_LANGUAGE, event_id=event.id,
                                name=user.name, **_context(event, days_left, still_open))
                count += 1
    db.session.flush()
    return count
