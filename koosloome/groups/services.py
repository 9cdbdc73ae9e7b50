"""Registering a group, and what its contact may do through the group link.

One transaction, one lock: the event is locked once and the members get their seats in the
order they were given, each decided as a registration of its own is. Once one member waits,
everyone after them waits too, so nobody overtakes someone listed before them (the contact
put them in that order). Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.services import normalise_email
from koosloome.db import utcnow
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.groups.links import assign_group_token
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.notify import notify_group
from koosloome.registrations import services as registrations
from koosloome.registrations.models import (
    ACTIVE_STATUSES,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from koosloome.registrations.services import RegistrationClosed, RegistrationData
from koosloome.seating.counts import RegistrationState, registration_state
from koosloome.seating.lifecycle import lock_event, status_for_new

#: The most people one group registration takes (a bus, a care home's outing).
MAX_MEMBERS = 20


class InvalidGroup(InvalidFields):
    """The group's details break a rule; ``errors`` maps form field names (``members-0-name``
    for a member's) to translated messages."""


@dataclass
class GroupData:
    """What a group's contact tells us: who they are, whom they register, what they declare."""

    contact_name: str
    contact_email: str
    contact_phone: str | None = None
    contact_organisation: str = ""
    language: str = "et"
    members: list[RegistrationData] = field(default_factory=list)
    #: The contact confirms every person agreed to be registered and to their details being
    #: shared with the organisers (required).
    consent_declared: bool = False
    #: The same for what members need (health data, GDPR art. 9): required when anyone's
    #: needs, diet or transport are given.
    health_declared: bool = False
    #: The words of the declaration as the contact read them, stored as the evidence.
    declaration: str = ""


@dataclass(frozen=True)
class MemberOutcome:
    """What became of one member: their registration, or None when their address was
    registered already (its owner was sent their own link)."""

    name: str
    registration: Registration | None


@dataclass(frozen=True)
class GroupOutcome:
    """The new group, its link's token, and each member in the order given."""

    group: RegistrationGroup
    token: str
    members: list[MemberOutcome]


def declaration_text(health: bool) -> str:
    """The declaration the contact makes, in the current language."""
    text = _("I confirm that every person I register here has agreed to be registered and "
             "to their details being given to the organisers, and that I have told them about "
             "the privacy notice.")
    if health:
        text += " " + _("They have also agreed that the organisers use what I tell about their "
                        "needs, diet and transport to arrange their participation.")
    return text


def member_key(index: int, name: str) -> str:
    """The form field name of a member's detail (``members-0-email``)."""
    return f"members-{index}-{name}"


def check_group(data: GroupData) -> dict[str, list[str]]:
    """Every rule of a group in one pass; member errors under their form field names."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.members:
        add("members", _("Add at least one person"))
    if len(data.members) > MAX_MEMBERS:
        add("members", _("At most %(num)d people in one group; register the others as another "
                         "group", num=MAX_MEMBERS))
    if not data.consent_declared:
        add("consent_declared", _("Confirm that everyone agreed to be registered"))
    if any(member.has_health_data() for member in data.members) and not data.health_declared:
        add("health_declared", _("You told us about someone's needs, diet or transport: "
                                 "confirm that they agreed, or remove it"))
    seen: dict[str, int] = {}
    for index, member in enumerate(data.members):
        for name, messages in _member_rules(member).items():
            for message in messages:
                add(member_key(index, name), message)
        address = normalise_email(member.email) if member.email else None
        if address and address == normalise_email(data.contact_email or ""):
            add(member_key(index, "email"),
                _("This is your own address: leave it empty, our messages reach you anyway"))
        elif address and address in seen:
            add(member_key(index, "email"),
                _("Person %(num)d has this e-mail address too", num=seen[address] + 1))
        elif address:
            seen[address] = index
    return errors


def _member_rules(member: RegistrationData) -> dict[str, list[str]]:
    # The declarations stand for each member's own consents, so only the rules about their
    # details apply here.
    errors = registrations.check_rules(member, in_group=True)
    errors.pop("consent_privacy", None)
    errors.pop("consent_health", None)
    return errors


def _as_member(data: GroupData, member: RegistrationData) -> RegistrationData:
    member.consent_privacy = True
    member.consent_health = data.health_declared and member.has_health_data()
    member.language = data.language
    return member


def register_group(event: Event, data: GroupData,
                   source: RegistrationSource = RegistrationSource.WEB) -> GroupOutcome:
    """Register ``data``'s members for ``event`` in one locked transaction, in the order given.

    Members with an e-mail address get their own message; the contact gets one listing
    everyone with the group link. Raises ``RegistrationClosed`` or ``InvalidGroup``.
    """
    event = lock_event(event.id)
    state = registration_state(event)
    if state is not RegistrationState.OPEN:
        raise RegistrationClosed(state)
    errors = check_group(data)
    if errors:
        raise InvalidGroup(errors)
    group, token = _new_group(event, data)
    results: list[MemberOutcome] = []
    waiting = False
    for member in data.members:
        member = _as_member(data, member)
        existing = (registrations.active_registration(event.id, member.email)
                    if member.email else None)
        if existing is not None:
            # Answered as for anyone who registers with a registered address: its owner gets
            # their link, the registration stays theirs.
            registrations.send_link_again(existing)
            results.append(MemberOutcome(member.name, None))
            continue
        status = status_for_new(event, member.seats, source)
        if waiting and status is RegistrationStatus.CONFIRMED:
            status = RegistrationStatus.WAITLISTED
        waiting = waiting or status is RegistrationStatus.WAITLISTED
        outcome = registrations.create_registration(event, member, source, status, group=group,
                                                    announce=bool(member.email))
        results.append(MemberOutcome(member.name, outcome.registration))
    db.session.flush()
    notify_group(group, MessageKind.GROUP_REGISTERED)
    audit.record("group.register", actor="group contact", object_type="group",
                 object_id=group.id, event_id=event.id, people=len(data.members))
    return GroupOutcome(group, token, results)


def _new_group(event: Event, data: GroupData) -> tuple[RegistrationGroup, str]:
    now = utcnow()
    group = RegistrationGroup(
        event=event,
        contact_name=data.contact_name.strip(),
        contact_email=normalise_email(data.contact_email) if data.contact_email else None,
        contact_phone=(data.contact_phone or "").strip() or None,
        contact_organisation=data.contact_organisation.strip(),
        language=data.language,
        declaration=data.declaration or declaration_text(data.health_declared),
        declared_at=now,
    )
    token = assign_group_token(group)
    db.session.add(group)
    db.session.flush()
    return group, token


def active_members(group: RegistrationGroup) -> list[Registration]:
    """The members whose place still holds (or waits)."""
    return [member for member in group.members if member.status in ACTIVE_STATUSES]


def cancel_group(group: RegistrationGroup) -> int:
    """Cancel every active member's place (the seats go to the waiting list); returns how
    many were cancelled."""
    members = active_members(group)
    for member in members:
        registrations.cancel(member)
    audit.record("group.cancel", actor="group contact", object_type="group",
                 object_id=group.id, event_id=group.event_id, people=len(members))
    return len(members)


def event_groups(event: Event) -> list[RegistrationGroup]:
    """The groups registered for ``event``, newest first."""
    query = (select(RegistrationGroup).where(RegistrationGroup.event_id == event.id)
             .order_by(RegistrationGroup.id.desc()))
    return list(db.session.scalars(query))
