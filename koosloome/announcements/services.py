"""Announcements: who hears about future events, subscribing (double opt-in), unsubscribing
at once, and writing, previewing and sending an announcement. Functions flush, never commit.

Who is in the audience, and why:

* a person whose registration has "tell me about future events" ticked (the consent is on the
  registration; the address is used as long as the registration keeps it);
* a person who subscribed on the public site *and* clicked the confirmation link (double
  opt-in: an address someone else typed never gets announcements).

Unsubscribing (the link in every announcement, or the mail program's one-click button) stops
everything to that address at once: the subscriber row records when, the consent is withdrawn
on every registration with that address (so an old registration does not bring the address
back), and announcements still waiting in the outbox for it are dropped. Only a fresh "yes"
brings it back: ticking the box on a registration again, or subscribing and confirming again.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from koosloome import audit
from koosloome.accounts.models import Organisation, Role, User
from koosloome.announcements.models import (
    Announcement,
    AnnouncementStatus,
    Subscriber,
    SubscriberSource,
)
from koosloome.db import utcnow
from koosloome.errors import DomainError, InvalidFields, NotAllowed
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging.content import RenderedEmail, render_email
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.messaging.notify import queue_templated
from koosloome.messaging.outbox import queue_email
from koosloome.registrations.choices import COUNTIES
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.tokens import hash_token

NONCE_BYTES = 16
#: How long a confirmation link works.
CONFIRM_DAYS = 7
#: The fields of an announcement a form or the API sets.
ANNOUNCEMENT_TEXTS = {"subject_et": 300, "body_et": 10_000, "subject_en": 300,
                      "body_en": 10_000}
COUNTY_CODES = frozenset(code for code, _label in COUNTIES)
#: Messages of these states have not left yet: an unsubscribe still stops them.
NOT_YET_SENT = (EmailStatus.QUEUED, EmailStatus.RETRY)


class LinkNotValid(DomainError):
    """A confirmation or unsubscribe link that opens nothing (never was, used, or erased)."""

    status = 404
    code = "not_found"
    message = _l("This link does not work: it has been used already, or the address it was "
                 "for is no longer on our list.")


class LinkExpired(DomainError):
    """A confirmation link older than ``CONFIRM_DAYS``: subscribe again for a fresh one."""

    status = 410
    code = "expired"
    message = _l("This confirmation link is more than a week old. Sign up again to get a new "
                 "one.")


class AlreadySent(DomainError):
    """An announcement goes out once: it was sent already."""

    status = 409
    code = "already_sent"
    message = _l("This announcement has already been sent.")


def email_key(address: str) -> str:
    """The form an address is compared in: trimmed, lower-case (``Mari@X.ee`` is
    ``mari@x.ee``)."""
    return address.strip().lower()


def _language(code: str | None) -> str:
    languages = tuple(current_app.config["LANGUAGES"])
    return code if code in languages else "et"


# --- Links --------------------------------------------------------------------------------------


def _new_links(subscriber: Subscriber) -> None:
    """A fresh nonce: new unsubscribe and confirmation links (the old ones stop working)."""
    subscriber.token_nonce = secrets.token_hex(NONCE_BYTES)
    subscriber.token_hash = hash_token(subscriber.unsubscribe_token)


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The link in every announcement: a page with a button, or a one-click POST."""
    return f"{current_app.config['BASE_URL']}/u/{subscriber.unsubscribe_token}"


def confirm_url(subscriber: Subscriber) -> str:
    """The double opt-in link of the confirmation e-mail."""
    return f"{current_app.config['BASE_URL']}/subscribe/confirm/{subscriber.confirm_token}"


def _by_hash(column: Any, token: str) -> Subscriber | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalars(select(Subscriber).where(column == hash_token(token))).first()


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    """The subscriber whose unsubscribe link carries ``token``; ``LinkNotValid`` otherwise."""
    subscriber = _by_hash(Subscriber.token_hash, token)
    if subscriber is None:
        raise LinkNotValid()
    return subscriber


def subscriber_for_confirmation(token: str, now: datetime) -> Subscriber:
    """The subscriber whose (unused, unexpired) confirmation link carries ``token``."""
    subscriber = _by_hash(Subscriber.confirm_token_hash, token)
    if subscriber is None:
        raise LinkNotValid()
    sent = subscriber.confirm_sent_at
    if sent is None or now - sent > timedelta(days=CONFIRM_DAYS):
        raise LinkExpired()
    return subscriber


