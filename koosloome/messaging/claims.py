"""What a delivering worker holds and what it writes down: claiming due messages, checking
that a message is still its own, recording each attempt, handing back what it did not try.

Each function here runs its statements in the caller's transaction and does not commit:
``delivery.Courier`` decides what goes into one commit. It commits the claim on its own, and
then, before each message it sends, the outcome of the message before together with the
check that the next one is still its own: one commit a message, and never a message sent
while an earlier outcome is still unwritten (a crash loses at most the outcome of the one
message on the wire).

Ownership: a claim marks its messages *sending* with a claim token and a lease. A row that
carries the token is this worker's alone: no other step changes a *sending* row (rendering
takes only *queued* ones), another worker takes it only once its lease has run out (the
worker renews it long before), and an erasure deletes it. So what the claim read of it stays
true while the token is on it, and every write here is conditional on the token.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update

from koosloome.extensions import db
from koosloome.messaging.check_in_codes import CHECK_IN_KINDS, stored_codes
from koosloome.messaging.kinds import FORGOTTEN_ONCE_SENT
from koosloome.messaging.models import DeliveryAttempt, EmailStatus, OutgoingEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
ABANDONED = "The worker stopped during delivery; whether the server got the message is unknown."

#: The tables, for plain Core statements on the session's connection: a message's record runs
#: once a message, and the ORM's handling of an ``update(OutgoingEmail)`` (looking for the rows
#: among the objects the session holds; the worker holds none, it builds from copies) costs
#: as much again as the statements.
_EMAIL = OutgoingEmail.__table__
_ATTEMPT = DeliveryAttempt.__table__


def _execute(statement: Any, parameters: Any = None) -> Any:
    return db.session.connection().execute(statement, parameters)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after ``attempts`` failed tries: 1, 2, 4 … minutes, at most six hours
    (twelve attempts span about a day)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True)
class Claimed:
    """A message this worker holds: its row, the token of the claim, and what the claim read
    (a copy of the row, never added to a session; the attempt this is; the stored check-in
    QR code)."""

    email_id: int
    token: str
    attempts: int
    email: OutgoingEmail = field(compare=False, repr=False)
    check_in_png: bytes | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt, waiting to be recorded."""

    claimed: Claimed
    at: datetime
    error: str = ""
    permanent: bool = False
    #: subject, bodies and calendar rendered at delivery (the row was still pending)
    rendered: dict[str, Any] | None = None


def _due(now: datetime) -> Any:
    # SENDING rows are due again only when their lease has run out (the worker stopped).
    return and_(
        _EMAIL.c.status.in_([EmailStatus.QUEUED, EmailStatus.RETRY, EmailStatus.SENDING]),
        _EMAIL.c.next_attempt_at <= now,
    )


def _held(token: str) -> Any:
    return and_(_EMAIL.c.claim_token == token, _EMAIL.c.status == EmailStatus.SENDING)


def _held_of(held: list[Claimed]) -> Any:
    # By primary key: the token has no index, and sent rows pile up.
    tokens = {item.token for item in held}
    return or_(*(and_(_EMAIL.c.id.in_([item.email_id for item in held if item.token == token]),
                      _held(token)) for token in tokens))


