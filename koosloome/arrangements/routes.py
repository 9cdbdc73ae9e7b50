"""Back office for arrangements (per event) and for the partners' volunteers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import managed_event_or_abort, staff_required
from koosloome.arrangements import services, volunteers
from koosloome.arrangements.forms import ArrangementForm, VolunteerForm
from koosloome.arrangements.kinds import KIND_LABELS, STATUS_LABELS
from koosloome.arrangements.models import ArrangementKind, Volunteer
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
