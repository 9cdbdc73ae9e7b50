"""Back office for arrangements (per event) and for the partners' volunteers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    can_see_health_data,
    managed_event_or_abort,
    staff_required,
)
from koosloome.arrangements import pickups, services, volunteers
from koosloome.arrangements.forms import ArrangementForm, PickupForm, VolunteerForm
from koosloome.arrangements.kinds import KIND_LABELS, STATUS_LABELS
from koosloome.arrangements.models import ArrangementKind, Volunteer
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.form_fields import show_rule_errors

bp = Blueprint("arrangements", __name__, url_prefix="/admin")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


@bp.get("/events/<int:event_id>/arrangements")
@staff_required(*ORGANISERS)
def event_arrangements(event_id: int) -> str:
    """What the event's participants asked for, and what is arranged."""
    event = managed_event_or_abort(event_id)
    lines = services.lines(event)
    listed = {line.kind for line in lines}
    others = [(kind.value, label) for kind, label in KIND_LABELS.items() if kind not in listed]
    return render_template("arrangements/list.html", event=event, lines=lines,
                           progress=services.progress(lines), status_labels=STATUS_LABELS,
                           kind_choices=others)


def _kind_or_404(kind: str) -> ArrangementKind:
    try:
        return ArrangementKind(kind)
    except ValueError:
        abort(404)


@bp.route("/events/<int:event_id>/arrangements/<kind>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_arrangement(event_id: int, kind: str) -> ResponseReturnValue:
    """Record what was done about one kind of need."""
    event = managed_event_or_abort(event_id)
    arrangement_kind = _kind_or_404(kind)
    arrangement = services.arrangement_for(event, arrangement_kind)
    form = ArrangementForm(obj=arrangement, data={"status": arrangement.status.value})
    form.set_people(services.staff_choices(event), services.volunteer_choices(event))
    if form.validate_on_submit():
        try:
            services.update(event, arrangement_kind, form.values(), current_user)
        except services.InvalidArrangement as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The arrangement is saved."), "success")
            return redirect(url_for(".event_arrangements", event_id=event.id))
    line = next((line for line in services.lines(event) if line.kind is arrangement_kind),
                None)
    return render_template("arrangements/form.html", event=event, form=form,
                           label=KIND_LABELS[arrangement_kind], line=line), \
        422 if form.errors else 200


@bp.get("/volunteers/")
@staff_required(*ORGANISERS)
def list_volunteers() -> str:
    """The volunteers of the user's partner."""
    return render_template("arrangements/volunteers.html",
                           volunteers=volunteers.of_partner(current_user))


@bp.route("/volunteers/new", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def new_volunteer() -> ResponseReturnValue:
    """Add a volunteer who agreed to be asked for help."""
    form = VolunteerForm()
    if form.validate_on_submit():
        volunteers.create(form.values(), current_user)
        flash(_("The volunteer is saved."), "success")
        return redirect(url_for(".list_volunteers"))
    return render_template("arrangements/volunteer_form.html", form=form, volunteer=None), \
        422 if form.errors else 200


def _volunteer_or_404(volunteer_id: int) -> Volunteer:
    volunteer = db.session.scalars(select(Volunteer).where(
        Volunteer.id == volunteer_id,
        Volunteer.organisation_id == current_user.organisation_id)).first()
    if volunteer is None:
        abort(404)
    return volunteer


@bp.route("/volunteers/<int:volunteer_id>/edit", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_volunteer(volunteer_id: int) -> ResponseReturnValue:
    """Change a volunteer's details, or mark them no longer active."""
    volunteer = _volunteer_or_404(volunteer_id)
    form = VolunteerForm(obj=volunteer, data={"consent": True})
    if form.validate_on_submit():
        volunteers.update(volunteer, form.values(), current_user)
        flash(_("The volunteer is saved."), "success")
        return redirect(url_for(".list_volunteers"))
    return render_template("arrangements/volunteer_form.html", form=form,
                           volunteer=volunteer), 422 if form.errors else 200


def _event_with_health_access(event_id: int) -> Event:
    event = managed_event_or_abort(event_id)
    if not can_see_health_data(current_user, event):
        abort(403)
    return event


@bp.get("/events/<int:event_id>/pickups")
@staff_required(*ORGANISERS)
def event_pickups(event_id: int) -> str:
    """Everyone to be picked up: where, when, back again, the vehicle and the driver."""
    event = _event_with_health_access(event_id)
    people = pickups.riders(event)
    audit.record_access("view.pickups", user_id=current_user.id, object_type="event",
                        object_id=event.id, event_id=event.id, people=len(people))
    return render_template("arrangements/pickups.html", event=event, riders=people)


@bp.route("/events/<int:event_id>/pickups/<int:registration_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def edit_pickup(event_id: int, registration_id: int) -> ResponseReturnValue:
    """Plan one person's ride."""
    event = _event_with_health_access(event_id)
    one = pickups.rider(event, registration_id)
    if one is None:
        abort(404)
    pickup = one.pickup
    form = PickupForm(data={
        "pickup_time": pickups.local_time(pickup.pickup_at) if pickup else None,
        "return_trip": pickup.return_trip if pickup else True,
        "return_time": pickups.local_time(pickup.return_at) if pickup else None,
        "accessible_vehicle": pickup.accessible_vehicle if pickup
        else one.registration.transport_wheelchair,
        "driver": one.driver_key, "note": pickup.note if pickup else ""})
    form.set_drivers(pickups.driver_choices(event))
    if form.validate_on_submit():
        try:
            pickups.save(event, one.registration, form.values(), current_user)
        except ValueError as impossible:  # a local time the clock skips or shows twice
            form.pickup_time.errors = [*form.pickup_time.errors, str(impossible)]
        else:
            flash(_("The pick-up is saved."), "success")
            return redirect(url_for(".event_pickups", event_id=event.id))
    return render_template("arrangements/pickup_form.html", event=event, form=form,
                           rider=one), 422 if form.errors else 200


@bp.get("/events/<int:event_id>/pickups/routes")
@staff_required(*ORGANISERS)
def driver_routes(event_id: int) -> str:
    """A printable route per driver, in pick-up order."""
    event = _event_with_health_access(event_id)
    plan = pickups.routes(event)
    audit.record_access("view.pickups", user_id=current_user.id, object_type="event",
                        object_id=event.id, event_id=event.id,
                        people=sum(len(route.riders) for route in plan))
    return render_template("arrangements/routes.html", event=event, routes=plan)
