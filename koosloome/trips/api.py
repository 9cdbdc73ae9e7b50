"""Travel details in the JSON API: the traveller's own by their manage link
(``/api/v1/r/<token>/travel``), and the trip's list for its organisers (staff tokens,
audited like the page)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome import audit
from koosloome.accounts.permissions import can_manage_event, can_see_emergency_contacts
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import csrf, db
from koosloome.json_api import (
    ApiProblem,
    api_user,
    field_errors,
    form_keys,
    json_object,
    managed_event,
    object_formdata,
    token_required,
    unknown_keys,
    wrong_types,
)
from koosloome.registrations.links import registration_for_token
from koosloome.registrations.models import Registration
from koosloome.trips import costs as trip_costs
from koosloome.trips import report as trip_reports
from koosloome.trips import services
from koosloome.trips.forms import CostForm, TravelForm
from koosloome.trips.leader import set_trip_leader
from koosloome.trips.models import (
    TravelDetails,
    TripReport,
    asks_for_travel,
    travel_of,
    travel_values,
)

bp = Blueprint("trips_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())


@bp.after_request
def _private(response: Response) -> Response:
    # A traveller's document and emergency contact: never kept by a browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response

TRAVEL_KEYS = form_keys(TravelForm)
TRAVEL_TYPES = {**{name: (str,) for name in TRAVEL_KEYS}, "ehic": (bool,)}


def travel_json(details: TravelDetails | None) -> dict[str, Any] | None:
    """Travel details as JSON (dates as ISO days)."""
    if details is None:
        return None
    return {**travel_values(details), "updated_at": details.updated_at.isoformat()}


def _traveller(token: str) -> Registration:
    registration = registration_for_token(token)
    if registration is None:
        raise ApiProblem(404, "not_found", _("No such registration"))
    if not asks_for_travel(registration):
        raise ApiProblem(409, "not_asked", _("This registration is asked for no travel "
                                             "details"))
    return registration


@bp.get("/r/<token>/travel")
def get_own_travel(token: str) -> ResponseReturnValue:
    """The traveller's own details (null until given)."""
    return jsonify({"travel": travel_json(travel_of(_traveller(token)))})


@bp.put("/r/<token>/travel")
def put_own_travel(token: str) -> ResponseReturnValue:
    """Give or replace the traveller's details (all fields, as on the form)."""
    registration = _traveller(token)
    payload = json_object()
    formdata, errors = object_formdata(payload, TRAVEL_KEYS)
    errors.update(wrong_types(payload, TRAVEL_TYPES))
    if "ehic" in payload:  # JSON true/false/null as the form's yes/no/not said
        formdata["ehic"] = {True: "yes", False: "no"}.get(payload["ehic"], "")
    form = TravelForm(formdata=formdata, meta={"csrf": False})
    valid = form.validate()
    for name, messages in services.travel_rules(registration.event, form.values()).items():
        errors.setdefault(name, []).extend(messages)
    if not valid or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    try:
        details = services.save_travel(registration, form.values())
    except services.InvalidTravel as invalid:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), invalid.errors) \
            from None
    return jsonify({"travel": travel_json(details)})


@bp.get("/events/<int:event_id>/travel")
@token_required
def list_travel(event_id: int) -> ResponseReturnValue:
    """Every traveller with a confirmed place and their details (the trip's organisers)."""
    event = managed_event(event_id)
    people = services.travellers(event)
    user = api_user()
    assert user is not None  # token_required
    audit.record_access("trip.travel_details.view", user_id=user.id,
                        object_type="event", object_id=event.id, event_id=event.id,
                        travellers=len(people), format="api")
    emergency = can_see_emergency_contacts(user, event)
    return jsonify({"event_id": event.id, "trip_leader_id": event.trip_leader_id,
                    "emergency_contacts": emergency, "travellers": [
                        {"registration_id": person.registration.id,
                         "name": person.registration.name,
                         "travel": _without_emergency(travel_json(person.details), emergency)}
                        for person in people]})


def _without_emergency(travel: dict[str, Any] | None, emergency: bool) -> (
        dict[str, Any] | None):
    """The emergency contact stays only for whom may see it (the trip leader, admins)."""
    if travel is None or emergency:
        return travel
    return {k: v for k, v in travel.items() if k not in ("emergency_name", "emergency_phone")}


@bp.put("/events/<int:event_id>/trip-leader")
@token_required
def put_trip_leader(event_id: int) -> ResponseReturnValue:
    """Name the trip's leader (``user_id``; null for nobody): they alone, with admins, see
    the travellers' emergency contacts."""
    event = managed_event(event_id)
    payload = json_object()
    errors = unknown_keys(payload, ("user_id",))
    errors.update(wrong_types(payload, {"user_id": (int,)}))
    if "user_id" not in payload:
        errors["user_id"] = [_("This field is required")]
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    user = api_user()
    assert user is not None  # token_required
    try:
        set_trip_leader(event, payload["user_id"], user)
    except InvalidFields as invalid:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {"user_id": invalid.errors["leader"]}) from None
    return jsonify({"event_id": event.id, "trip_leader_id": event.trip_leader_id})


