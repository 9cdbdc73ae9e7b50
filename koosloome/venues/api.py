"""Venues in the JSON API, /api/v1/venues: anyone reads the facts; organisers state them.

Handlers stay thin: parse → check access → the same form and services as the back office.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms.fields.core import UnboundField

from koosloome.accounts.models import Role
from koosloome.extensions import csrf, db
from koosloome.json_api import (
    ApiProblem,
    api_user,
    field_errors,
    json_object,
    object_formdata,
    token_required,
)
from koosloome.venues import services
from koosloome.venues.forms import VenueForm
from koosloome.venues.models import Venue
from koosloome.venues.serializers import venue_json

bp = Blueprint("venues_api", __name__, url_prefix="/api/v1/venues")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

VENUE_INPUT_KEYS = frozenset(
    name for name, value in vars(VenueForm).items() if isinstance(value, UnboundField)
)


def _venue_or_404(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise ApiProblem(404, "not_found", _("No such venue"))
    return venue


def _editor() -> Any:
    user = api_user()
    assert user is not None  # token_required
    if user.role not in (Role.ADMIN, Role.ORGANISER):
        raise ApiProblem(403, "forbidden", _("Only organisers state venues' facts"))
    return user


def _valid_form(payload: dict[str, Any], partial: bool) -> VenueForm:
    formdata, errors = object_formdata(payload, VENUE_INPUT_KEYS)
    form = VenueForm(formdata=formdata, meta={"csrf": False})
    if partial:  # PATCH: only the fields sent are checked and changed
        for name in list(form._fields):
            if name not in formdata:
                del form[name]
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    return form


@bp.get("")
def list_venues() -> ResponseReturnValue:
    """Every venue with its facts."""
    return jsonify({"venues": [venue_json(venue) for venue in services.venues()]})


@bp.get("/<int:venue_id>")
def get_venue(venue_id: int) -> ResponseReturnValue:
    """One venue with its facts."""
    return jsonify(venue_json(_venue_or_404(venue_id)))


@bp.post("")
@token_required
def create_venue() -> ResponseReturnValue:
    """Organisers add a venue."""
    user = _editor()
    form = _valid_form(json_object(), partial=False)
    venue = services.create_venue(form.values(), user)
    return jsonify(venue_json(venue)), 201, {
        "Location": url_for(".get_venue", venue_id=venue.id)}


@bp.patch("/<int:venue_id>")
@token_required
def update_venue(venue_id: int) -> ResponseReturnValue:
    """Change some facts; every event held there shows them."""
    user = _editor()
    venue = _venue_or_404(venue_id)
    form = _valid_form(json_object(), partial=True)
    services.update_venue(venue, form.values(), user)
    return jsonify(venue_json(venue))

