"""Group registrations in the JSON API (event managers' tokens): POST and GET
/api/v1/events/<id>/groups, GET /api/v1/groups/<id>.

A group posted here goes through the same form and rules as the public page, so the fields and
errors are the same (a person's errors under ``members-<n>-<field>``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from koosloome.accounts.permissions import can_manage_event
from koosloome.extensions import csrf, db
from koosloome.groups import services
from koosloome.groups.forms import GroupForm
from koosloome.groups.models import RegistrationGroup
from koosloome.i18n import current_language
from koosloome.json_api import (
    ApiProblem,
    Errors,
    api_user,
    json_object,
    managed_event,
    token_required,
    unknown_keys,
)
from koosloome.registrations.choices import NEEDS
from koosloome.registrations.models import RegistrationSource
from koosloome.seating.counts import waitlist_position

bp = Blueprint("groups_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

CONTACT_TEXT = ("contact_name", "contact_email", "contact_phone", "contact_organisation",
                "language")
DECLARATIONS = ("consent_declared", "health_declared")
MEMBER_TEXT = ("name", "email", "phone", "age_band", "needs_note", "allergies",
               "companion_name", "companion_needs", "transport_pickup")
MEMBER_FLAGS = ("companion", "transport_needed", "transport_wheelchair")
_NEED_FIELD = {need.code: ("diet" if need.group == "diet" else f"needs_{need.group}")
               for need in NEEDS}


def _add(data: MultiDict, errors: Errors, key: str, value: Any, *, flag: bool) -> None:
    if value is None:
        return
    if flag:
        if not isinstance(value, bool):
            errors.setdefault(key, []).append(_("Must be true or false"))
        elif value:
            data.add(key, "y")
    elif not isinstance(value, str):
        errors.setdefault(key, []).append(_("Must be text"))
    else:
        data.add(key, value)


def group_formdata(payload: dict[str, Any]) -> tuple[MultiDict, Errors]:
    """The form data of ``GroupForm`` from a JSON group, and type errors."""
    errors = unknown_keys(payload, (*CONTACT_TEXT, *DECLARATIONS, "members"))
    data: MultiDict = MultiDict()
    for key in CONTACT_TEXT:
        _add(data, errors, key, payload.get(key), flag=False)
    for key in DECLARATIONS:
        _add(data, errors, key, payload.get(key), flag=True)
    members = payload.get("members")
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        errors.setdefault("members", []).append(_("Must be a list of people"))
        return data, errors
    if len(members) > services.MAX_MEMBERS:
        errors.setdefault("members", []).append(_("At most %(num)d people in one group",
                                                  num=services.MAX_MEMBERS))
        return data, errors
    for index, member in enumerate(members):
        prefix = f"members-{index}-"
        for key, messages in unknown_keys(member, (*MEMBER_TEXT, *MEMBER_FLAGS, "needs")).items():
            errors[prefix + key] = messages
        for key in MEMBER_TEXT:
            _add(data, errors, prefix + key, member.get(key), flag=False)
        for key in MEMBER_FLAGS:
            _add(data, errors, prefix + key, member.get(key), flag=True)
        _add_needs(data, errors, prefix, member.get("needs"))
    return data, errors


def _add_needs(data: MultiDict, errors: Errors, prefix: str, needs: Any) -> None:
    if needs is None:
        return
    if not isinstance(needs, list) or not all(isinstance(code, str) for code in needs):
        errors.setdefault(prefix + "needs", []).append(_("Must be a list of codes"))
        return
    for code in needs:
        field = _NEED_FIELD.get(code)
        if field is None:
            errors.setdefault(prefix + "needs", []).append(_("Unknown need: %(code)s",
                                                             code=code))
        else:
            data.add(prefix + field, code)


def _form_errors(form: GroupForm) -> Errors:
    errors: Errors = {}
    for field in form.error_fields():
        if field.name == "members":
            errors["members"] = [str(m) for m in field.errors if isinstance(m, str)]
        else:
            errors[field.name] = [str(m) for m in field.errors]
    if form.form_errors:
        errors.setdefault("members", []).extend(str(m) for m in form.form_errors)
    return errors


def group_json(group: RegistrationGroup) -> dict[str, Any]:
    """A group as JSON: the contact, the declaration, each member's place (no health data:
    a member's needs are read through the registration, audited)."""
    return {
        "id": group.id, "event_id": group.event_id,
        "contact_name": group.contact_name, "contact_email": group.contact_email,
        "contact_phone": group.contact_phone,
        "contact_organisation": group.contact_organisation, "language": group.language,
        "declaration": group.declaration, "declared_at": group.declared_at.isoformat(),
        "manage_url": group.manage_url,
        "members": [{"registration_id": member.id, "name": member.name,
                     "email": member.email, "phone": member.phone,
                     "status": member.status.value,
                     "waitlist_position": waitlist_position(member),
                     "seats": member.seats} for member in group.members],
    }


@bp.post("/events/<int:event_id>/groups")
@token_required
def create_group(event_id: int) -> ResponseReturnValue:
    """Register a group (a contact who speaks for several people), as the public page does."""
    event = managed_event(event_id)
    formdata, errors = group_formdata(json_object())
    formdata.setdefault("language", current_language())
    form = GroupForm(formdata=formdata, meta={"csrf": False})
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**_form_errors(form), **errors})
    outcome = services.register_group(event, form.to_data(), RegistrationSource.API)
    return jsonify(group_json(outcome.group)), 201


@bp.get("/events/<int:event_id>/groups")
@token_required
def list_groups(event_id: int) -> ResponseReturnValue:
    """The groups registered for the event, newest first."""
    event = managed_event(event_id)
    return jsonify({"groups": [group_json(group) for group in services.event_groups(event)]})


@bp.get("/groups/<int:group_id>")
@token_required
def get_group(group_id: int) -> ResponseReturnValue:
    """One group."""
    group = db.session.get(RegistrationGroup, group_id)
    if group is None:
        raise ApiProblem(404, "not_found", _("No such group"))
    user = api_user()
    if user is None or not can_manage_event(user, group.event):
        raise ApiProblem(403, "forbidden", _("You may not manage this event"))
    return jsonify(group_json(group))
