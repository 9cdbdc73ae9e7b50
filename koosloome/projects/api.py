"""The project and its money in the JSON API: the record, budgets, lines and targets (read
by admins and organisers, changed by admins), the plan against actual, the indicators, and
the cost ledger (organisers for their own partner, admins for both)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from koosloome.accounts.models import Organisation, Role, User
from koosloome.accounts.permissions import managed_by
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import csrf, db
from koosloome.files.services import send_stored_file
from koosloome.files.uploads import accepts_upload
from koosloome.json_api import (
    ApiProblem,
    api_user,
    field_errors,
    form_keys,
    json_object,
    object_formdata,
    wrong_types,
)
from koosloome.projects import costs as ledger
from koosloome.projects import services
from koosloome.projects.budget import PartnerFigures, budget_figures, spent_by_line
from koosloome.projects.forms import (
    BudgetLineForm,
    CostForm,
    PartnerBudgetForm,
    ProjectForm,
    TargetsForm,
)
from koosloome.projects.models import BudgetLine, Cost, Indicator, Project, ProjectPartner

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiProblem, lambda problem: problem.response())

TEXT, DAY, ID, MONEY = (str,), (str,), (int,), (int, float, str)
PROJECT_TYPES = {"name_et": TEXT, "name_en": TEXT, "code": TEXT, "starts_on": DAY,
                 "ends_on": DAY, "lead_partner_id": ID, "note_et": TEXT, "note_en": TEXT}
BUDGET_TYPES = {"budget": MONEY, "leader_support": MONEY}
LINE_TYPES = {"name_et": TEXT, "name_en": TEXT, "planned": MONEY, "event_kind": TEXT}
COST_TYPES = {"spent_on": DAY, "amount": MONEY, "category": TEXT, "organisation_id": ID,
              "budget_line_id": ID, "event_id": ID, "supplier": TEXT, "note": TEXT}


def staff_token_user(*, admin: bool = False) -> User:
    """The token's user: admins (and organisers unless ``admin``); 401 or 403 else."""
    user = api_user()
    if user is None:
        raise ApiProblem(401, "unauthorized", _("A valid API token is required."))
    if user.role not in ((Role.ADMIN,) if admin else (Role.ADMIN, Role.ORGANISER)):
        raise ApiProblem(403, "forbidden", _("You may not do this"))
    return user


def recorded_project() -> Project:
    """The project, or 404."""
    project = services.the_project()
    if project is None:
        raise ApiProblem(404, "not_found", _("No project is recorded yet"))
    return project


def _amount(value: Any) -> str | None:
    return None if value is None else str(value)


def line_json(line: BudgetLine) -> dict[str, Any]:
    """A budget line as JSON."""
    return {"id": line.id, "name_et": line.name_et, "name_en": line.name_en,
            "planned": str(line.planned),
            "event_kind": line.event_kind.value if line.event_kind else None}


def partner_json(partner: ProjectPartner) -> dict[str, Any]:
    """A partner's part as JSON."""
    return {"id": partner.id, "organisation_id": partner.organisation_id,
            "organisation": partner.organisation.short_name, "budget": str(partner.budget),
            "leader_support": _amount(partner.leader_support),
            "own_contribution": _amount(partner.own_contribution),
            "lines": [line_json(line) for line in partner.lines]}


def project_json(project: Project) -> dict[str, Any]:
    """The project record as JSON."""
    return {"id": project.id, "name_et": project.name_et, "name_en": project.name_en,
            "code": project.code, "starts_on": project.starts_on.isoformat(),
            "ends_on": project.ends_on.isoformat(), "lead_partner_id": project.lead_partner_id,
            "note_et": project.note_et, "note_en": project.note_en,
            "partners": [partner_json(partner) for partner in project.partners],
            "targets": {t.indicator.value: t.target for t in project.targets}}


def _validated(form_class: type, payload: dict[str, Any], types: dict[str, tuple[type, ...]],
               current: dict[str, Any], **form_kwargs: Any) -> Any:
    """The form bound to the stored values overlaid with the payload, validated (422)."""
    formdata, errors = object_formdata(payload, form_keys(form_class))
    errors.update(wrong_types(payload, types))
    merged = MultiDict({name: "" if value is None else str(value)
                        for name, value in current.items()})
    for name in form_keys(form_class):
        if name in payload:
            merged[name] = formdata.get(name, "")
    return form_class(formdata=merged, meta={"csrf": False}, **form_kwargs), errors


def _check(form: Any, errors: dict[str, list[str]]) -> None:
    if not form.validate() or errors:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {**field_errors(form), **errors})


@bp.get("/project")
def get_project() -> ResponseReturnValue:
    """The project record: partners, budgets, lines and targets."""
    staff_token_user()
    return jsonify(project_json(recorded_project()))