def claim(now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Mark up to ``limit`` due messages as ours (one token for the claim) and read them.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets workers claim side by side. SQLite: the
    caller's transaction is a write transaction (BEGIN IMMEDIATE), so claims take turns."""
    found = _execute(
        select(_EMAIL.c.id, _EMAIL.c.status)
        .where(_due(now))
        .order_by(_EMAIL.c.next_attempt_at, _EMAIL.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not found:
        return []
    ids = [email_id for email_id, _status in found]
    abandoned = [email_id for email_id, status in found if status is EmailStatus.SENDING]
    if abandoned:
        _execute(insert(_ATTEMPT), [{"email_id": email_id, "at": now, "ok": False,
                                     "error": ABANDONED} for email_id in abandoned])
    token = secrets.token_hex(16)
    _execute(update(_EMAIL).where(_EMAIL.c.id.in_(ids))
             .values(status=EmailStatus.SENDING, claim_token=token,
                     attempts=_EMAIL.c.attempts + 1, next_attempt_at=now + lease))
    # Copies outside the session to build from: the session's own objects (a caller may hold
    # some) are left alone, and the commit does not expire the copies.
    emails = {row.id: OutgoingEmail(**row._mapping)
              for row in _execute(select(_EMAIL).where(_EMAIL.c.id.in_(ids)))}
    codes = stored_codes(email.registration_id for email in emails.values()
                         if email.kind in CHECK_IN_KINDS and email.registration_id)
    return [Claimed(email_id, token, emails[email_id].attempts, emails[email_id],
                    codes.get(emails[email_id].registration_id or 0))
            for email_id in ids if email_id in emails]


def renew(held: list[Claimed], now: datetime, lease: timedelta) -> set[int]:
    """Extend the lease of these messages where their claim still holds them; the ids held."""
    if not held:
        return set()
    return set(_execute(update(_EMAIL).where(_held_of(held)).values(next_attempt_at=now + lease)
                        .returning(_EMAIL.c.id)).scalars())


def still_held(item: Claimed) -> bool:
    """Whether the claim still holds the message (a row is gone once erased, or taken up by
    another worker once the lease ran out)."""
    return _execute(_STILL_HELD, {"email_id": item.email_id,
                                  "token": item.token}).first() is not None


def _typed(name: str, column: Any) -> Any:
    return bindparam(name, type_=column.type)


# The statements that run once a message, built once: on SQLite, building a statement and
# its cache key costs more than running it.
_RECORD = (
    update(_EMAIL)
    .where(_EMAIL.c.id == _typed("email_id", _EMAIL.c.id),
           _EMAIL.c.claim_token == _typed("token", _EMAIL.c.claim_token),
           _EMAIL.c.status == EmailStatus.SENDING)
    .values(status=_typed("status", _EMAIL.c.status), claim_token=None,
            last_error=_typed("error", _EMAIL.c.last_error),
            sent_at=func.coalesce(_typed("sent_at", _EMAIL.c.sent_at), _EMAIL.c.sent_at),
            next_attempt_at=func.coalesce(_typed("next_attempt_at", _EMAIL.c.next_attempt_at),
                                          _EMAIL.c.next_attempt_at))
)
_ADD_ATTEMPT = insert(_ATTEMPT)
_STILL_HELD = select(_EMAIL.c.id).where(
    _EMAIL.c.id == _typed("email_id", _EMAIL.c.id),
    _EMAIL.c.claim_token == _typed("token", _EMAIL.c.claim_token),
    _EMAIL.c.status == EmailStatus.SENDING)


def record(outcome: Outcome) -> EmailStatus | None:
    """Store the outcome of one attempt and decide what happens next. None when the row is no
    longer this claim's (its lease ran out and another worker took it, or it was erased)."""
    item = outcome.claimed
    sent_at = next_attempt_at = None
    if not outcome.error:
        status, sent_at = EmailStatus.SENT, outcome.at
    elif outcome.permanent or item.attempts >= MAX_ATTEMPTS:
        status = EmailStatus.FAILED
    else:
        status = EmailStatus.RETRY
        next_attempt_at = outcome.at + retry_delay(item.attempts)
    result = _execute(_RECORD, {"email_id": item.email_id, "token": item.token,
                                "status": status, "error": outcome.error, "sent_at": sent_at,
                                "next_attempt_at": next_attempt_at})
    if result.rowcount != 1:
        log.warning("message %s: outcome not recorded, its claim passed to another worker",
                    item.email_id)
        return None
    _execute(_ADD_ATTEMPT, {"email_id": item.email_id, "at": outcome.at,
                            "ok": not outcome.error, "error": outcome.error})
    if outcome.rendered:  # rendered at delivery: the row was still pending when claimed
        _execute(update(_EMAIL).where(_EMAIL.c.id == item.email_id).values(**outcome.rendered))
    if status is EmailStatus.SENT and item.email.kind in FORGOTTEN_ONCE_SENT:
        _forget_recipient(item.email_id)
    return status


def _forget_recipient(email_id: int) -> None:
    """Keep that the message went, not to whom or what it said (an erasure's confirmation);
    an SMTP refusal in an earlier attempt may have quoted the address."""
    _execute(update(_EMAIL).where(_EMAIL.c.id == email_id).values(
        to_address="", to_name="", body_text="", body_html="", calendar=None, pending=None))
    _execute(update(_ATTEMPT).where(_ATTEMPT.c.email_id == email_id).values(error=""))


def release(held: list[Claimed], now: datetime) -> None:
    """Hand back claimed messages not attempted (the worker is stopping, or coming back from
    a database outage): due at once, the claim's attempt not counted."""
    if held:
        _execute(update(_EMAIL).where(_held_of(held)).values(
            status=EmailStatus.RETRY, attempts=_EMAIL.c.attempts - 1, next_attempt_at=now,
            claim_token=None))
