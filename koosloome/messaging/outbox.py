"""Queueing a message: a row of ``outgoing_email`` written in the caller's transaction.

A change that rolls back sends nothing; one that commits is never lost. The row holds what
was decided (recipient, language, calendar method and SEQUENCE) and the template values in
``pending``; the worker (``delivery``) renders it outside any lock, delivers and records.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.mime import header_text, new_message_id
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.messaging.transport import file_name_pattern, mail_folder
from koosloome.unit_of_work import insert_now


def queue_email(
    *,
    kind: str,
    to_address: str,
    pending: dict[str, Any],
    to_name: str = "",
    language: str = "et",
    calendar_method: str | None = None,
    calendar_sequence: int | None = None,
    event_id: int | None = None,
    registration_id: int | None = None,
    group_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Add a message to the outbox in the caller's transaction (flushed, not committed): it is
    sent only if that transaction commits, and never lost once it has. ``pending`` holds the
    template values (JSON); the subject, bodies and calendar are filled in by the worker.
    ``headers`` are extra headers (``mime.EXTRA_HEADERS`` names them)."""
    if (calendar_method is None) != (calendar_sequence is None):
        raise ValueError("a calendar method and its SEQUENCE go together")
    email = OutgoingEmail(
        kind=kind,
        to_address=header_text(to_address, 254),
        to_name=header_text(to_name, 200),
        language=language,
        subject="",
        body_text="",
        calendar_method=calendar_method,
        calendar_sequence=calendar_sequence,
        message_id=new_message_id(current_app.config["BASE_URL"]),
        event_id=event_id,
        registration_id=registration_id,
        group_id=group_id,
        pending=pending,
        extra_headers={name: header_text(value, 2000) for name, value in headers.items()}
        if headers else None,
        status=EmailStatus.QUEUED,
        next_attempt_at=utcnow(),
    )
    db.session.flush()  # what the message belongs to is written first
    insert_now(email)
    return email


def forget_messages(registration_id: int, keep: int | None = None,
                    group_id: int | None = None) -> int:
    """Delete every message to a registration, whatever its status, and the .eml file the
    file transport wrote for it (an erasure leaves the person in no sent mail); ``keep`` is
    the one that confirms the erasure. With ``group_id``, the messages to the contact of the
    person's group go too (they name every member). Returns how many went."""
    about = OutgoingEmail.registration_id == registration_id
    if group_id is not None:
        about = or_(about, OutgoingEmail.group_id == group_id)
    query = select(OutgoingEmail.id, OutgoingEmail.message_id).where(about)
    if keep is not None:
        query = query.where(OutgoingEmail.id != keep)
    rows = db.session.execute(query).all()
    folder = mail_folder(current_app)
    for _email_id, message_id in rows:
        for path in folder.glob(file_name_pattern(message_id)):
            path.unlink(missing_ok=True)
    if rows:
        db.session.execute(delete(OutgoingEmail).where(
            OutgoingEmail.id.in_([email_id for email_id, _message_id in rows])))
    return len(rows)
