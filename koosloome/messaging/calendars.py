"""Events as calendar data: entries for invitations and the public feed, "add to calendar"
links. The RFC 5545 work itself is in ``messaging.ical``."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.bilingual import localised
from koosloome.db import utcnow
from koosloome.events.models import Event, EventStatus
from koosloome.events.place import access_notes, venue_facts, venue_label
from koosloome.events.trip_view import itinerary_lines
from koosloome.messaging.ical import (
    CalendarEntry,
    Person,
    google_calendar_url,
    outlook_calendar_url,
    published,
)
from koosloome.messaging.mime import site_domain


def event_url(event: Event) -> str:
    """The absolute address of the event's public page."""
    return f"{current_app.config['BASE_URL']}/events/{event.slug}"


def organiser_person(event: Event) -> Person:
    """The organising team as the invitation's ORGANIZER."""
    organisation = event.organisation
    return Person(organisation.name, organisation.contact_email)


def location_text(event: Event, language: str) -> str:
    """Venue name (in ``language``) and address on one line."""
    return venue_label(event, language)


def calendar_description(event: Event, language: str, manage_link: str | None = None) -> str:
    """DESCRIPTION: the summary, a trip's itinerary day by day, the venue's access facts, and
    the links. A trip is one entry from its first morning to its last evening: one invitation
    to accept, update or cancel, as it is one commitment."""
    with force_locale(language):
        parts = [localised(event, "summary", language)]
        trip = itinerary_lines(event, language)
        if trip:
            parts.append("\n".join([_("Itinerary") + ":", *trip]))
        facts = venue_facts(event, language)
        if facts:
            lines = [_("Accessibility of the venue") + ":"]
            lines += [f"- {fact.label}: {fact.value}" for fact in facts]
            parts.append("\n".join(lines))
        parts.append(access_notes(event, language))
        parts.append(_("Event page: %(url)s", url=event_url(event)))
        if manage_link:
            parts.append(_("See, change or cancel your registration: %(url)s", url=manage_link))
    return "\n\n".join(part for part in parts if part)


def calendar_entry(
    event: Event,
    language: str,
    *,
    uid: str,
    sequence: int,
    manage_link: str | None = None,
    attendee: Person | None = None,
) -> CalendarEntry:
    """``event`` as calendar data in ``language``; with an attendee, one person's invitation
    (which carries a reminder for the day before)."""
    alarm = ""
    if attendee is not None:
        with force_locale(language):
            alarm = _("Tomorrow: %(title)s", title=localised(event, "title", language))
    return CalendarEntry(
        uid=uid,
        sequence=sequence,
        summary=localised(event, "title", language),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=location_text(event, language),
        description=calendar_description(event, language, manage_link),
        url=event_url(event),
        cancelled=event.status is EventStatus.CANCELLED,
        organizer=organiser_person(event),
        attendee=attendee,
        alarm=alarm,
    )


def public_entry(event: Event, language: str) -> CalendarEntry:
    """The event for the public feed and downloads: its own UID, no attendees."""
    domain = site_domain(current_app.config["BASE_URL"])
    return calendar_entry(
        event, language, uid=f"koosloome-event-{event.id}@{domain}", sequence=event.revision
    )


def public_calendar(events: Sequence[Event], language: str, name: str = "") -> bytes:
    """A ``METHOD:PUBLISH`` calendar of ``events`` (a named feed when ``name`` is given)."""
    entries = [public_entry(event, language) for event in events]
    return published(entries, current_app.config["TIMEZONE"], utcnow(), name=name)


def calendar_links(event: Event, language: str) -> dict[str, str]:
    """Google Calendar and Outlook.com "add event" links for ``event``."""
    entry = public_entry(event, language)
    return {
        "google": google_calendar_url(entry, current_app.config["TIMEZONE"]),
        "outlook": outlook_calendar_url(entry),
    }
