"""Rules about events as a whole: what is public; creating, changing and cancelling them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from koosloome import audit
from koosloome.accounts.models import Organisation, User
from koosloome.accounts.permissions import managed_by
from koosloome.db import utcnow
from koosloome.errors import InvalidFields
from koosloome.events.models import (
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    ExtraQuestion,
    RegistrationMode,
)
from koosloome.extensions import db
from koosloome.seating.counts import seat_counts
from koosloome.seating.lifecycle import (
    lock_event,
    promote_waiting,
    seats_taken,
    tell_event_cancelled,
    tell_event_changed,
)
from koosloome.venues.models import Venue


def partners() -> list[Organisation]:
    """The partner organisations, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


#: The kinds as calendar names say them.
KIND_NAMES = {EventKind.SEMINAR: _l("inspiration seminars"),
              EventKind.WORKSHOP: _l("co-creation workshops"),
              EventKind.STUDY_TRIP: _l("study trips")}


def public_event(slug: str) -> Event | None:
    """A published or cancelled event by slug; drafts are not public."""
    query = (
        select(Event)
        .where(Event.slug == slug, Event.status != EventStatus.DRAFT)
        # Many-to-one: joined into the one query (selectin would add one query each).
        .options(joinedload(Event.organisation), joinedload(Event.co_organiser))
    )
    return db.session.scalars(query).first()


def is_application(event: Event) -> bool:
    """Registrations wait for an organiser's decision."""
    return event.registration_mode is RegistrationMode.APPLICATION


# --- Managing events --------------------------------------------------------------------------

#: Changing any of these sends an updated calendar invite to everyone confirmed.
TIME_OR_PLACE = frozenset({"starts_at", "ends_at", "venue_id"})


class InvalidEvent(InvalidFields):
    """The event's values break a rule; ``errors`` maps field names to messages."""


@dataclass(frozen=True)
class EventChange:
    """What an update did, for the organiser and the API."""

    changed: frozenset[str]
    invites_sent: int
    promoted: int

    @property
    def time_or_place_changed(self) -> bool:
        """Participants got an updated invite."""
        return bool(self.changed & TIME_OR_PLACE)


def check_event_rules(values: dict[str, Any]) -> dict[str, list[str]]:
    """Rules across fields of an event (applied to the event as it would be after a change)."""
    errors: dict[str, list[str]] = {}
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = [_("The end must be after the start")]
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = [_("Registration must close after it opens")]
    if "venue_id" in values and (values["venue_id"] is None
                                 or db.session.get(Venue, values["venue_id"]) is None):
        errors["venue_id"] = [_("Choose a venue from the list")]
    return errors


#: A URL name: lower-case letters, digits and hyphens (it goes into paths, file names,
#: calendar UIDs; a line break in one once broke the calendar feed for everyone).
SLUG = re.compile(r"[a-z0-9-]{1,120}")


def _slug_errors(slug: Any) -> dict[str, list[str]]:
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return {"slug": [_("Use 1 to 120 lower-case letters a–z, digits and hyphens")]}
    if db.session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
        return {"slug": [_("Another event has this web address already")]}
    return {}


