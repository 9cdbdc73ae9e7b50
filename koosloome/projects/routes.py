"""The project's pages in the back office: its record, budgets, lines and targets (admins),
and the cost ledger (organisers, for their own partner; admins for both)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from koosloome.accounts.models import Organisation, Role
from koosloome.accounts.permissions import managed_by, staff_required
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.files.services import FileRefused, send_stored_file, upload_limit_mb
from koosloome.files.uploads import accepts_upload
from koosloome.form_fields import show_rule_errors
from koosloome.i18n import format_date
from koosloome.projects import costs as ledger
from koosloome.projects import services
from koosloome.projects.budget import LineFigures
from koosloome.projects.forms import (
    BudgetLineForm,
    CostFilterForm,
    CostForm,
    PartnerBudgetForm,
    ProjectForm,
    TargetsForm,
)
from koosloome.projects.labels import COST_LABELS, INDICATOR_LABELS
from koosloome.projects.models import BudgetLine, Cost, Project

bp = Blueprint("projects", __name__, url_prefix="/admin")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)


def line_name(line: BudgetLine) -> str:
    """"TAS: Inspiration seminars" in the reader's language."""
    return f"{line.partner.organisation.short_name}: {LineFigures(line, 0, 0).name}"


def _project_or_404() -> Project:
    project = services.the_project()
    if project is None:
        abort(404)
    return project


# --- the record (admins) -----------------------------------------------------------------


@bp.route("/project/settings", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def settings() -> ResponseReturnValue:
    """The project's record, each partner's budget and lines, and the targets."""
    project = services.the_project()
    form = ProjectForm(obj=project, data={"lead_partner_id": str(
        project.lead_partner_id or "") if project else ""})
    form.set_partners(list(db.session.scalars(select(Organisation).order_by(Organisation.id))))
    if form.validate_on_submit():
        try:
            services.save_project(form.values(), current_user, project)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The project is saved."), "success")
            return redirect(url_for(".settings"))
    budgets = {partner.id: PartnerBudgetForm(prefix=f"p{partner.id}", obj=partner)
               for partner in (project.partners if project else [])}
    targets = TargetsForm(data={t.indicator.value: t.target
                                for t in (project.targets if project else [])})
    return render_template("projects/settings.html", project=project, form=form,
                           budgets=budgets, targets=targets, labels=INDICATOR_LABELS), \
        422 if form.errors else 200


@bp.post("/project/partners/<int:partner_id>")
@staff_required(Role.ADMIN)
def partner_budget(partner_id: int) -> ResponseReturnValue:
    """A partner's budget and LEADER support."""
    project = _project_or_404()
    partner = next((p for p in project.partners if p.id == partner_id), None)
    if partner is None:
        abort(404)
    form = PartnerBudgetForm(prefix=f"p{partner.id}")
    if form.validate_on_submit():
        try:
            services.save_partner_budget(partner, form.budget.data, form.leader_support.data,
                                         current_user)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The budget of %(partner)s is saved.", partner=partner.organisation.name),
                  "success")
            return redirect(url_for(".settings"))
    return render_template("projects/partner_budget.html", project=project, partner=partner,
                           form=form), 422