COST_KEYS = form_keys(CostForm)
COST_TYPES = {"category": (str,), "amount": (int, float, str), "supplier": (str,),
              "note": (str,)}


def _costs_json(event: Event) -> dict[str, Any]:
    user = api_user()
    assert user is not None  # token_required
    summary = trip_costs.trip_costs(event, user)
    return {"event_id": event.id, "total": str(summary.total),
            "by_category": {category.value: str(amount)
                            for category, amount in summary.by_category},
            "costs": [{"id": cost.id, "category": cost.category.value,
                       "amount": str(cost.amount), "supplier": cost.supplier,
                       "note": cost.note} for cost in summary.costs]}


@bp.get("/events/<int:event_id>/costs")
@token_required
def list_costs(event_id: int) -> ResponseReturnValue:
    """The trip's actual costs, by category and in all (the event's managers)."""
    return jsonify(_costs_json(managed_event(event_id)))


@bp.post("/events/<int:event_id>/costs")
@token_required
def add_cost(event_id: int) -> ResponseReturnValue:
    """Record a cost; the event's actual cost follows."""
    event = managed_event(event_id)
    payload = json_object()
    formdata, errors = object_formdata(payload, COST_KEYS)
    errors.update(wrong_types(payload, COST_TYPES))
    form = CostForm(formdata=formdata, meta={"csrf": False})
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    user = api_user()
    assert user is not None  # token_required
    trip_costs.add_cost(event, form.values(), user)
    return jsonify(_costs_json(event)), 201


@bp.delete("/events/<int:event_id>/costs/<int:cost_id>")
@token_required
def delete_cost(event_id: int, cost_id: int) -> ResponseReturnValue:
    """Take back a cost entered by mistake."""
    event = managed_event(event_id)
    user = api_user()
    assert user is not None  # token_required
    cost = trip_costs.find_cost(event, cost_id, user)
    if cost is None:
        raise ApiProblem(404, "not_found", _("No such cost"))
    trip_costs.remove_cost(cost, user)
    return "", 204


REPORT_TEXT_TYPES = {name: (str,) for name in trip_reports.REPORT_TEXTS}


def _report_json(event: Event, report: TripReport | None, *, internal: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": event.id,
        "published_at": report.published_at.isoformat() if report and report.published_at
        else None,
        **{name: getattr(report, name) if report else ""
           for name in trip_reports.REPORT_TEXTS if internal or name != "contacts"},
        "stops": [{"id": stop.id, "place_et": stop.place_et, "learned_et": stop.learned_et,
                   "learned_en": stop.learned_en} for stop in trip_reports.stops_of(event)],
    }
    return body


@bp.get("/events/<int:event_id>/report")
def get_report(event_id: int) -> ResponseReturnValue:
    """The trip report: published ones for anyone (without the contacts), any for the
    event's managers."""
    event = db.session.get(Event, event_id)
    user = api_user()
    if event is not None and user is not None and can_manage_event(user, event):
        return jsonify(_report_json(event, trip_reports.report_of(event), internal=True))
    report = trip_reports.published_report(event) if event is not None else None
    if report is None:
        raise ApiProblem(404, "not_found", _("No published report"))
    return jsonify(_report_json(event, report, internal=False))


@bp.put("/events/<int:event_id>/report")
@token_required
def put_report(event_id: int) -> ResponseReturnValue:
    """Write the report (every text; ``stops``: stop id → its lessons; ``publish``)."""
    event = managed_event(event_id)
    payload = json_object()
    errors = unknown_keys(payload, {*trip_reports.REPORT_TEXTS, "publish", "stops"})
    errors.update(wrong_types(payload, {**REPORT_TEXT_TYPES, "publish": (bool,),
                                        "stops": (dict,)}))
    known = {str(stop.id) for stop in trip_reports.stops_of(event)}
    learned: dict[int, tuple[str, str]] = {}
    for key, texts in (payload.get("stops") or {}).items():
        if key not in known or not isinstance(texts, dict) or not all(
                isinstance(texts.get(lang, ""), str) and len(texts.get(lang, "")) <= 10000
                for lang in ("learned_et", "learned_en")):
            errors[f"stops-{key}"] = [_("Not a stop of this trip, or not its texts")]
            continue
        learned[int(key)] = (texts.get("learned_et", ""), texts.get("learned_en", ""))
    for name in trip_reports.REPORT_TEXTS:
        if isinstance(payload.get(name), str) and len(payload[name]) > 20000:
            errors[name] = [_("Too long")]
    if errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), errors)
    user = api_user()
    assert user is not None  # token_required
    report = trip_reports.save_report(event, payload, learned, user)
    return jsonify(_report_json(event, report, internal=True))
