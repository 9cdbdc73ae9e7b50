"""Back office for a trip's itinerary: its days and each day's stops."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import managed_event_or_abort, staff_required
from koosloome.events import itinerary
from koosloome.events.itinerary_forms import TripDayForm, TripStopForm
from koosloome.events.models import Event, TripDay, TripStop
from koosloome.events.trip_view import itinerary_view
from koosloome.form_fields import show_rule_errors
from koosloome.i18n import current_language

bp = Blueprint("itinerary", __name__, url_prefix="/admin/events")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def _day_or_404(event: Event, day_id: int) -> TripDay:
    day = itinerary.find_day(event, day_id)
    if day is None:
        abort(404)
    return day


def _stop_or_404(event: Event, stop_id: int) -> TripStop:
    stop = itinerary.find_stop(event, stop_id)
    if stop is None:
        abort(404)
    return stop


def _back(event: Event) -> ResponseReturnValue:
    return redirect(url_for(".overview", event_id=event.id))


@bp.route("/<int:event_id>/itinerary", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def overview(event_id: int) -> ResponseReturnValue:
    """The itinerary day by day, and the form to add a day."""
    event = managed_event_or_abort(event_id)
    form = TripDayForm()
    form.set_days(itinerary.day_choices(event))
    if form.validate_on_submit():
        try:
            itinerary.save_day(event, form.values(), current_user)
        except itinerary.InvalidItinerary as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The day is added."), "success")
            return _back(event)
    return render_template("admin/itinerary/overview.html", event=event, form=form,
                           days=itinerary_view(event, current_language())), \
        422 if form.errors else 200


@bp.route("/<int:event_id>/itinerary/days/<int:day_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_day(event_id: int, day_id: int) -> ResponseReturnValue:
    """Change a day's date, heading or night."""
    event = managed_event_or_abort(event_id)
    day = _day_or_404(event, day_id)
    form = TripDayForm(obj=day, data={"day": day.day.isoformat()})
    form.set_days(itinerary.day_choices(event, keep=day))
    if form.validate_on_submit():
        try:
            itinerary.save_day(event, form.values(), current_user, day)
        except itinerary.InvalidItinerary as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The day is saved."), "success")
            return _back(event)
    return render_template("admin/itinerary/day.html", event=event, form=form, day=day), \
        422 if form.errors else 200


@bp.post("/<int:event_id>/itinerary/days/<int:day_id>/delete")
@staff_required(*ORGANISERS)
def delete_day(event_id: int, day_id: int) -> ResponseReturnValue:
    """Remove a day and its stops."""
    event = managed_event_or_abort(event_id)
    itinerary.remove_day(event, _day_or_404(event, day_id), current_user)
    flash(_("The day is removed."), "success")
    return _back(event)


@bp.route("/<int:event_id>/itinerary/days/<int:day_id>/stops", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def add_stop(event_id: int, day_id: int) -> ResponseReturnValue:
    """Add a stop to a day."""
    event = managed_event_or_abort(event_id)
    day = _day_or_404(event, day_id)
    form = TripStopForm(data={"country": _last_country(day)})
    return _save_stop(event, day, form, None)


@bp.route("/<int:event_id>/itinerary/stops/<int:stop_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_stop(event_id: int, stop_id: int) -> ResponseReturnValue:
    """Change a stop."""
    event = managed_event_or_abort(event_id)
    stop = _stop_or_404(event, stop_id)
    form = TripStopForm(obj=stop, data={"step_free": stop.step_free.value})
    return _save_stop(event, stop.trip_day, form, stop)


def _save_stop(event: Event, day: TripDay, form: TripStopForm,
               stop: TripStop | None) -> ResponseReturnValue:
    if form.validate_on_submit():
        itinerary.save_stop(event, day, form.values(), current_user, stop)
        flash(_("The stop is saved."), "success")
        return _back(event)
    return render_template("admin/itinerary/stop.html", event=event, form=form, day=day,
                           stop=stop), 422 if form.errors else 200


def _last_country(day: TripDay) -> str:
    """Where the day's last stop was (the next is most likely in the same country)."""
    return day.stops[-1].country if day.stops else "EE"


@bp.post("/<int:event_id>/itinerary/stops/<int:stop_id>/delete")
@staff_required(*ORGANISERS)
def delete_stop(event_id: int, stop_id: int) -> ResponseReturnValue:
    """Remove a stop."""
    event = managed_event_or_abort(event_id)
    itinerary.remove_stop(event, _stop_or_404(event, stop_id), current_user)
    flash(_("The stop is removed."), "success")
    return _back(event)