@bp.route("/project/partners/<int:partner_id>/lines", methods=["GET", "POST"])
@bp.route("/project/lines/<int:line_id>", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def budget_line(partner_id: int | None = None, line_id: int | None = None) -> ResponseReturnValue:
    """Add a line to a partner's budget, or change one."""
    project = _project_or_404()
    line = services.find_line(project, line_id) if line_id is not None else None
    partner = line.partner if line is not None else next(
        (p for p in project.partners if p.id == partner_id), None)
    if partner is None or (line_id is not None and line is None):
        abort(404)
    form = BudgetLineForm(obj=line, data={"event_kind": line.event_kind.value
                                          if line and line.event_kind else ""})
    if form.validate_on_submit():
        try:
            services.save_line(partner, form.values(), current_user, line)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The budget line is saved."), "success")
            return redirect(url_for(".settings"))
    return render_template("projects/line.html", project=project, partner=partner, line=line,
                           form=form), 422 if form.errors else 200


@bp.route("/project/lines/<int:line_id>/delete", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def delete_line(line_id: int) -> ResponseReturnValue:
    """Ask, then remove a budget line (its costs stay, on no line)."""
    project = _project_or_404()
    line = services.find_line(project, line_id)
    if line is None:
        abort(404)
    if request.method == "GET":
        return render_template("projects/delete_line.html", line=line,
                               name=line_name(line), costs=ledger.costs_on_line(line))
    ledger.remove_line(line, current_user)
    flash(_("The budget line is removed."), "success")
    return redirect(url_for(".settings"))


@bp.post("/project/targets")
@staff_required(Role.ADMIN)
def targets() -> ResponseReturnValue:
    """The indicators' targets."""
    project = _project_or_404()
    form = TargetsForm()
    if form.validate_on_submit():
        services.set_targets(project, form.targets(), current_user)
        flash(_("The targets are saved."), "success")
        return redirect(url_for(".settings"))
    return render_template("projects/targets.html", project=project, targets=form,
                           labels=INDICATOR_LABELS), 422


# --- the ledger ----------------------------------------------------------------------------


def _event_choices() -> list[tuple[Event, str]]:
    events = db.session.scalars(select(Event).where(managed_by(current_user))
                                .order_by(Event.starts_at.desc()))
    return [(event, f"{format_date(event.starts_at)} {event.title_et}") for event in events]


def _cost_form(project: Project | None, **kwargs: Any) -> CostForm:
    form = CostForm(**kwargs)
    partners = ledger.partner_choices(current_user, project)
    lines = [line for partner in partners for line in partner.lines]
    form.set_choices(partners, lines, _event_choices(), line_name)
    return form


def cost_filter(form: CostFilterForm) -> ledger.CostFilter:
    """The ledger's filter as the service takes it (a wrong field: left out)."""
    partner = form.partner.data if not form.errors else None
    return ledger.CostFilter(
        organisation_id=int(partner) if partner and partner.isascii() and partner.isdigit()
        else None,
        start=form.start.data if not form.errors else None,
        end=form.end.data if not form.errors else None)


def cost_filter_form(project: Project | None) -> CostFilterForm:
    """The ledger's filter from the query string: the partners the user may see."""
    form = CostFilterForm(formdata=request.args)
    form.partner.choices = [("", _("All I may see"))] + [
        (str(p.organisation_id), p.organisation.name)
        for p in ledger.partner_choices(current_user, project)]
    form.validate()
    return form


def _with_document(form: CostForm, cost: Cost) -> bool:
    """Keep the chosen invoice or receipt; False (the reason beside the field) when it is
    refused: the request then answers 422 and nothing of it is kept."""
    if not ledger.has_upload(form.document.data):
        return True
    try:
        ledger.attach_document(cost, form.document.data, current_user)
    except FileRefused as refused:
        form.document.errors = [*form.document.errors, refused.describe()]
        return False
    return True


@bp.route("/costs", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
@accepts_upload
def costs() -> ResponseReturnValue:
    """The costs entered, with their totals, and the form to add one (with its receipt)."""
    project = services.the_project()
    form = _cost_form(project, data={"spent_on": ledger.today(),
                                     "organisation_id": str(current_user.organisation_id)})
    if form.validate_on_submit():
        try:
            cost = ledger.add_cost(form.values(), current_user, project)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            if _with_document(form, cost):
                flash(_("The cost is added."), "success")
                return redirect(url_for(".costs", **request.args))
    filter_form = cost_filter_form(project)
    summary = ledger.summarise(ledger.visible_costs(current_user, cost_filter(filter_form)))
    return render_template("projects/costs.html", form=form, filter_form=filter_form,
                           summary=summary, labels=COST_LABELS, line_name=line_name,
                           query=request.args.to_dict(), limit_mb=upload_limit_mb()), \
        422 if form.errors else 200


def _cost_or_404(cost_id: int) -> Cost:
    cost = ledger.find_cost(current_user, cost_id)
    if cost is None:
        abort(404)
    return cost


@bp.route("/costs/<int:cost_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
@accepts_upload
def edit_cost(cost_id: int) -> ResponseReturnValue:
    """Change a cost (a typing slip, a line chosen wrongly)."""
    cost = _cost_or_404(cost_id)
    project = services.the_project()
    form = _cost_form(project, obj=cost, data={
        "organisation_id": str(cost.organisation_id),
        "budget_line_id": str(cost.budget_line_id or ""),
        "event_id": str(cost.event_id or ""), "category": cost.category.value})
    if form.validate_on_submit():
        values = form.values()
        values.setdefault("budget_line_id", None)
        try:
            ledger.update_cost(cost, values, current_user, project)
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            if _with_document(form, cost):
                flash(_("The cost is saved."), "success")
                return redirect(url_for(".costs"))
    return render_template("projects/cost.html", cost=cost, form=form, labels=COST_LABELS,
                           limit_mb=upload_limit_mb()), 422 if form.errors else 200


@bp.get("/costs/<int:cost_id>/document")
@staff_required(*ORGANISERS)
def cost_document(cost_id: int) -> ResponseReturnValue:
    """The cost's invoice or receipt, for those who see the cost."""
    cost = _cost_or_404(cost_id)
    if cost.document is None:
        abort(404)
    return send_stored_file(cost.document)


@bp.route("/costs/<int:cost_id>/delete", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def delete_cost(cost_id: int) -> ResponseReturnValue:
    """Ask, then take back a cost entered by mistake."""
    cost = _cost_or_404(cost_id)
    if request.method == "GET":
        return render_template("projects/delete_cost.html", cost=cost, labels=COST_LABELS)
    try:
        ledger.remove_cost(cost, current_user)
    except InvalidFields as refused:
        flash(refused.errors["amount"][0], "error")
        return redirect(url_for(".edit_cost", cost_id=cost.id))
    flash(_("The cost is removed."), "success")
    return redirect(url_for(".costs"))
