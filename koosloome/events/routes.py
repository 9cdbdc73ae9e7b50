"""Public event pages: the list of upcoming events and one event's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from koosloome.events import services
from koosloome.events.venue import venue_facts
from koosloome.i18n import current_language
from koosloome.registrations.capacity import availability

bp = Blueprint("events", __name__)


@bp.get("/")
def home() -> str:
    """Upcoming published events with seats left, waiting list or closed."""
    events = services.upcoming_events()
    return render_template(
        "events/home.html", events=events, availability=availability(events)
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
    )
