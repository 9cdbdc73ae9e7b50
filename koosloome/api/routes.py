"""The JSON API, /api/v1: public events and registration; organisers' event management.

Handlers stay thin: parse → check access → call the same services as the HTML pages → JSON.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import Organisation, Role
from koosloome.accounts.permissions import can_manage_event, can_see_health_data
from koosloome.api.convert import (
    form_errors,
    registration_formdata,
)
from koosloome.api.openapi import openapi_document
from koosloome.api.serializers import event_json, registration_json
from koosloome.db import late_write_lock
from koosloome.events import listing
from koosloome.events import services as events
from koosloome.events.forms import EventForm
from koosloome.events.models import Event, EventStatus
from koosloome.extensions import csrf, db, limiter
from koosloome.i18n import current_language
from koosloome.json_api import (
    ApiProblem,
    api_user,
    form_keys,
    json_error,
    json_object,
    managed_event,
    object_formdata,
    peek_api_user,
    token_required,
    wrong_types,
)
from koosloome.ratelimits import registration_rate_limit
from koosloome.registrations import services as registrations
from koosloome.registrations.forms import form_for_event
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus
from koosloome.seating.counts import seat_counts, waitlist_position

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

EVENT_INPUT_KEYS = form_keys(EventForm) | {"status", "slug"}
#: The JSON type each event field must come as (a number is no title, text no capacity).
_NUMBERS = {"capacity": (int,), "reminder_days": (int,), "offer_hours": (int,),
            "venue_id": (int,),
            "travel_details": (bool,), "travel_document_number": (bool,),
            "cost_per_person": (int, float, str), "own_contribution": (int, float, str)}
EVENT_TYPES = {name: _NUMBERS.get(name, (str,)) for name in EVENT_INPUT_KEYS}


def _event_or_404(event_id: int, *, public: bool) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise ApiProblem(404, "not_found", _("No such event"))
    # The token is looked up (which records its use, a write) only when it matters: a
    # registration on SQLite must take its write lock before anything is written.
    if public and event.status is EventStatus.DRAFT:
        user = api_user()
        if user is None or not can_manage_event(user, event):
            raise ApiProblem(404, "not_found", _("No such event"))
    return event


def _event_response(event: Event, status: int = 200) -> ResponseReturnValue:
    return jsonify(event_json(event, seat_counts([event.id])[event.id])), status


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


def _listing_query() -> tuple[listing.Filters, int, int, bool]:
    """The filters, page number, page size and ``upcoming`` of the event list's query
    (422 naming every argument that is not right)."""
    read = listing.read_filters(request.args, events.partners())
    problems = {name: [message] for name, message in read.problems.items()}
    number = listing.parse_page(request.args.get("page", "1"))
    if number is None:
        problems["page"] = [_("Give a page number: 1, 2, 3…")]
    per_page = listing.parse_page(
        request.args.get("per_page", str(current_app.config["EVENTS_PER_PAGE"])))
    if per_page is None or per_page > listing.MAX_PER_PAGE:
        problems["per_page"] = [_("Give a number from 1 to %(most)d", most=listing.MAX_PER_PAGE)]
    upcoming = request.args.get("upcoming", "false").lower()
    if upcoming not in ("true", "false"):
        problems["upcoming"] = [_("Give true or false")]
    if problems:
        raise ApiProblem(422, "invalid", _("Some query parameters are not right"), problems)
    assert number is not None and per_page is not None
    return read.filters, number, per_page, upcoming == "true"


@bp.get("/events")
def list_events() -> ResponseReturnValue:
    """Published events, soonest first, a page at a time; narrowed like the home page (kind,
    county, partner, month; ``upcoming=true``: only those not over)."""
    filters, number, per_page, upcoming = _listing_query()
    page = listing.event_page(filters, number, per_page, upcoming=upcoming, clamp=False)
    counts = seat_counts(event.id for event in page.events)
    kept = {**filters.args(), **({"upcoming": "true"} if upcoming else {}),
            **({"per_page": per_page} if "per_page" in request.args else {})}

    def link(to: int | None) -> str | None:
        return url_for(".list_events", page=to, **kept) if to is not None else None

    return jsonify({
        "events": [event_json(event, counts[event.id]) for event in page.events],
        "page": page.number, "per_page": page.per_page, "pages": page.pages,
        "total": page.total,
        # Past the last page there is no page after; the one before is the last.
        "previous": link(min(page.number - 1, page.pages) if page.number > 1 else None),
        "next": link(page.next),
    })


@bp.get("/events/<int:event_id>")
def get_event(event_id: int) -> ResponseReturnValue:
    """One event (drafts only for those who manage them)."""
    return _event_response(_event_or_404(event_id, public=True))


@bp.post("/events/<int:event_id>/registrations")
@late_write_lock
@limiter.limit(registration_rate_limit)
def create_registration(event_id: int) -> ResponseReturnValue:
    """Register, with the same fields and rules as the form."""
    event = _event_or_404(event_id, public=True)
    formdata, errors = registration_formdata(json_object())
    formdata.setdefault("language", current_language())
    form = form_for_event(event, current_language(), formdata=formdata, meta={"csrf": False})
    if not form.validate() or errors:
        errors = {**form_errors(form), **errors}
        return json_error(422, "invalid", _("Some fields are not right"), errors)
    data = form.to_data()
    # Refusals (closed, a rule broken; already registered, for staff) answer as
    # ``DomainError``s do.
    if _caller_manages(event):
        outcome = registrations.register(event, data, RegistrationSource.API)
        api_user()  # the token's use, recorded now that the seat lock is held
        return jsonify(_registration_created(outcome)), 201
    receipt = registrations.register_in_public(event, data, RegistrationSource.API)
    if receipt.email is None:
        assert receipt.outcome is not None  # only an address can be registered already
        return jsonify(_registration_created(receipt.outcome)), 201
    # Accepted, the link sent by e-mail: the same answer for a new address and a registered
    # one, so that nobody learns who attends.
    return jsonify({"status": receipt.status.value,
                    "waitlist_position": receipt.waitlist_position,
                    "confirmation_sent_to": receipt.email}), 202


def _caller_manages(event: Event) -> bool:
    """The caller sent a token of someone who manages the event (they see its list anyway)."""
    user = peek_api_user()
    return user is not None and can_manage_event(user, event)


def _registration_created(outcome: registrations.Outcome) -> dict[str, Any]:
    # Read before the commit expires the row: reading after it would reload the registration
    # in a second transaction (on SQLite, a second turn at the write lock).
    registration = outcome.registration
    return {"id": registration.id, "status": registration.status.value,
            "waitlist_position": outcome.waitlist_position,
            "manage_url": registration.manage_url}


@bp.post("/events")
@token_required
def create_event() -> ResponseReturnValue:
    """Organisers create an event (a draft unless ``status`` is "published")."""
    user = api_user()
    assert user is not None
    if user.role not in (Role.ADMIN, Role.ORGANISER):
        return json_error(403, "forbidden", _("Only organisers create events"))
    payload = json_object()
    status = payload.pop("status", "draft")
    slug = payload.pop("slug", None)
    formdata, errors = object_formdata(payload, EVENT_INPUT_KEYS)
    errors.update(wrong_types(payload, EVENT_TYPES))
    form = EventForm(formdata=formdata, meta={"csrf": False})
    if status not in ("draft", "published"):
        errors["status"] = [_("Must be draft or published")]
    if not form.validate() or errors:
        return json_error(422, "invalid", _("Some fields are not right"),
                          {**form_errors(form), **errors})
    values = form.values()
    co_slug = values.pop("co_organiser", None)
    values["status"] = EventStatus(status)
    if slug:
        values["slug"] = slug
    organisation = user.organisation
    co_organiser = _organisation(co_slug) if co_slug else None
    event = events.create_event(values, user, organisation, co_organiser)
    response = _event_response(event, 201)
    body, code = response  # type: ignore[misc]
    return body, code, {"Location": url_for(".get_event", event_id=event.id)}


def _organisation(slug: str) -> Organisation:
    organisation = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {"co_organiser": [_("Unknown organisation")]})
    return organisation


@bp.patch("/events/<int:event_id>")
@token_required
def update_event(event_id: int) -> ResponseReturnValue:
    """Change some fields; a new time or place sends updated invites."""
    event = managed_event(event_id)
    payload = json_object()
    publish = payload.pop("status", None)
    formdata, errors = object_formdata(payload, EVENT_INPUT_KEYS - {"slug"})
    errors.update(wrong_types(payload, EVENT_TYPES))
    form = EventForm(formdata=formdata, meta={"csrf": False})
    present = set(formdata.keys())
    for name in list(form._fields):
        if name not in present:
            del form[name]
    if publish not in (None, "published"):
        errors["status"] = [_("Use the cancel endpoint to cancel; status can only be published")]
    if not form.validate() or errors:
        return json_error(422, "invalid", _("Some fields are not right"),
                          {**form_errors(form), **errors})
    user = api_user()
    assert user is not None
    values = form.values()
    values.pop("co_organiser", None)
    change = events.update_event(event, values, user)
    if publish == "published":
        events.publish_event(event, user)
    body, code = _event_response(event)  # type: ignore[misc]
    body.headers["X-Koosloome-Invites-Sent"] = str(change.invites_sent)
    return body, code


@bp.post("/events/<int:event_id>/cancel")
@token_required
def cancel_event(event_id: int) -> ResponseReturnValue:
    """Cancel the event; every registered participant gets a cancellation."""
    event = managed_event(event_id)
    user = api_user()
    assert user is not None
    events.cancel_event(event, user)
    return _event_response(event)


@bp.get("/events/<int:event_id>/registrations")
@token_required
def list_registrations(event_id: int) -> ResponseReturnValue:
    """The event's registrations; needs only for those who may see health data."""
    event = managed_event(event_id)
    user = api_user()
    assert user is not None
    query = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(Registration.created_at, Registration.id)
    )
    rows = list(db.session.scalars(query))
    with_needs = can_see_health_data(user, event)
    if with_needs:
        # Health data read through the API is on record, as on the pages.
        audit.record("api.view_health", user_id=user.id, object_type="event",
                     object_id=event.id, event_id=event.id, registrations=len(rows))
    positions = _waitlist_positions(rows)
    return jsonify({"registrations": [
        registration_json(r, positions.get(r.id), with_needs) for r in rows
    ]})


