"""A registration's calendar invitation: its UID, its SEQUENCE, and the REQUEST or CANCEL.

iTIP (RFC 5546) lets a calendar replace an entry only by a message with the same UID and a
SEQUENCE at least as high (higher for a change of time or place, or a cancellation). So the
UID is fixed per registration, and each new calendar's SEQUENCE is worked out from the event's
revision and the last calendar queued for that registration (``outgoing_email``).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.calendars import calendar_entry
from koosloome.messaging.ical import CalendarEntry, Person, cancellation, invite
from koosloome.messaging.mime import site_domain
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import Registration


def calendar_uid(registration: Registration) -> str:
    """The invitation's UID: fixed for the registration's whole life, unique to this site."""
    domain = site_domain(current_app.config["BASE_URL"])
    return f"koosloome-registration-{registration.id}@{domain}"


def invite_entry(registration: Registration, language: str, sequence: int) -> CalendarEntry:
    """The registration's invitation: its own UID, the participant as attendee."""
    return calendar_entry(
        registration.event,
        language,
        uid=calendar_uid(registration),
        sequence=sequence,
        manage_link=registration.manage_url,
        attendee=Person(registration.name, registration.email or ""),
    )


def _last_calendar(registration: Registration) -> tuple[str, int] | None:
    """(method, SEQUENCE) of the last calendar queued for ``registration``, if any."""
    row = db.session.execute(
        select(OutgoingEmail.calendar_method, OutgoingEmail.calendar_sequence)
        .where(
            OutgoingEmail.registration_id == registration.id,
            OutgoingEmail.calendar_method.is_not(None),
        )
        .order_by(OutgoingEmail.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return row[0], row[1] or 0


def holds_invite(registration: Registration) -> bool:
    """Whether the last calendar queued for ``registration`` put it in the person's calendar
    (a REQUEST, not withdrawn since by a CANCEL)."""
    last = _last_calendar(registration)
    return last is not None and last[0] == "REQUEST"


def next_sequence(revision: int, method: str, last: tuple[str, int] | None) -> int:
    """SEQUENCE for the next calendar of one UID: the event's revision, but never lower than
    before, and higher than the last one after (or for) a cancellation."""
    if last is None:
        return revision + 1 if method == "CANCEL" else revision
    last_method, last_sequence = last
    if method == "CANCEL" or last_method == "CANCEL":
        return max(revision, last_sequence + 1)
    return max(revision, last_sequence)


def calendar_sequence(registration: Registration, method: str, *, first: bool = False) -> int:
    """The SEQUENCE the next ``method`` calendar for ``registration`` must carry; ``first``:
    nothing was sent for it yet (it was created in this transaction), so nothing to look up."""
    last = None if first else _last_calendar(registration)
    return next_sequence(registration.event.revision, method, last)


def calendar_bytes(entry: CalendarEntry, method: str) -> bytes:
    """``entry`` as a REQUEST or CANCEL calendar."""
    build = invite if method == "REQUEST" else cancellation
    return build(entry, current_app.config["TIMEZONE"], utcnow())


def build_calendar(
    registration: Registration, method: str, language: str, sequence: int
) -> bytes:
    """The REQUEST or CANCEL calendar for ``registration`` in ``language`` at ``sequence``."""
    return calendar_bytes(invite_entry(registration, language, sequence), method)


def registration_calendar(
    registration: Registration, method: str, language: str
) -> tuple[bytes, int]:
    """The REQUEST or CANCEL calendar for ``registration`` in ``language``, and its SEQUENCE."""
    sequence = calendar_sequence(registration, method)
    return build_calendar(registration, method, language, sequence), sequence