def unique_slug(title: str) -> str:
    """A URL name from the Estonian title, made unique with -2, -3…"""
    base = slugify(title, max_length=80, word_boundary=True) or "sundmus"
    taken = set(db.session.scalars(select(Event.slug).where(Event.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _event_values(event: Event) -> dict[str, Any]:
    return {column.key: getattr(event, column.key) for column in Event.__table__.columns}


def create_event(
    values: dict[str, Any],
    user: User,
    organisation: Organisation,
    co_organiser: Organisation | None = None,
) -> Event:
    """A new event (a draft unless ``values`` says otherwise); the caller commits."""
    errors = check_event_rules(values)
    if values.get("slug") is not None:
        errors.update(_slug_errors(values["slug"]))
    if co_organiser is not None and co_organiser.id == organisation.id:
        errors.setdefault("co_organiser", []).append(
            _("The co-organiser must be the other partner")
        )
    if errors:
        raise InvalidEvent(errors)
    fields = {key: value for key, value in values.items() if value is not None}
    fields.setdefault("slug", unique_slug(values["title_et"]))
    event = Event(organisation=organisation, co_organiser=co_organiser, **fields)
    if event.status is EventStatus.PUBLISHED:
        event.published_at = utcnow()
    db.session.add(event)
    db.session.flush()
    audit.record("event.create", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, title=event.title_et)
    return event


def update_event(event: Event, values: dict[str, Any], user: User) -> EventChange:
    """Change an event. A new time or place raises the invite SEQUENCE and sends updated
    invites; more seats go to the waiting list; fewer than are taken is refused."""
    event = lock_event(event.id)
    current = _event_values(event)
    changed = {key for key, value in values.items() if current.get(key) != value}
    errors = check_event_rules({**current, **values})
    taken = seats_taken(event)
    if values.get("co_organiser_id") and values["co_organiser_id"] == event.organisation_id:
        errors.setdefault("co_organiser", []).append(
            _("The co-organiser must be the other partner")
        )
    if "capacity" in changed and values["capacity"] < taken:
        errors.setdefault("capacity", []).append(
            _("%(taken)d seats are taken already; cancel registrations first", taken=taken)
        )
    if errors:
        raise InvalidEvent(errors)
    for key in changed:
        setattr(event, key, values[key])
    invites = 0
    if changed & TIME_OR_PLACE:
        event.revision += 1
        if event.status is EventStatus.PUBLISHED:
            db.session.flush()
            invites = tell_event_changed(event)
    promoted = promote_waiting(event) if "capacity" in changed else []
    if changed:
        audit.record("event.update", user_id=user.id, object_type="event", object_id=event.id,
                     event_id=event.id, fields=sorted(changed))
    db.session.flush()
    return EventChange(frozenset(changed), invites, len(promoted))


def publish_event(event: Event, user: User) -> None:
    """Make a draft public."""
    if event.status is EventStatus.CANCELLED:
        raise InvalidEvent({"status": [_("A cancelled event cannot be published")]})
    if event.status is EventStatus.DRAFT:
        event.status = EventStatus.PUBLISHED
        event.published_at = utcnow()
        audit.record("event.publish", user_id=user.id, object_type="event",
                     object_id=event.id, event_id=event.id)
        db.session.flush()


def cancel_event(event: Event, user: User) -> int:
    """Cancel the event and send cancellations to everyone registered; returns how many."""
    event = lock_event(event.id)
    if event.status is EventStatus.CANCELLED:
        return 0
    was_public = event.status is EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.revision += 1
    db.session.flush()
    sent = tell_event_cancelled(event) if was_public else 0
    audit.record("event.cancel", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, notified=sent)
    return sent


def affected_by_time_or_place_change(event: Event) -> int:
    """How many confirmed participants an updated invite would go to (for the warning)."""
    return seat_counts([event.id])[event.id].confirmed


def would_change_time_or_place(event: Event, values: dict[str, Any]) -> bool:
    """Whether saving ``values`` moves the event in time or place (asks for confirmation)."""
    return any(key in values and getattr(event, key) != values[key] for key in TIME_OR_PLACE)


_NOT_COPIED = frozenset({
    "id", "slug", "status", "revision", "published_at", "cancelled_at", "created_at",
    "updated_at", "actual_cost", "seats_taken",
})


def duplicate_event(event: Event, user: User) -> Event:
    """A draft copy with the same texts, venue and questions, to edit before publishing."""
    values = {key: value for key, value in _event_values(event).items()
              if key not in _NOT_COPIED}
    values["title_et"] = _("%(title)s (copy)", title=event.title_et)[:200]
    copy = Event(slug=unique_slug(values["title_et"]), status=EventStatus.DRAFT, **values)
    copy.questions = [
        ExtraQuestion(**{column.key: getattr(question, column.key)
                         for column in ExtraQuestion.__table__.columns
                         if column.key not in ("id", "event_id")})
        for question in event.questions
    ]
    db.session.add(copy)
    db.session.flush()
    audit.record("event.duplicate", user_id=user.id, object_type="event", object_id=copy.id,
                 event_id=copy.id, source_event_id=event.id)
    return copy


def add_question(event: Event, values: dict[str, Any], user: User) -> ExtraQuestion:
    """Append an extra question to the registration form."""
    position = max((q.position for q in event.questions), default=-1) + 1
    question = ExtraQuestion(position=position, **values)
    event.questions.append(question)
    db.session.flush()
    audit.record("event.question.add", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, question=question.label_et)
    return question


def remove_question(event: Event, question: ExtraQuestion, user: User) -> None:
    """Remove a question and its answers."""
    event.questions.remove(question)
    db.session.flush()
    audit.record("event.question.remove", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, question=question.label_et)


def move_question(event: Event, question: ExtraQuestion, step: int) -> None:
    """Move a question up (-1) or down (+1) on the form."""
    ordered = sorted(event.questions, key=lambda q: (q.position, q.id))
    index = ordered.index(question)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()


def managed_events(user: User) -> list[Event]:
    """Events the user's partner owns or co-organises (all for admins), newest first."""
    query = select(Event).where(managed_by(user)).order_by(Event.starts_at.desc())
    return list(db.session.scalars(query))


def add_agenda_item(event: Event, values: dict[str, Any], user: User) -> AgendaItem:
    """Add an item to the programme (kept in time order)."""
    item = AgendaItem(**values)
    event.agenda.append(item)
    db.session.flush()
    audit.record("event.agenda.add", user_id=user.id, object_type="event", object_id=event.id,
                 event_id=event.id, title=item.title_et)
    return item


def remove_agenda_item(event: Event, item: AgendaItem, user: User) -> None:
    """Take an item off the programme."""
    event.agenda.remove(item)
    db.session.flush()
    audit.record("event.agenda.remove", user_id=user.id, object_type="event",
                 object_id=event.id, event_id=event.id, title=item.title_et)