def _waitlist_positions(rows: list[Registration]) -> dict[int, int]:
    waiting = sorted(
        (r for r in rows if r.status is RegistrationStatus.WAITLISTED),
        key=lambda r: (r.waitlisted_at, r.id),
    )
    return {r.id: position for position, r in enumerate(waiting, start=1)}


@bp.patch("/registrations/<int:registration_id>")
@token_required
def update_registration(registration_id: int) -> ResponseReturnValue:
    """Organisers confirm, reject or cancel a registration."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return json_error(404, "not_found", _("No such registration"))
    user = api_user()
    assert user is not None
    if not can_manage_event(user, registration.event):
        return json_error(403, "forbidden", _("You may not manage this event"))
    payload = json_object()
    unknown = {key for key in payload if key != "status"}
    if unknown:
        return json_error(422, "invalid", _("Some fields are not right"),
                          {key: [_("Unknown field")] for key in unknown})
    allowed = ("confirmed", "rejected", "cancelled")
    if not isinstance(payload.get("status"), str) or payload["status"] not in allowed:
        return json_error(422, "invalid", _("Some fields are not right"),
                          {"status": [_("Must be confirmed, rejected or cancelled")]})
    registrations.change_status(registration, RegistrationStatus(payload["status"]), user)
    with_needs = can_see_health_data(user, registration.event)
    if with_needs:
        audit.record("registration.view_health", user_id=user.id, object_type="registration",
                     object_id=registration.id, event_id=registration.event_id)
    return jsonify(registration_json(registration, waitlist_position(registration),
                                     with_needs))