@bp.patch("/project")
def change_project() -> ResponseReturnValue:
    """Change the project record (admins); what is left out stays."""
    user = staff_token_user(admin=True)
    project = recorded_project()
    current = {"name_et": project.name_et, "name_en": project.name_en, "code": project.code,
               "starts_on": project.starts_on.isoformat(),
               "ends_on": project.ends_on.isoformat(),
               "lead_partner_id": project.lead_partner_id, "note_et": project.note_et,
               "note_en": project.note_en}
    form, errors = _validated(ProjectForm, json_object(), PROJECT_TYPES, current)
    form.set_partners(list(db.session.scalars(select(Organisation))))
    _check(form, errors)
    _save(lambda: services.save_project(form.values(), user, project))
    return jsonify(project_json(project))


def _save(action: Any) -> Any:
    try:
        return action()
    except InvalidFields as invalid:
        raise ApiProblem(422, "invalid", _("Some fields are not right"), invalid.errors) from None


def _partner(project: Project, partner_id: int) -> ProjectPartner:
    partner = next((p for p in project.partners if p.id == partner_id), None)
    if partner is None:
        raise ApiProblem(404, "not_found", _("No such partner"))
    return partner


@bp.patch("/project/partners/<int:partner_id>")
def change_partner_budget(partner_id: int) -> ResponseReturnValue:
    """A partner's budget and LEADER support (admins)."""
    user = staff_token_user(admin=True)
    partner = _partner(recorded_project(), partner_id)
    form, errors = _validated(PartnerBudgetForm, json_object(), BUDGET_TYPES, {
        "budget": partner.budget, "leader_support": partner.leader_support})
    _check(form, errors)
    _save(lambda: services.save_partner_budget(partner, form.budget.data,
                                               form.leader_support.data, user))
    return jsonify(partner_json(partner))


@bp.post("/project/partners/<int:partner_id>/lines")
def add_line(partner_id: int) -> ResponseReturnValue:
    """Add a budget line to a partner (admins)."""
    user = staff_token_user(admin=True)
    partner = _partner(recorded_project(), partner_id)
    form, errors = _validated(BudgetLineForm, json_object(), LINE_TYPES, {})
    _check(form, errors)
    line = _save(lambda: services.save_line(partner, form.values(), user))
    return jsonify(line_json(line)), 201


def _line(line_id: int) -> BudgetLine:
    line = services.find_line(recorded_project(), line_id)
    if line is None:
        raise ApiProblem(404, "not_found", _("No such budget line"))
    return line


@bp.patch("/project/lines/<int:line_id>")
def change_line(line_id: int) -> ResponseReturnValue:
    """Change a budget line (admins)."""
    user = staff_token_user(admin=True)
    line = _line(line_id)
    form, errors = _validated(BudgetLineForm, json_object(), LINE_TYPES, {
        "name_et": line.name_et, "name_en": line.name_en, "planned": line.planned,
        "event_kind": line.event_kind.value if line.event_kind else ""})
    _check(form, errors)
    _save(lambda: services.save_line(line.partner, form.values(), user, line))
    return jsonify(line_json(line))


@bp.delete("/project/lines/<int:line_id>")
def delete_line(line_id: int) -> ResponseReturnValue:
    """Remove a budget line; its costs stay, on no line (admins)."""
    user = staff_token_user(admin=True)
    ledger.remove_line(_line(line_id), user)
    return "", 204


def figures_json(figures: PartnerFigures) -> dict[str, Any]:
    """A partner's plan against actual as JSON."""
    return {"organisation_id": figures.partner.organisation_id,
            "planned": str(figures.planned), "actual": str(figures.actual),
            "remaining": str(figures.remaining),
            "leader_support_planned": _amount(figures.partner.leader_support),
            "leader_support_actual": _amount(figures.leader_actual),
            "own_contribution_planned": _amount(figures.partner.own_contribution),
            "own_contribution_actual": _amount(figures.own_actual),
            "lines": [{"id": line.line.id if line.line else None, "name": line.name,
                       "planned": str(line.planned), "actual": str(line.actual),
                       "remaining": str(line.remaining)} for line in figures.lines]}


@bp.get("/project/budget")
def get_budget() -> ResponseReturnValue:
    """Each partner's budget against the costs spent in the project's period."""
    staff_token_user()
    project = recorded_project()
    return jsonify({"starts_on": project.starts_on.isoformat(),
                    "ends_on": project.ends_on.isoformat(),
                    "partners": [figures_json(f) for f in budget_figures(
                        project, spent_by_line(project))]})


@bp.put("/project/indicators")
def set_targets() -> ResponseReturnValue:
    """The indicators' targets (admins): every indicator, a number or null."""
    user = staff_token_user(admin=True)
    project = recorded_project()
    payload = json_object()
    known = {indicator.value for indicator in Indicator}
    errors = {key: [_("Unknown field")] for key in payload if key not in known}
    errors.update(wrong_types(payload, {key: (int,) for key in known}))
    form = TargetsForm(formdata=MultiDict({key: str(value) for key, value in payload.items()
                                           if key in known and value is not None}),
                       meta={"csrf": False})
    _check(form, errors)
    services.set_targets(project, form.targets(), user)
    return jsonify(project_json(project)["targets"])


