"""Public event pages: the list of upcoming events and one event's page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from koosloome.bilingual import localised
from koosloome.downloads import content_disposition
from koosloome.events import feed, listing, services
from koosloome.events.models import Event, EventKind
from koosloome.events.place import access_notes, venue_facts, venue_label
from koosloome.events.trip_view import itinerary_view
from koosloome.i18n import current_language
from koosloome.messaging.calendars import calendar_links, public_calendar
from koosloome.registrations.choices import COUNTIES
from koosloome.seating.counts import availability, kept_availability
from koosloome.trips.models import has_published_report

bp = Blueprint("events", __name__)


@bp.get("/")
def home() -> str:
    """Upcoming published events a page at a time, narrowed by kind, county, partner and
    month if asked; with seats left, waiting list or closed. Choices that name nothing, and
    page numbers past the end, are ignored or clamped (a page, never an error)."""
    partners = services.partners()
    filters = listing.read_filters(request.args, partners).filters
    page = listing.event_page(filters, listing.parse_page(request.args.get("page")) or 1,
                              current_app.config["EVENTS_PER_PAGE"])
    return render_template(
        "events/home.html", page=page, filters=filters,
        choices=listing.filter_choices(filters), county_names=dict(COUNTIES),
        # The seats kept on each event: the list needs no count of registrations.
        availability={event.id: kept_availability(event) for event in page.events},
        partners=partners, kinds=list(EventKind),
    )


@bp.get("/events/<slug>")
def event_page(slug: str) -> str:
    """Everything about one event, incl. the venue's accessibility facts."""
    event = services.public_event(slug)
    if event is None:
        abort(404)
    return render_template(
        "events/event.html",
        event=event,
        availability=availability([event])[event.id],
        venue_facts=venue_facts(event, current_language()),
        access_notes=access_notes(event, current_language()),
        itinerary=itinerary_view(event, current_language()),
        learned_published=has_published_report(event.id),
    )


#: Calendar clients poll; a short public cache spares the database without going stale.
CALENDAR_CACHE = "public, max-age=900"


@bp.get("/calendar.ics")
def calendar_feed() -> Response:
    """The published upcoming events as a subscribable calendar (METHOD:PUBLISH): all, or
    one partner's (``?partner=vpk``, co-organised ones too) or one kind's (``?kind=``).
    Built once per change (``events.feed``); 304 for a client that has this version."""
    try:
        version = feed.feed_version(current_language(), request.args.get("partner"),
                                    request.args.get("kind"))
    except LookupError:
        abort(404)
    etag = feed.feed_etag(version)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(feed.feed_body(version), mimetype="text/calendar")
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = CALENDAR_CACHE
    # The language follows the language switch's cookie, else the browser's wish.
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/events/<slug>.ics")
def event_ics(slug: str) -> Response:
    """One event as a calendar file to open or import."""
    event = services.public_event(slug)
    if event is None:
        abort(404)
    response = Response(public_calendar([event], current_language()), mimetype="text/calendar")
    response.headers["Content-Disposition"] = content_disposition(f"{event.slug}.ics")
    response.headers["Cache-Control"] = CALENDAR_CACHE
    return response


@bp.app_template_global("calendar_links")
def _calendar_links(event: Event) -> dict[str, str]:
    """Google Calendar and Outlook.com links for the "add to calendar" partial."""
    return calendar_links(event, current_language())


@bp.app_context_processor
def _place_helpers() -> dict[str, Any]:
    """``place(event)``: "name, address"; ``place_name(event)``: the name (reader's language)."""
    language = current_language()
    return {
        "place": lambda event: venue_label(event, language),
        "place_name": lambda event: localised(event.venue, "name", language)
        if event.venue is not None else "",
    }
