"""Back office for venues: the list, and one form per venue whose facts every event there
shows."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import staff_required
from koosloome.extensions import db
from koosloome.form_fields import show_rule_errors
from koosloome.venues import services
from koosloome.venues.forms import VenueForm
from koosloome.venues.models import Venue

bp = Blueprint("venues", __name__, url_prefix="/admin/venues")
#: Venues are shared by both partners: any organiser may state or correct their facts.
EDITORS = (Role.ADMIN, Role.ORGANISER)


def _venue_or_404(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        abort(404)
    return venue


@bp.get("/")
@staff_required(*EDITORS)
def list_venues() -> str:
    """Every venue, with when its facts were checked and how many events it has."""
    return render_template("venues/list.html", venues=services.venues(),
                           counts=services.event_counts())


@bp.route("/new", methods=["GET", "POST"])
@staff_required(*EDITORS)
def new_venue() -> ResponseReturnValue:
    """State a new venue's facts."""
    form = VenueForm()
    if form.validate_on_submit():
        try:
            services.create_venue(form.values(), current_user)
        except services.InvalidVenue as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The venue is saved."), "success")
            return redirect(url_for(".list_venues"))
    return render_template("venues/form.html", form=form, venue=None), \
        422 if form.errors else 200


@bp.route("/<int:venue_id>/edit", methods=["GET", "POST"])
@staff_required(*EDITORS)
def edit_venue(venue_id: int) -> ResponseReturnValue:
    """Correct a venue's facts: every event held there shows them at once."""
    venue = _venue_or_404(venue_id)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            services.update_venue(venue, form.values(), current_user)
        except services.InvalidVenue as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The venue is saved. Every event there shows the new facts."), "success")
            return redirect(url_for(".list_venues"))
    return render_template("venues/form.html", form=form, venue=venue,
                           events=services.event_counts().get(venue.id, 0)), \
        422 if form.errors else 200

