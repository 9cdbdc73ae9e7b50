"""The calls domain code makes: ``notify`` a participant, or ``queue_templated`` a message that
belongs to no registration (a password reset, an erasure's confirmation).

Each adds a row to the caller's transaction (flush, never commit): a change that rolls back
sends nothing. The recipient, the calendar method and its SEQUENCE are decided at once; the
text and the calendar are rendered later by the worker (``content``), outside any lock.

Calendar rules (iTIP, RFC 5546): one UID per registration for ever; SEQUENCE follows the
event's revision and never goes down for that UID, so a cancellation (and any invitation after
it) outranks everything sent before. A CANCEL goes out only where an invitation did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from koosloome.extensions import db
from koosloome.groups.models import RegistrationGroup, group_of
from koosloome.messaging.calls import queue_call
from koosloome.messaging.invites import calendar_sequence, calendar_uid, holds_invite
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.models import OutgoingEmail
from koosloome.messaging.outbox import queue_email
from koosloome.messaging.sms import queue_sms
from koosloome.registrations.models import Registration


def _calendar_method(registration: Registration, action: CalendarAction) -> str | None:
    if action is CalendarAction.REQUEST:
        return "REQUEST"
    if action is CalendarAction.CANCEL and holds_invite(registration):
        # Only withdraw what is there: a waiting-list place never had an invitation.
        return "CANCEL"
    return None


def language_of(registration: Registration | RegistrationGroup) -> str:
    """The language the person (or a group's contact) chose, Estonian when it is not one we
    write in."""
    languages = tuple(current_app.config["LANGUAGES"])
    return registration.language if registration.language in languages else "et"


#: Texts a person wrote for others, by language, the first (Estonian) always there.
Versions = Mapping[str, Mapping[str, Any]]


def written_in(language: str, versions: Versions | None) -> str:
    """The language a reader of ``language`` gets a message in: theirs when the message is
    written in it, else its first version's (Estonian). The frame of the message (greeting,
    footer, call script) follows the text, so nobody gets Estonian words in an English frame."""
    if not versions or language in versions:
        return language
    return next(iter(versions))


def _in_language(language: str, versions: Versions | None,
                 context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The language to write to a reader of ``language`` in, and the context with the text of
    that language's version."""
    chosen = written_in(language, versions)
    return chosen, {**context, **(versions or {}).get(chosen, {})}


def notify(
    registration: Registration,
    kind: MessageKind,
    *,
    calendar: CalendarAction = CalendarAction.NONE,
    versions: Versions | None = None,
    first: bool = False,
    **context: Any,
) -> OutgoingEmail | None:
    """Queue a message of ``kind`` to the participant, carrying ``calendar``; flushes.

    For a registration without e-mail it returns None, and the message becomes a call task
    (``calls``) when it is worth a call and there is a phone number. ``context`` (JSON values)
    reaches the template: ``WAITLISTED`` takes ``position=``, ``ORGANISER_MESSAGE``
    ``subject=`` and ``body=``. ``versions`` (language → context) are the texts of a message
    written in several languages: each reader gets one of them (``written_in``). ``first``:
    the registration was created in this transaction, so no calendar was sent for it yet.
    """
    if registration.id is None:  # the UID and the outbox row need it: a new registration
        db.session.flush()
    if not registration.email:
        group = group_of(registration)
        if group is not None and group.contact_email:
            return _tell_the_contact(registration, group, MessageKind(kind),
                                     *_in_language(language_of(group), versions, context))
        language, context = _in_language(language_of(registration), versions, context)
        queue_call(registration, MessageKind(kind), language, context)
        queue_sms(registration, MessageKind(kind), language, context)
        return None
    language, context = _in_language(language_of(registration), versions, context)
    method = _calendar_method(registration, CalendarAction(calendar))
    return queue_email(
        kind=MessageKind(kind).value,
        to_address=registration.email,
        to_name=registration.name,
        language=language,
        calendar_method=method,
        calendar_sequence=calendar_sequence(registration, method, first=first) if method else None,
        event_id=registration.event_id,
        registration_id=registration.id,
        pending=dict(context),
    )


def _tell_the_contact(registration: Registration, group: RegistrationGroup, kind: MessageKind,
                      language: str, context: dict[str, Any]) -> OutgoingEmail:
    """A group member without e-mail is reached through the contact who registered them: the
    message goes to the contact, in the contact's language, saying whom it is about (and
    without a calendar invitation, which would land in the contact's own calendar)."""
    return queue_email(
        kind=kind.value,
        to_address=group.contact_email or "",
        to_name=group.contact_name,
        language=language,
        event_id=registration.event_id,
        registration_id=registration.id,
        pending={**context, "via_contact": True},
    )


def notify_group(group: RegistrationGroup, kind: MessageKind) -> OutgoingEmail | None:
    """Queue a message of ``kind`` to the group's contact, listing its members; flushes."""
    if not group.contact_email:
        return None
    return queue_email(
        kind=kind.value,
        to_address=group.contact_email,
        to_name=group.contact_name,
        language=language_of(group),
        event_id=group.event_id,
        group_id=group.id,
        pending={},
    )


def notify_erased(registration: Registration) -> OutgoingEmail | None:
    """Confirm an erasure to the person and withdraw their invitation; call it before the
    registration is deleted. The message keeps only what its text and calendar need (name,
    address, the invitation's UID), as it outlives the registration."""
    if not registration.email:
        return None
    method = _calendar_method(registration, CalendarAction.CANCEL)
    return queue_templated(
        MessageKind.ERASED,
        to_address=registration.email,
        to_name=registration.name,
        language=language_of(registration),
        event_id=registration.event_id,
        calendar_method=method,
        calendar_sequence=calendar_sequence(registration, method) if method else None,
        name=registration.name,
        uid=calendar_uid(registration),
    )


def queue_templated(
    kind: MessageKind,
    *,
    to_address: str,
    to_name: str,
    language: str,
    event_id: int | None = None,
    calendar_method: str | None = None,
    calendar_sequence: int | None = None,
    **context: Any,
) -> OutgoingEmail:
    """Queue ``email/<kind>`` rendered from ``context`` alone (JSON values); flushes."""
    return queue_email(
        kind=MessageKind(kind).value,
        to_address=to_address,
        to_name=to_name,
        language=language,
        calendar_method=calendar_method,
        calendar_sequence=calendar_sequence,
        event_id=event_id,
        pending=dict(context),
    )
