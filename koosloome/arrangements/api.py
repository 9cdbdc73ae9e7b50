"""Arrangements and volunteers in the JSON API (staff tokens, scoped like the back office):
/api/v1/events/<id>/arrangements and /api/v1/volunteers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from koosloome.accounts.models import Role, User
from koosloome.arrangements import services, volunteers
from koosloome.arrangements.forms import ArrangementForm, VolunteerForm
from koosloome.arrangements.kinds import KIND_LABELS
from koosloome.arrangements.models import ArrangementKind, Volunteer
from koosloome.events.models import Event
from koosloome.extensions import csrf
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

bp = Blueprint("arrangements_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())



ARRANGEMENT_KEYS = form_keys(ArrangementForm)
VOLUNTEER_KEYS = form_keys(VolunteerForm)
_TEXT = (str,)
ARRANGEMENT_TYPES = {"status": _TEXT, "reason": _TEXT, "supplier": _TEXT, "note": _TEXT,
                     "responsible_id": (int,), "volunteer_id": (int,), "cost": (str, int, float)}
VOLUNTEER_TYPES = {"name": _TEXT, "phone": _TEXT, "email": _TEXT, "can_help_with": _TEXT,
                   "active": (bool,), "consent": (bool,)}


def _label(kind: ArrangementKind, language: str) -> str:
    with force_locale(language):
        return str(KIND_LABELS[kind])


def line_json(line: services.ArrangementLine) -> dict[str, Any]:
    """One arrangement line as JSON (counts, never names of those who asked)."""
    arrangement = line.arrangement
    responsible = arrangement.responsible if arrangement else None
    return {
        "kind": line.kind.value,
        "label_et": _label(line.kind, "et"),
        "label_en": _label(line.kind, "en"),
        "people": line.people,
        "waiting": line.waiting,
        "status": line.status.value,
        "responsible": {"id": responsible.id, "name": responsible.name} if responsible else None,
        "volunteer_id": arrangement.volunteer_id if arrangement else None,
        "supplier": arrangement.supplier if arrangement else "",
        "cost": str(arrangement.cost) if arrangement and arrangement.cost is not None else None,
        "note": arrangement.note if arrangement else "",
        "reason": arrangement.reason if arrangement else "",
    }


def _organiser() -> User:
    user = api_user()
    assert user is not None  # token_required
    if user.role not in (Role.ADMIN, Role.ORGANISER):
        raise ApiProblem(403, "forbidden", _("Only organisers keep volunteers"))
    return user


def _kind_or_404(kind: str) -> ArrangementKind:
    try:
        return ArrangementKind(kind)
    except ValueError:
        raise ApiProblem(404, "not_found", _("No such kind of arrangement")) from None


def _arrangements_json(event: Event) -> dict[str, Any]:
    lines = services.lines(event)
    progress = services.progress(lines)
    return {"event_id": event.id,
            "progress": {"arranged": progress.arranged, "total": progress.total,
                         "open": progress.open, "impossible": progress.impossible},
            "arrangements": [line_json(line) for line in lines]}


@bp.get("/events/<int:event_id>/arrangements")
@token_required
def list_arrangements(event_id: int) -> ResponseReturnValue:
    """What the event's participants asked for (counts), and what is arranged."""
    return jsonify(_arrangements_json(managed_event(event_id)))


@bp.patch("/events/<int:event_id>/arrangements/<kind>")
@token_required
def update_arrangement(event_id: int, kind: str) -> ResponseReturnValue:
    """Change what was done about one kind of need (only the fields sent)."""
    event = managed_event(event_id)
    arrangement_kind = _kind_or_404(kind)
    payload = json_object()
    formdata, errors = object_formdata(payload, ARRANGEMENT_KEYS)
    errors.update(wrong_types(payload, ARRANGEMENT_TYPES))
    for name, value in payload.items():
        if value is None and name in ARRANGEMENT_KEYS:  # null clears the field
            formdata[name] = ""
    form = ArrangementForm(formdata=formdata, meta={"csrf": False})
    form.set_people(services.staff_choices(event), services.volunteer_choices(event))
    for name in list(form._fields):
        if name not in formdata:
            del form[name]
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    user = api_user()
    assert user is not None
    services.update(event, arrangement_kind, form.values(only=set(formdata)), user)
    line = next(line for line in services.lines(event) if line.kind is arrangement_kind)
    return jsonify(line_json(line))


def volunteer_json(volunteer: Volunteer) -> dict[str, Any]:
    """A volunteer as JSON."""
    return {"id": volunteer.id, "name": volunteer.name, "phone": volunteer.phone,
            "email": volunteer.email, "can_help_with": volunteer.can_help_with,
            "active": volunteer.active, "consent_at": volunteer.consent_at.isoformat()}


@bp.get("/volunteers")
@token_required
def list_volunteers() -> ResponseReturnValue:
    """The volunteers of the token's partner."""
    user = _organiser()
    return jsonify({"volunteers": [volunteer_json(v) for v in volunteers.of_partner(user)]})


@bp.post("/volunteers")
@token_required
def create_volunteer() -> ResponseReturnValue:
    """Add a volunteer of the token's partner; ``consent`` must be true."""
    user = _organiser()
    payload = json_object()
    formdata, errors = object_formdata(payload, VOLUNTEER_KEYS)
    errors.update(wrong_types(payload, VOLUNTEER_TYPES))
    for name in ("consent", "active"):  # JSON true/false, not the forms' yes/no
        value = payload.get(name, name == "active")
        formdata.pop(name, None)
        if value is True:
            formdata[name] = "y"
        elif value is None:
            errors[name] = [_("Has the wrong type")]
    form = VolunteerForm(formdata=formdata, meta={"csrf": False})
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})
    return jsonify(volunteer_json(volunteers.create(form.values(), user))), 201
