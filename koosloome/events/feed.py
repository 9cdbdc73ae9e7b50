"""The public calendar feed (``/calendar.ics``): built once per change, then served from memory.

Calendar apps fetch the feed again and again, and building it is costly (the iCalendar text
of every upcoming event: about a second for 1 000 events). So a request first reads, in one
small query, what the content depends on: the calendar's revision (raised by the database
with every change to what the feed shows, ``events.calendar_revision``) and the end of the
first event still in the feed (when it has ended, it drops out). With the language and the
filters that is the feed's ``FeedVersion``, and its ETag: a client that holds it gets 304.
Otherwise the body comes from a small cache in the process, kept for exactly that version,
or is built now and kept there.

The cache needs no coordination between processes or instances: a version names one
content, whichever process builds it, and each process builds it once. It keeps the last
body of at most ``CACHE_ENTRIES`` feeds (language × partner × kind, ~0.7 MB each for 1 000
events). The ETag is weak: two processes' bodies of one version differ in their DTSTAMP.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy.orm import selectinload

from koosloome.accounts.models import Organisation
from koosloome.db import utcnow
from koosloome.events.calendar_revision import calendar_revision_query
from koosloome.events.models import Event, EventKind, EventStatus, TripDay
from koosloome.events.services import KIND_NAMES
from koosloome.extensions import db
from koosloome.messaging.calendars import public_calendar

#: How many feeds a process keeps built (each language, partner and kind is one).
CACHE_ENTRIES = 8
#: Settings the feed's text shows (links, time zone, the organisers' addresses).
SHOWN_SETTINGS = ("BASE_URL", "TIMEZONE", "CONTACT_EMAIL", "PARTNER_EMAILS")
_CACHE = "koosloome.calendar_feed"
#: The koosloome package (its code and compiled translations make a release).
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class FeedVersion:
    """Everything one feed's content depends on, read in one query."""

    language: str
    partner_id: int | None
    kind: EventKind | None
    #: The calendar's revision (``content_revision``): moves with every change shown.
    revision: int
    #: When the first event in the feed ends: until then the same events are in it.
    first_end: datetime | None
    #: The moment the events were chosen for (the body is built for the same one).
    now: datetime

    @property
    def slot(self) -> tuple[str, int | None, EventKind | None]:
        """Which feed: its language and filters."""
        return self.language, self.partner_id, self.kind

    @property
    def key(self) -> tuple[Any, ...]:
        """Which content of that feed."""
        return *self.slot, self.revision, self.first_end


def _shown(now: datetime, partner: Any, kind: EventKind | None) -> list[ColumnElement[bool]]:
    """The events a feed shows: published, not ended at ``now``, of ``partner`` (organiser or
    co-organiser; an id or a subquery) and of ``kind`` when given."""
    conditions = [Event.status == EventStatus.PUBLISHED, Event.ends_at > now]
    if partner is not None:
        conditions.append(or_(Event.organisation_id == partner, Event.co_organiser_id == partner))
    if kind is not None:
        conditions.append(Event.kind == kind)
    return conditions


def _kind(kind: str | None) -> EventKind | None:
    if not kind:
        return None
    try:
        return EventKind(kind)
    except ValueError as exc:
        raise LookupError(kind) from exc


def feed_version(language: str, partner: str | None, kind: str | None,
                 now: datetime | None = None) -> FeedVersion:
    """The version of the feed in ``language`` of ``partner``'s events (slug) and ``kind``'s,
    in one query. Raises ``LookupError`` for a partner or kind that does not exist."""
    wanted = _kind(kind)
    now = now or utcnow()
    partner_id = (select(Organisation.id).where(Organisation.slug == partner).scalar_subquery()
                  if partner else None)
    first_end = select(func.min(Event.ends_at)).where(*_shown(now, partner_id, wanted))
    revision, first, found = db.session.execute(select(
        calendar_revision_query(), first_end.scalar_subquery(),
        partner_id if partner_id is not None else literal(None))).one()
    if partner and found is None:
        raise LookupError(partner)
    return FeedVersion(language, found, wanted, revision or 0, first, now)


def feed_etag(version: FeedVersion) -> str:
    """The feed's (weak) ETag: the same for one version in every process of one release."""
    digest = hashlib.sha256(_cache().release.encode())
    digest.update(repr(version.key[:-1]).encode())
    digest.update(version.first_end.isoformat().encode() if version.first_end else b"-")
    return digest.hexdigest()[:32]


def feed_body(version: FeedVersion) -> bytes:
    """The feed's iCalendar bytes: kept from before, or built now (once per process, however
    many requests ask for it at the same time)."""
    cache = _cache()
    body = cache.get(version)
    if body is None:
        with cache.building:
            body = cache.get(version)
            if body is None:
                body = build_feed(version)
                cache.put(version, body)
    return body


def build_feed(version: FeedVersion) -> bytes:
    """The feed's text, from the database."""
    query = (
        select(Event)
        .where(*_shown(version.now, version.partner_id, version.kind))
        .order_by(Event.starts_at, Event.id)
        # Each event's itinerary is printed: one query for all of them, not one each.
        .options(selectinload(Event.itinerary).selectinload(TripDay.stops))
    )
    events = list(db.session.scalars(query))
    with force_locale(version.language):
        parts = [_("Koosloome events")]
        if version.partner_id is not None:
            partner = db.session.get(Organisation, version.partner_id)
            parts.append(partner.name if partner is not None else "")
        if version.kind is not None:
            parts.append(str(KIND_NAMES[version.kind]))
    return public_calendar(events, version.language, name=" – ".join(parts))


class FeedCache:
    """The last body of each feed, for the version it was built for (thread-safe)."""

    def __init__(self, release: str) -> None:
        #: What besides the data the bytes depend on (``release_digest``).
        self.release = release
        #: One build at a time: a burst of requests after a change builds the feed once.
        self.building = threading.Lock()
        self._bodies: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], bytes]] = \
            OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: FeedVersion) -> bytes | None:
        """The body kept for ``version``, if any."""
        with self._lock:
            kept = self._bodies.get(version.slot)
            if kept is None or kept[0] != version.key:
                return None
            self._bodies.move_to_end(version.slot)
            return kept[1]

    def put(self, version: FeedVersion, body: bytes) -> None:
        """Keep ``body`` as the feed's for ``version`` (in place of an older one)."""
        with self._lock:
            self._bodies[version.slot] = (version.key, body)
            self._bodies.move_to_end(version.slot)
            while len(self._bodies) > CACHE_ENTRIES:
                self._bodies.popitem(last=False)

    def __len__(self) -> int:
        return len(self._bodies)


def release_digest(app: Flask) -> str:
    """What the feed's bytes depend on besides the data: this release's code and translations
    (a new release may write the feed differently) and the settings the feed shows."""
    digest = hashlib.sha256()
    package = PACKAGE
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for key in SHOWN_SETTINGS:
        digest.update(f"{key}={app.config.get(key)!r}".encode())
    return digest.hexdigest()


def _cache() -> FeedCache:
    """This app's feed cache (made on first use)."""
    cache = current_app.extensions.get(_CACHE)
    if cache is None:
        cache = current_app.extensions.setdefault(_CACHE, FeedCache(release_digest(current_app)))
    return cache