# --- costs ---------------------------------------------------------------------------------


def cost_json(cost: Cost) -> dict[str, Any]:
    """A cost as JSON."""
    return {"id": cost.id, "spent_on": cost.spent_on.isoformat(), "amount": str(cost.amount),
            "category": cost.category.value, "organisation_id": cost.organisation_id,
            "budget_line_id": cost.budget_line_id, "event_id": cost.event_id,
            "arrangement_id": cost.arrangement_id, "supplier": cost.supplier,
            "note": cost.note,
            "document": None if cost.document is None else {
                "name": cost.document.original_name,
                "content_type": cost.document.content_type, "size": cost.document.size}}


def _cost_form(user: User, project: Project | None, payload: dict[str, Any],
               current: dict[str, Any]) -> CostForm:
    form, errors = _validated(CostForm, payload, COST_TYPES, current)
    partners = ledger.partner_choices(user, project)
    events = db.session.scalars(select(Event).where(managed_by(user)))
    form.set_choices(partners, [line for p in partners for line in p.lines],
                     [(event, event.title_et) for event in events], lambda line: line.name_et)
    _check(form, errors)
    return form


def _day(name: str) -> date | None:
    text = request.args.get(name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {name: [_("Enter the date as YYYY-MM-DD")]}) from None


@bp.get("/costs")
def list_costs() -> ResponseReturnValue:
    """The costs the token's user may see (``organisation_id``, ``start``, ``end``)."""
    user = staff_token_user()
    organisation = None
    if "organisation_id" in request.args:
        text = request.args["organisation_id"]
        if not (text.isascii() and text.isdigit()):
            raise ApiProblem(422, "invalid", _("Some fields are not right"),
                             {"organisation_id": [_("Has the wrong type")]})
        organisation = int(text)
    costs = ledger.visible_costs(user, ledger.CostFilter(organisation, _day("start"),
                                                         _day("end")))
    summary = ledger.summarise(costs)
    return jsonify({"total": str(summary.total), "costs": [cost_json(c) for c in costs]})


@bp.post("/costs")
def add_cost() -> ResponseReturnValue:
    """Record a cost; the partner defaults to the user's, the line to the usual one."""
    user = staff_token_user()
    project = services.the_project()
    form = _cost_form(user, project, json_object(), {
        "organisation_id": user.organisation_id, "spent_on": ledger.today().isoformat(),
        "category": "other"})
    cost = _save(lambda: ledger.add_cost(form.values(), user, project))
    return jsonify(cost_json(cost)), 201


def _cost(user: User, cost_id: int) -> Cost:
    cost = ledger.find_cost(user, cost_id)
    if cost is None:
        raise ApiProblem(404, "not_found", _("No such cost"))
    return cost


@bp.get("/costs/<int:cost_id>")
def get_cost(cost_id: int) -> ResponseReturnValue:
    """One cost."""
    return jsonify(cost_json(_cost(staff_token_user(), cost_id)))


@bp.patch("/costs/<int:cost_id>")
def change_cost(cost_id: int) -> ResponseReturnValue:
    """Change a cost; what is left out stays."""
    user = staff_token_user()
    cost = _cost(user, cost_id)
    project = services.the_project()
    form = _cost_form(user, project, json_object(), cost_json(cost))
    _save(lambda: ledger.update_cost(cost, form.values(), user, project))
    return jsonify(cost_json(cost))


@bp.delete("/costs/<int:cost_id>")
def delete_cost(cost_id: int) -> ResponseReturnValue:
    """Take back a cost entered by mistake."""
    user = staff_token_user()
    ledger.remove_cost(_cost(user, cost_id), user)
    return "", 204


@bp.put("/costs/<int:cost_id>/document")
@accepts_upload
def put_document(cost_id: int) -> ResponseReturnValue:
    """Attach the invoice or receipt (multipart ``file``), replacing one attached before."""
    user = staff_token_user()
    cost = _cost(user, cost_id)
    upload = request.files.get("file")
    if not ledger.has_upload(upload):
        raise ApiProblem(422, "invalid", _("Some fields are not right"),
                         {"file": [_("Choose a file")]})
    ledger.attach_document(cost, upload, user)  # refused: 413, 415 or 422 with the reason
    return jsonify(cost_json(cost))


@bp.get("/costs/<int:cost_id>/document")
def get_document(cost_id: int) -> ResponseReturnValue:
    """The cost's invoice or receipt."""
    cost = _cost(staff_token_user(), cost_id)
    if cost.document is None:
        raise ApiProblem(404, "not_found", _("No document"))
    return send_stored_file(cost.document)