# --- Subscribing, confirming, unsubscribing -------------------------------------------------


def subscriber_by_email(address: str) -> Subscriber | None:
    """The subscriber row of an address, however it was typed."""
    return db.session.scalars(
        select(Subscriber).where(Subscriber.email_key == email_key(address))).first()


def _new_subscriber(address: str, source: SubscriberSource) -> Subscriber:
    subscriber = Subscriber(email=address.strip(), email_key=email_key(address), source=source)
    _new_links(subscriber)
    db.session.add(subscriber)
    return subscriber


def is_receiving(subscriber: Subscriber) -> bool:
    """A confirmed site subscriber who has not unsubscribed."""
    return subscriber.confirmed_at is not None and subscriber.unsubscribed_at is None


def subscribe(address: str, name: str, language: str, county: str | None,
              now: datetime) -> None:
    """Someone asked for announcements on the public site: send the confirmation link (double
    opt-in). An address already receiving them gets nothing (and the page says the same as
    for a new one); one waiting for confirmation, or one that unsubscribed, gets a fresh link,
    and what was typed is used once it is confirmed."""
    subscriber = subscriber_by_email(address)
    if subscriber is not None and is_receiving(subscriber):
        return
    if subscriber is None:
        subscriber = _new_subscriber(address, SubscriberSource.SITE)
    subscriber.name = name.strip()[:200]
    subscriber.language = _language(language)
    subscriber.county = county if county in COUNTY_CODES else None
    subscriber.confirm_token_hash = hash_token(subscriber.confirm_token)
    subscriber.confirm_sent_at = now
    db.session.flush()
    queue_templated(MessageKind.SUBSCRIPTION_CONFIRM, to_address=subscriber.email,
                    to_name=subscriber.name, language=subscriber.language,
                    name=subscriber.name, url=confirm_url(subscriber), days=CONFIRM_DAYS)


def confirm(subscriber: Subscriber, now: datetime) -> None:
    """The confirmation link was used: the address is in the audience from now on (the link
    works once)."""
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.source = SubscriberSource.SITE
    subscriber.confirm_token_hash = None
    db.session.flush()


def _withdraw_everywhere(key: str) -> None:
    """No registration's consent and no queued announcement for the address any more."""
    db.session.execute(
        update(Registration).where(func.lower(Registration.email) == key,
                                   Registration.consent_future_events.is_(True))
        .values(consent_future_events=False).execution_options(synchronize_session=False))
    db.session.execute(
        delete(OutgoingEmail).where(
            OutgoingEmail.kind == MessageKind.ANNOUNCEMENT.value,
            func.lower(OutgoingEmail.to_address) == key,
            OutgoingEmail.status.in_(NOT_YET_SENT))
        .execution_options(synchronize_session=False))


def unsubscribe(subscriber: Subscriber, now: datetime) -> None:
    """Stop every announcement to the address, at once (see the module's docstring)."""
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now
    subscriber.confirm_token_hash = None
    _withdraw_everywhere(subscriber.email_key)
    db.session.flush()


def erase_subscriber(subscriber: Subscriber) -> None:
    """Forget the address altogether (GDPR art. 17): unsubscribed as above, then the row goes.
    The registrations stay (each has its own erasure), without their consent to news."""
    _withdraw_everywhere(subscriber.email_key)
    db.session.delete(subscriber)
    db.session.flush()


def forget_unconfirmed(now: datetime) -> int:
    """Delete site sign-ups never confirmed within ``CONFIRM_DAYS`` (no consent, so nothing to
    keep); returns how many went."""
    result = db.session.execute(delete(Subscriber).where(
        Subscriber.source == SubscriberSource.SITE, Subscriber.confirmed_at.is_(None),
        Subscriber.unsubscribed_at.is_(None),
        Subscriber.confirm_sent_at < now - timedelta(days=CONFIRM_DAYS)))
    return result.rowcount or 0


# --- The audience -----------------------------------------------------------------------------


