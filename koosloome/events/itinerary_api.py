"""A trip's itinerary in the JSON API: read by anyone for a published event, kept by the
event's organisers (staff tokens) with the same forms and rules as the back office."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.accounts.permissions import can_manage_event
from koosloome.events import itinerary
from koosloome.events.itinerary_forms import TripDayForm, TripStopForm
from koosloome.events.models import Event, EventStatus, TripDay, TripStop
from koosloome.events.trip_view import country_zone
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
    wrong_types,
)

bp = Blueprint("itinerary_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

_TEXT = (str,)



DAY_KEYS = form_keys(TripDayForm)
STOP_KEYS = form_keys(TripStopForm)
DAY_TYPES = {name: _TEXT for name in DAY_KEYS}
STOP_TYPES = {**{name: _TEXT for name in STOP_KEYS}, "walking_m": (int,)}


def stop_json(stop: TripStop) -> dict[str, Any]:
    """A stop as JSON (its time as ``HH:MM`` at the stop)."""
    return {
        "id": stop.id,
        "at": stop.at.strftime("%H:%M"),
        **{name: getattr(stop, name) for name in sorted(STOP_KEYS - {"at", "step_free"})},
        "step_free": stop.step_free.value,
        "time_zone": country_zone(stop.country).key,
    }


def day_json(day: TripDay) -> dict[str, Any]:
    """A day with its stops as JSON."""
    return {"id": day.id, "day": day.day.isoformat(),
            **{name: getattr(day, name) for name in sorted(DAY_KEYS - {"day"})},
            "stops": [stop_json(stop) for stop in day.stops]}


def _readable_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is not None and event.status is EventStatus.DRAFT:
        user = api_user()
        if user is None or not can_manage_event(user, event):
            event = None
    if event is None:
        raise ApiProblem(404, "not_found", _("No such event"))
    return event


def _valid_form(form_class: type, keys: frozenset[str], types: dict[str, tuple[type, ...]],
                event: Event, keep: TripDay | None = None) -> Any:
    payload = json_object()
    formdata, errors = object_formdata(payload, keys)
    errors.update(wrong_types(payload, types))
    form = form_class(formdata=formdata, meta={"csrf": False})
    if isinstance(form, TripDayForm):
        form.set_days(itinerary.day_choices(event, keep=keep))
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    return form


def _user() -> Any:
    user = api_user()
    assert user is not None  # token_required
    return user


def _day_or_404(event: Event, day_id: int) -> TripDay:
    day = itinerary.find_day(event, day_id)
    if day is None:
        raise ApiProblem(404, "not_found", _("No such day in the itinerary"))
    return day


def _stop_or_404(event: Event, stop_id: int) -> TripStop:
    stop = itinerary.find_stop(event, stop_id)
    if stop is None:
        raise ApiProblem(404, "not_found", _("No such stop in the itinerary"))
    return stop


def _invalid(invalid: itinerary.InvalidItinerary) -> ApiProblem:
    return ApiProblem(422, "invalid", _("Some fields are not right"), invalid.errors)


@bp.get("/events/<int:event_id>/itinerary")
def get_itinerary(event_id: int) -> ResponseReturnValue:
    """The itinerary day by day (drafts only for those who manage them)."""
    event = _readable_event(event_id)
    return jsonify({"event_id": event.id, "days": [day_json(day) for day in event.itinerary]})


@bp.post("/events/<int:event_id>/itinerary/days")
@token_required
def add_day(event_id: int) -> ResponseReturnValue:
    """Add a day (one of the trip's dates not yet in the itinerary)."""
    event = managed_event(event_id)
    form = _valid_form(TripDayForm, DAY_KEYS, DAY_TYPES, event)
    try:
        day = itinerary.save_day(event, form.values(), _user())
    except itinerary.InvalidItinerary as invalid:
        raise _invalid(invalid) from None
    return jsonify(day_json(day)), 201


@bp.put("/events/<int:event_id>/itinerary/days/<int:day_id>")
@token_required
def replace_day(event_id: int, day_id: int) -> ResponseReturnValue:
    """Change a day (every field is sent; its stops stay)."""
    event = managed_event(event_id)
    day = _day_or_404(event, day_id)
    form = _valid_form(TripDayForm, DAY_KEYS, DAY_TYPES, event, keep=day)
    try:
        itinerary.save_day(event, form.values(), _user(), day)
    except itinerary.InvalidItinerary as invalid:
        raise _invalid(invalid) from None
    return jsonify(day_json(day))


@bp.delete("/events/<int:event_id>/itinerary/days/<int:day_id>")
@token_required
def delete_day(event_id: int, day_id: int) -> ResponseReturnValue:
    """Remove a day with its stops."""
    event = managed_event(event_id)
    itinerary.remove_day(event, _day_or_404(event, day_id), _user())
    return "", 204


@bp.post("/events/<int:event_id>/itinerary/days/<int:day_id>/stops")
@token_required
def add_stop(event_id: int, day_id: int) -> ResponseReturnValue:
    """Add a stop to a day."""
    event = managed_event(event_id)
    day = _day_or_404(event, day_id)
    form = _valid_form(TripStopForm, STOP_KEYS, STOP_TYPES, event)
    stop = itinerary.save_stop(event, day, form.values(), _user())
    return jsonify(stop_json(stop)), 201


@bp.put("/events/<int:event_id>/itinerary/stops/<int:stop_id>")
@token_required
def replace_stop(event_id: int, stop_id: int) -> ResponseReturnValue:
    """Change a stop (every field is sent)."""
    event = managed_event(event_id)
    stop = _stop_or_404(event, stop_id)
    form = _valid_form(TripStopForm, STOP_KEYS, STOP_TYPES, event)
    itinerary.save_stop(event, stop.trip_day, form.values(), _user(), stop)
    return jsonify(stop_json(stop))


@bp.delete("/events/<int:event_id>/itinerary/stops/<int:stop_id>")
@token_required
def delete_stop(event_id: int, stop_id: int) -> ResponseReturnValue:
    """Remove a stop."""
    event = managed_event(event_id)
    itinerary.remove_stop(event, _stop_or_404(event, stop_id), _user())
    return "", 204
