"""Retention of personal data (GDPR art. 5(1)(e)) as services: purge, anonymise, overview.

Two deadlines count from the end of each event:

* ``HEALTH_DATA_RETENTION_DAYS`` (default 30) after it, the health data goes: access needs,
  diets and allergies, transport details, the companion's name, "please phone me", the
  self-declared disability, the health consent, answers to questions marked ``sensitive``,
  and the sent e-mails (which may repeat those needs). The LEADER report's counts of them
  are kept first, with no link to a person (``privacy.tally``).
* ``PERSONAL_DATA_RETENTION_MONTHS`` (default 84) after it, the registration is anonymised.
  What the LEADER funder needs survives: status, seats, county, municipality, sector, the
  self-declared gender and age band (reported only in aggregate), and the
  check-in time, so counts and attendance stay provable. The event's photos and scans of
  signed attendance sheets, which show and name people, are deleted then too (materials
  stay).

Both are idempotent (they only touch rows not yet done) and flush without committing.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, or_, select, update
from sqlalchemy.orm import selectinload

from koosloome import audit
from koosloome.announcements.services import forget_unconfirmed
from koosloome.events.models import Event, ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.files.models import EventFileKind
from koosloome.files.services import remove_event_files
from koosloome.groups.links import assign_group_token
from koosloome.groups.models import RegistrationGroup
from koosloome.messaging.models import EmailStatus, OutgoingEmail, OutgoingSms, SmsStatus
from koosloome.privacy.tally import add_to_tally
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Answer, Registration, RegistrationNeed
from koosloome.registrations.personal_data import clear_health_data
from koosloome.selection.models import ApplicationReview
from koosloome.settings import ConfigError
from koosloome.trips.models import TravelDetails

ANONYMISED_NAME = "anonymised"
#: An event's files that show or name people: deleted with the registrations' identities.
PERSONAL_FILE_KINDS = (EventFileKind.PHOTO, EventFileKind.ATTENDANCE_SCAN)
#: Answers of these kinds may hold anything a person typed; choices and yes/no are kept as
#: aggregate-friendly data after anonymisation.
FREE_TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.DATE)
#: Delivered or abandoned e-mails; queued ones are left for the sender.
FINISHED_EMAIL = (EmailStatus.SENT, EmailStatus.FAILED)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long data is kept after an event ends."""

    health_days: int
    personal_months: int
    #: Travel details (document, date of birth, emergency contact) after a trip.
    travel_days: int = 14

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetentionPolicy:
        """Read ``HEALTH_DATA_RETENTION_DAYS`` and ``PERSONAL_DATA_RETENTION_MONTHS``."""
        policy = cls(
            health_days=int(config["HEALTH_DATA_RETENTION_DAYS"]),
            personal_months=int(config["PERSONAL_DATA_RETENTION_MONTHS"]),
            travel_days=int(config.get("TRAVEL_DETAILS_RETENTION_DAYS", 14)),
        )
        if min(policy.health_days, policy.personal_months, policy.travel_days) < 0:
            raise ConfigError("retention periods cannot be negative")
        return policy

    def health_purge_on(self, ends_at: datetime) -> datetime:
        """When the health data of an event that ends at ``ends_at`` is deleted."""
        return ends_at + timedelta(days=self.health_days)

    def anonymise_on(self, ends_at: datetime) -> datetime:
        """When the registrations of an event that ends at ``ends_at`` are anonymised."""
        return add_months(ends_at, self.personal_months)


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months (31 January + 1 month = 28/29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def subtract_months(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months."""
    return add_months(moment, -months)


@dataclass
class PurgeResult:
    """What one purge run did, per event and in total."""

    #: event id → registrations (or e-mails) handled in this run
    health_purged: Counter[int] = field(default_factory=Counter)
    emails_deleted: Counter[int] = field(default_factory=Counter)
    anonymised: Counter[int] = field(default_factory=Counter)
    travel_deleted: Counter[int] = field(default_factory=Counter)
    #: photos and signed attendance sheets (they show and name people)
    files_deleted: Counter[int] = field(default_factory=Counter)

    @property
    def travel_deleted_total(self) -> int:
        """Travellers whose travel details were deleted in this run."""
        return sum(self.travel_deleted.values())

    @property
    def health_purged_total(self) -> int:
        """Registrations whose health data was deleted in this run."""
        return sum(self.health_purged.values())

    @property
    def anonymised_total(self) -> int:
        """Registrations anonymised in this run."""
        return sum(self.anonymised.values())

    @property
    def emails_deleted_total(self) -> int:
        """Sent or failed e-mails deleted in this run."""
        return sum(self.emails_deleted.values())


def _drop_answers(registration: Registration, question_ids: set[int]) -> None:
    registration.answers[:] = [
        answer for answer in registration.answers if answer.question_id not in question_ids
    ]


def _clear_personal_data(
    registration: Registration, free_text_ids: set[int], now: datetime
) -> None:
    registration.name = ANONYMISED_NAME
    registration.email = None
    registration.phone = None
    registration.organisation_name = ""
    registration.internal_note = ""
    _drop_answers(registration, free_text_ids)
    # The manage link must stop opening the (now anonymous) registration.
    assign_manage_token(registration)
    registration.anonymised_at = now


def _registrations(condition) -> list[Registration]:
    query = (
        select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(condition)
        .options(selectinload(Registration.needs),
                 selectinload(Registration.answers).joinedload(Answer.question))
        .order_by(Registration.event_id, Registration.id)
    )
    return list(db.session.scalars(query))


def _question_ids(event_ids: set[int], condition) -> set[int]:
    if not event_ids:
        return set()
    query = select(ExtraQuestion.id).where(ExtraQuestion.event_id.in_(event_ids), condition)
    return set(db.session.scalars(query))


def purge_health_data(now: datetime, policy: RetentionPolicy, result: PurgeResult) -> None:
    """Delete the health data of events that ended ``policy.health_days`` or more ago."""
    cutoff = now - timedelta(days=policy.health_days)
    due = _registrations(and_(Event.ends_at <= cutoff, Registration.health_purged_at.is_(None)))
    add_to_tally(due)  # the report's counts, before the answers go
    for registration in due:
        clear_health_data(registration, now)
        result.health_purged[registration.event_id] += 1
    ended = select(Event.id).where(Event.ends_at <= cutoff)
    # SMS hold a phone number and the event's words: gone with the health data, once done.
    db.session.execute(delete(OutgoingSms).where(
        OutgoingSms.event_id.in_(ended),
        OutgoingSms.status.in_((SmsStatus.SENT, SmsStatus.FAILED))))
    finished_emails = select(OutgoingEmail.event_id, func.count()).where(
        OutgoingEmail.event_id.in_(ended), OutgoingEmail.status.in_(FINISHED_EMAIL)
    ).group_by(OutgoingEmail.event_id)
    for event_id, count in db.session.execute(finished_emails):
        result.emails_deleted[event_id] = count
    if result.emails_deleted:
        db.session.execute(
            delete(OutgoingEmail).where(
                OutgoingEmail.event_id.in_(list(result.emails_deleted)),
                OutgoingEmail.status.in_(FINISHED_EMAIL),
            ).execution_options(synchronize_session=False)
        )


def anonymise_registrations(now: datetime, policy: RetentionPolicy, result: PurgeResult) -> None:
    """Anonymise the registrations of events that ended ``policy.personal_months`` or more ago."""
    cutoff = subtract_months(now, policy.personal_months)
    due = _registrations(and_(Event.ends_at <= cutoff, Registration.anonymised_at.is_(None)))
    event_ids = {r.event_id for r in due}
    free_text = _question_ids(event_ids, ExtraQuestion.kind.in_(FREE_TEXT_KINDS))
    add_to_tally(r for r in due if r.health_purged_at is None)
    for registration in due:
        if registration.health_purged_at is None:  # a retention shorter for health than this
            clear_health_data(registration, now)
            result.health_purged[registration.event_id] += 1
        _clear_personal_data(registration, free_text, now)
        result.anonymised[registration.event_id] += 1
    # The organisers' notes on applications say who someone is; the scores alone do not.
    if due:
        db.session.execute(update(ApplicationReview).where(
            ApplicationReview.registration_id.in_([r.id for r in due])).values(note=""))
    _anonymise_groups(cutoff, now)


def _anonymise_groups(cutoff: datetime, now: datetime) -> None:
    """The contacts of the groups of those events go with their members' details."""
    ended = select(Event.id).where(Event.ends_at <= cutoff)
    groups = db.session.scalars(select(RegistrationGroup).where(
        RegistrationGroup.event_id.in_(ended), RegistrationGroup.anonymised_at.is_(None)))
    for group in groups:
        group.contact_name = ANONYMISED_NAME
        group.contact_email = group.contact_phone = None
        group.contact_organisation = ""
        assign_group_token(group)  # the group link stops opening it
        group.anonymised_at = now


def purge_travel_details(now: datetime, days: int) -> Counter[int]:
    """Delete the travel details of trips that ended ``days`` or more ago; per event, how
    many went."""
    ended = select(Event.id).where(Event.ends_at <= now - timedelta(days=days))
    counts: Counter[int] = Counter(dict(db.session.execute(
        select(TravelDetails.event_id, func.count()).where(TravelDetails.event_id.in_(ended))
        .group_by(TravelDetails.event_id)).all()))
    if counts:
        db.session.execute(delete(TravelDetails).where(TravelDetails.event_id.in_(list(counts)))
                           .execution_options(synchronize_session=False))
    return counts


def purge(now: datetime, policy: RetentionPolicy, actor: str = "cli") -> PurgeResult:
    """Run both retention steps and write one audit entry per event touched, plus a summary."""
    result = PurgeResult()
    purge_health_data(now, policy, result)
    result.travel_deleted.update(purge_travel_details(now, policy.travel_days))
    anonymise_registrations(now, policy, result)
    # Photos and signed sheets show and name the people: kept as evidence as long as the
    # registrations are, gone when those are anonymised. Materials name nobody and stay.
    result.files_deleted.update(remove_event_files(
        subtract_months(now, policy.personal_months), PERSONAL_FILE_KINDS))
    unconfirmed = forget_unconfirmed(now)
    db.session.flush()
    touched = (set(result.health_purged) | set(result.emails_deleted) | set(result.anonymised)
               | set(result.travel_deleted) | set(result.files_deleted))
    for event_id in sorted(touched):
        audit.record(
            "privacy_purge",
            actor=actor,
            object_type="event",
            object_id=event_id,
            event_id=event_id,
            health_purged=result.health_purged[event_id],
            emails_deleted=result.emails_deleted[event_id],
            anonymised=result.anonymised[event_id],
            travel_deleted=result.travel_deleted[event_id],
            files_deleted=result.files_deleted[event_id],
        )
    audit.record(
        "privacy_purge_run",
        actor=actor,
        health_purged=result.health_purged_total,
        emails_deleted=result.emails_deleted_total,
        anonymised=result.anonymised_total,
        travel_deleted=result.travel_deleted_total,
        files_deleted=sum(result.files_deleted.values()),
        unconfirmed_signups_deleted=unconfirmed,
        events=len(touched),
        health_days=policy.health_days,
        personal_months=policy.personal_months,
    )
    db.session.flush()
    return result


# --- What is still held: the admin overview -------------------------------------------------

#: A registration still holds health data when any of these is set (and it was not purged).
HOLDS_HEALTH_DATA = or_(
    exists().where(RegistrationNeed.registration_id == Registration.id),
    Registration.needs_note != "",
    Registration.allergies != "",
    Registration.transport_needed.is_(True),
    Registration.transport_pickup != "",
    Registration.transport_wheelchair.is_(True),
    Registration.companion_name != "",
    Registration.companion_needs != "",
    Registration.phone_me.is_(True),
    Registration.has_disability.is_not(None),
    Registration.consent_health_at.is_not(None),
    exists().where(
        Answer.registration_id == Registration.id,
        Answer.question_id == ExtraQuestion.id,
        ExtraQuestion.sensitive.is_(True),
    ),
)


@dataclass(frozen=True)
class RetentionRow:
    """One event in the retention overview."""

    event_id: int
    slug: str
    title_et: str
    title_en: str
    ends_at: datetime
    registrations: int
    with_health_data: int
    with_personal_data: int
    health_purge_on: datetime
    anonymise_on: datetime
    #: A deadline has passed and data is still held: the purge has not run since.
    overdue: bool


def retention_overview(now: datetime, policy: RetentionPolicy) -> list[RetentionRow]:
    """Per event with registrations: what personal data is still held and when it goes."""
    health = and_(Registration.health_purged_at.is_(None), HOLDS_HEALTH_DATA)
    query = (
        select(
            Event.id,
            Event.slug,
            Event.title_et,
            Event.title_en,
            Event.ends_at,
            func.count(Registration.id),
            func.coalesce(func.sum(case((health, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((Registration.anonymised_at.is_(None), 1), else_=0)), 0
            ),
        )
        .join(Registration, Registration.event_id == Event.id)
        .group_by(Event.id, Event.slug, Event.title_et, Event.title_en, Event.ends_at)
        .order_by(Event.ends_at, Event.id)
    )
    rows = []
    for event_id, slug, title_et, title_en, ends_at, total, health_count, personal in (
        db.session.execute(query)
    ):
        health_on = policy.health_purge_on(ends_at)
        anonymise_on = policy.anonymise_on(ends_at)
        overdue = (health_count > 0 and health_on <= now) or (personal > 0 and anonymise_on <= now)
        rows.append(
            RetentionRow(
                event_id=event_id,
                slug=slug,
                title_et=title_et,
                title_en=title_en,
                ends_at=ends_at,
                registrations=int(total),
                with_health_data=int(health_count),
                with_personal_data=int(personal),
                health_purge_on=health_on,
                anonymise_on=anonymise_on,
                overdue=overdue,
            )
        )
    return rows