@dataclass
class Recipient:
    """One address of the audience, with what its message needs."""

    email: str
    name: str
    language: str
    counties: set[str] = field(default_factory=set)
    #: From a confirmed site sign-up (its name and language win over a registration's).
    subscribed: bool = False


def _consenting_registrations() -> Iterable[Registration]:
    return db.session.scalars(
        select(Registration).where(Registration.consent_future_events.is_(True),
                                   Registration.email.is_not(None),
                                   Registration.anonymised_at.is_(None))
        .order_by(Registration.created_at, Registration.id))


def _candidates() -> dict[str, Recipient]:
    """Everyone who said yes, one entry per address."""
    people: dict[str, Recipient] = {}
    for registration in _consenting_registrations():  # oldest first: the newest wins
        key = email_key(registration.email or "")
        person = people.setdefault(key, Recipient(registration.email or "", "", "et"))
        person.email, person.name = registration.email or "", registration.name
        person.language = _language(registration.language)
        if registration.county:
            person.counties.add(registration.county)
    for subscriber in db.session.scalars(select(Subscriber).where(
            Subscriber.confirmed_at.is_not(None), Subscriber.unsubscribed_at.is_(None))):
        person = people.setdefault(subscriber.email_key, Recipient(subscriber.email, "", "et"))
        person.email, person.subscribed = subscriber.email, True
        person.name = subscriber.name or person.name
        person.language = _language(subscriber.language)
        if subscriber.county:
            person.counties.add(subscriber.county)
    return people


def took_part(event_ids: Collection[int]) -> set[str]:
    """The addresses with a confirmed registration of one of the events."""
    if not event_ids:
        return set()
    emails = db.session.scalars(select(Registration.email).where(
        Registration.event_id.in_(list(event_ids)),
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.email.is_not(None)))
    return {email_key(address) for address in emails if address}


def audience(counties: Collection[str] = (), event_ids: Collection[int] = ()) -> list[Recipient]:
    """The consented people, one per address, in any of ``counties`` (all when empty) and, when
    ``event_ids`` are given, who took part in one of those events."""
    people = _candidates()
    wanted = set(counties)
    if wanted:
        people = {key: p for key, p in people.items() if p.counties & wanted}
    if event_ids:
        present = took_part(event_ids)
        people = {key: p for key, p in people.items() if key in present}
    return [people[key] for key in sorted(people)]


def audience_of(announcement: Announcement) -> list[Recipient]:
    """The announcement's recipients as its filters stand now."""
    return audience(announcement.counties or [], [e.id for e in announcement.past_events])


def counts_by_language(recipients: Iterable[Recipient]) -> dict[str, int]:
    """How many recipients read each language (every language present, zero or not)."""
    counts = dict.fromkeys(current_app.config["LANGUAGES"], 0)
    for person in recipients:
        counts[person.language] = counts.get(person.language, 0) + 1
    return counts


# --- Writing ----------------------------------------------------------------------------------


def past_event_choices() -> list[Event]:
    """The events an announcement may pick as "took part in": those that have ended, newest
    first."""
    return list(db.session.scalars(select(Event).where(Event.ends_at < utcnow())
                                   .order_by(Event.starts_at.desc(), Event.id.desc())))


def can_change(user: User, announcement: Announcement) -> bool:
    """Admins, and the organisers of the partner it belongs to."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.ORGANISER and user.organisation_id == announcement.organisation_id


def announcement_rules(values: dict[str, Any], event_ids: list[int] | None) -> dict[str, list[str]]:
    """What is wrong with an announcement's values: no Estonian text, half an English one,
    an unknown county or event."""
    errors: dict[str, list[str]] = {}
    for name in ("subject_et", "body_et"):
        if not (values.get(name) or "").strip():
            errors[name] = [_("This field is required")]
    subject_en = (values.get("subject_en") or "").strip()
    body_en = (values.get("body_en") or "").strip()
    if bool(subject_en) != bool(body_en):
        errors["subject_en" if not subject_en else "body_en"] = [
            _("Write both the English subject and the English text, or neither")]
    if set(values.get("counties") or []) - COUNTY_CODES:
        errors["counties"] = [_("Not one of the choices")]
    if event_ids:
        allowed = {event.id for event in past_event_choices()}
        if set(event_ids) - allowed:
            errors["past_events"] = [_("Choose events that have ended")]
    return errors


def save_announcement(values: dict[str, Any], event_ids: list[int] | None, by: User,
                      announcement: Announcement | None = None) -> Announcement:
    """Create (or change) a draft announcement of ``by``'s partner; ``InvalidFields`` when a
    rule fails, ``NotAllowed`` for the other partner's one, ``AlreadySent`` once it is sent.
    ``event_ids`` None keeps the chosen events as they are."""
    if announcement is not None:
        if not can_change(by, announcement):
            raise NotAllowed()
        if announcement.status is AnnouncementStatus.SENT:
            raise AlreadySent()
    merged = {name: getattr(announcement, name) for name in (*ANNOUNCEMENT_TEXTS, "counties")} \
        if announcement is not None else {}
    merged.update(values)
    errors = announcement_rules(merged, event_ids)
    if errors:
        raise InvalidFields(errors)
    created = announcement is None
    if announcement is None:
        announcement = Announcement(organisation_id=by.organisation_id, created_by_id=by.id,
                                    status=AnnouncementStatus.DRAFT)
    for name in ANNOUNCEMENT_TEXTS:
        if name in values:
            setattr(announcement, name, (values[name] or "").strip())
    if "counties" in values:
        announcement.counties = sorted(set(values["counties"] or []))
    if event_ids is not None:
        announcement.past_events = list(db.session.scalars(
            select(Event).where(Event.id.in_(event_ids)))) if event_ids else []
    db.session.add(announcement)
    db.session.flush()
    audit.record("announcement.create" if created else "announcement.update", user_id=by.id,
                 object_type="announcement", object_id=announcement.id)
    return announcement


def announcements_for(user: User) -> list[Announcement]:
    """Every partner's announcements, newest first: both partners write to the same people,
    so each sees what the other sent (only its own can be changed or sent)."""
    del user  # the same list for every organiser; kept for a scoped list later
    return list(db.session.scalars(select(Announcement).order_by(Announcement.id.desc())))


def partner_names() -> dict[int, str]:
    """Organisation id → name, for lists that say whose an announcement is."""
    rows = db.session.execute(select(Organisation.id, Organisation.name))
    return {row.id: row.name for row in rows}


def texts_for(announcement: Announcement, language: str) -> tuple[str, str]:
    """Subject and text in ``language``: English when written, else Estonian."""
    if language == "en" and announcement.subject_en.strip() and announcement.body_en.strip():
        return announcement.subject_en, announcement.body_en
    return announcement.subject_et, announcement.body_et


# --- Preview and sending ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementPreview:
    """The message in each language as a recipient will see it, and how many get which."""

    messages: dict[str, RenderedEmail]
    counts: dict[str, int]
    #: Languages with no text of their own (their readers get the Estonian one).
    fallbacks: list[str]

    @property
    def total(self) -> int:
        """Everyone who gets it."""
        return sum(self.counts.values())


def _organiser_name(announcement: Announcement) -> str:
    organisation = db.session.get(Organisation, announcement.organisation_id)
    return organisation.name if organisation is not None else "Koosloome"


def preview(announcement: Announcement) -> AnnouncementPreview:
    """Render the announcement in every language for a sample reader, and count the
    recipients per language. Nothing is queued."""
    placeholder = f"{current_app.config['BASE_URL']}/u/…"
    messages, fallbacks = {}, []
    for language in current_app.config["LANGUAGES"]:
        subject, body = texts_for(announcement, language)
        if language != "et" and subject == announcement.subject_et:
            fallbacks.append(language)
        with force_locale(language):
            sample = _("Participant's name")
        messages[language] = render_email(
            MessageKind.ANNOUNCEMENT.value, language, subject,
            {"subject": subject, "body": body, "name": sample, "unsubscribe_url": placeholder,
             "organiser": _organiser_name(announcement)})
    return AnnouncementPreview(messages, counts_by_language(audience_of(announcement)),
                               fallbacks)


def _subscriber_for(person: Recipient) -> Subscriber:
    """The address's subscriber row (made for a registration's consent the first time), which
    holds its unsubscribe link. A fresh consent after an unsubscribe reopens it."""
    subscriber = subscriber_by_email(person.email)
    if subscriber is None:
        subscriber = _new_subscriber(person.email, SubscriberSource.REGISTRATION)
        subscriber.name, subscriber.language = person.name, person.language
        db.session.flush()
    elif subscriber.source is SubscriberSource.SITE and subscriber.confirmed_at is None:
        # An unconfirmed sign-up is purged after some days, but this row's link is about to
        # go out in the mail: the registration's consent keeps it from now on.
        subscriber.source = SubscriberSource.REGISTRATION
    subscriber.unsubscribed_at = None  # consented again since (it is in the audience)
    return subscriber


def forget_registrations_address(registration: Registration) -> None:
    """At a registration's erasure: the address row its consent made goes too, unless the
    address still has another registration (its own consent) or confirmed on the site."""
    if not registration.email:
        return
    key = email_key(registration.email)
    others = db.session.scalar(select(func.count(Registration.id)).where(
        func.lower(Registration.email) == key, Registration.id != registration.id))
    if others:
        return
    db.session.execute(delete(Subscriber).where(
        Subscriber.email_key == key, Subscriber.source == SubscriberSource.REGISTRATION))


def _mark_sent(announcement: Announcement, by: User, now: datetime) -> None:
    """draft → sent, as one conditional UPDATE: of two sends at once, one changes the row and
    the other (waiting for its lock on PostgreSQL, or for the write lock on SQLite) finds it
    sent and stops."""
    result = db.session.execute(
        update(Announcement).where(Announcement.id == announcement.id,
                                   Announcement.status == AnnouncementStatus.DRAFT)
        .values(status=AnnouncementStatus.SENT, sent_at=now, sent_by_id=by.id)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise AlreadySent()
    db.session.refresh(announcement)


def send_announcement(announcement: Announcement, by: User, now: datetime) -> int:
    """Queue one message per recipient, in their language, each with its own one-click
    unsubscribe; the announcement becomes sent (once: ``AlreadySent`` after). Returns how many
    were queued."""
    if not can_change(by, announcement):
        raise NotAllowed()
    errors = announcement_rules({name: getattr(announcement, name)
                                 for name in (*ANNOUNCEMENT_TEXTS, "counties")}, None)
    if errors:
        raise InvalidFields(errors)
    _mark_sent(announcement, by, now)
    organiser = _organiser_name(announcement)
    recipients = audience_of(announcement)
    for person in recipients:
        subscriber = _subscriber_for(person)
        subject, body = texts_for(announcement, person.language)
        url = unsubscribe_url(subscriber)
        queue_email(kind=MessageKind.ANNOUNCEMENT.value, to_address=person.email,
                    to_name=person.name, language=person.language,
                    pending={"subject": subject, "body": body, "name": person.name,
                             "unsubscribe_url": url, "organiser": organiser},
                    headers={"List-Unsubscribe": f"<{url}>",
                             "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    announcement.recipients = len(recipients)
    db.session.flush()
    audit.record("announcement.send", user_id=by.id, object_type="announcement",
                 object_id=announcement.id, recipients=len(recipients),
                 counties=announcement.counties,
                 event_ids=[event.id for event in announcement.past_events])
    return len(recipients)


# --- What is held -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriberCounts:
    """The addresses held for announcements, for the "personal data held" overview."""

    #: Confirmed site sign-ups
    receiving: int
    awaiting_confirmation: int
    unsubscribed: int
    registration_consents: int


def subscriber_counts() -> SubscriberCounts:
    """How many addresses are held, and why."""
    def count(*conditions: Any) -> int:
        return db.session.scalar(select(func.count(Subscriber.id)).where(*conditions)) or 0

    consents = db.session.scalar(select(func.count(func.distinct(func.lower(
        Registration.email)))).where(Registration.consent_future_events.is_(True),
                                     Registration.email.is_not(None))) or 0
    return SubscriberCounts(
        receiving=count(Subscriber.confirmed_at.is_not(None),
                        Subscriber.unsubscribed_at.is_(None)),
        awaiting_confirmation=count(Subscriber.source == SubscriberSource.SITE,
                                    Subscriber.confirmed_at.is_(None),
                                    Subscriber.unsubscribed_at.is_(None)),
        unsubscribed=count(Subscriber.unsubscribed_at.is_not(None)),
        registration_consents=consents)
