"""The selection in the back office: applications side by side and ranked, one application's
review, the criteria and shares, and sending the decisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import managed_event_or_abort, staff_required
from koosloome.errors import InvalidFields
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.form_fields import show_rule_errors
from koosloome.i18n import current_language
from koosloome.registrations.choices import COUNTIES, SECTORS
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.registrations.summary import answers_by_question
from koosloome.seating.quotas import quotas
from koosloome.selection import services, settings
from koosloome.selection.forms import CriterionForm, quota_form, review_form
from koosloome.selection.ranking import applicants, balance

bp = Blueprint("selection", __name__, url_prefix="/admin/events")
ORGANISERS = (Role.ADMIN, Role.ORGANISER)
#: The most applications the side-by-side view puts next to each other.
COMPARE_AT_MOST = 4


def _labels() -> dict[str, dict]:
    return {"counties": dict(COUNTIES), "sectors": dict(SECTORS),
            "partners": {o.id: o for o in settings.partners()}}


@bp.get("/<int:event_id>/selection")
@staff_required(*ORGANISERS)
def overview(event_id: int) -> str:
    """Every application ranked by its score, with the balance of the chosen group."""
    event = managed_event_or_abort(event_id)
    everyone = applicants(event, current_user.id)
    return render_template("selection/overview.html", event=event, applicants=everyone,
                           balance=balance(event, everyone),
                           criteria=settings.criteria(event.id), **_labels())


@bp.get("/<int:event_id>/selection/compare")
@staff_required(*ORGANISERS)
def compare(event_id: int) -> ResponseReturnValue:
    """Up to four applications side by side: answers, facts and scores."""
    event = managed_event_or_abort(event_id)
    wanted = set(request.args.getlist("r", type=int))
    chosen = applicants(event, current_user.id, only=wanted)
    if len(chosen) < 2 or len(chosen) > COMPARE_AT_MOST:
        flash(_("Tick from two to %(most)s applications to compare.", most=COMPARE_AT_MOST),
              "error")
        return redirect(url_for(".overview", event_id=event.id))
    language = current_language()
    return render_template("selection/compare.html", event=event, applicants=chosen,
                           criteria=settings.criteria(event.id),
                           answers={a.registration.id: answers_by_question(a.registration,
                                                                           language)
                                    for a in chosen},
                           questions=sorted(event.questions, key=lambda q: q.position),
                           **_labels())


def _application_or_404(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


@bp.route("/<int:event_id>/selection/<int:registration_id>", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def review(event_id: int, registration_id: int) -> ResponseReturnValue:
    """One application: its answers, and the reviewer's scores and the organisers' review."""
    event = managed_event_or_abort(event_id)
    registration = _application_or_404(event, registration_id)
    criteria = settings.criteria(event.id)
    everyone = applicants(event, current_user.id)
    applicant = next((a for a in everyone if a.registration.id == registration.id), None)
    if applicant is None:  # withdrawn, rejected or lapsed: nothing to choose
        abort(404)
    data = {f"score_{cid}": str(score) for cid, score in applicant.mine.items()}
    if applicant.review is not None:
        data.update(partner_id=str(applicant.review.partner_id or ""),
                    shortlisted=applicant.review.shortlisted, note=applicant.review.note)
    form = review_form(criteria, settings.partners(), current_language(),
                       can_shortlist=registration.status is RegistrationStatus.PENDING,
                       data=data, obj=applicant.review)
    if form.validate_on_submit():
        try:
            services.save_review(registration, current_user, form.values())
        except InvalidFields as invalid:
            show_rule_errors(form, invalid.errors)
        else:
            flash(_("The review is saved."), "success")
            return redirect(_next_url(event, everyone, registration.id))
    return render_template("selection/review.html", event=event, applicant=applicant,
                           form=form, criteria=criteria,
                           answers=answers_by_question(registration, current_language()),
                           questions=sorted(event.questions, key=lambda q: q.position),
                           **_labels()), 422 if form.errors else 200


def _next_url(event: Event, everyone: list, done_id: int) -> str:
    """The next application this reviewer has not scored yet, or the overview."""
    for applicant in everyone:
        if (applicant.registration.id != done_id and not applicant.mine
                and applicant.registration.status is RegistrationStatus.PENDING):
            return url_for(".review", event_id=event.id,
                           registration_id=applicant.registration.id)
    return url_for(".overview", event_id=event.id)


@bp.route("/<int:event_id>/selection/settings", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def criteria_settings(event_id: int) -> ResponseReturnValue:
    """The criteria (and the form to add one) and the partners' shares."""
    event = managed_event_or_abort(event_id)
    form = CriterionForm()
    if form.validate_on_submit():
        settings.add_criterion(event, form.values(), current_user)
        flash(_("The criterion is added."), "success")
        return redirect(url_for(".criteria_settings", event_id=event.id))
    return _settings_page(event, form=form)


def _settings_page(event: Event, *, form: CriterionForm | None = None,
                   shares=None) -> ResponseReturnValue:
    organisations = settings.partners()
    current = quotas(event.id)
    shares = shares or quota_form(organisations, event.capacity, data={
        f"quota_{organisation_id}": seats for organisation_id, seats in current.items()})
    form = form or CriterionForm(formdata=None)
    return render_template("selection/settings.html", event=event, form=form, shares=shares,
                           criteria=settings.criteria(event.id), organisations=organisations), \
        422 if form.errors or shares.errors else 200


@bp.post("/<int:event_id>/selection/settings/quotas")
@staff_required(*ORGANISERS)
def save_quotas(event_id: int) -> ResponseReturnValue:
    """Agree the partners' shares of the seats."""
    event = managed_event_or_abort(event_id)
    shares = quota_form(settings.partners(), event.capacity)
    if shares.validate_on_submit():
        try:
            settings.set_quotas(event, shares.shares(), current_user)
        except InvalidFields as invalid:
            show_rule_errors(shares, invalid.errors)
        else:
            flash(_("The shares are saved."), "success")
            return redirect(url_for(".criteria_settings", event_id=event.id))
    return _settings_page(event, shares=shares)


@bp.route("/<int:event_id>/selection/settings/criteria/<int:criterion_id>/delete",
          methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def delete_criterion(event_id: int, criterion_id: int) -> ResponseReturnValue:
    """Ask, then drop a criterion with the scores given on it."""
    event = managed_event_or_abort(event_id)
    criterion = settings.find_criterion(event, criterion_id)
    if criterion is None:
        abort(404)
    if request.method == "GET":
        return render_template("selection/delete_criterion.html", event=event,
                               criterion=criterion, scores=settings.scores_given(criterion))
    settings.remove_criterion(event, criterion, current_user)
    flash(_("The criterion is removed."), "success")
    return redirect(url_for(".criteria_settings", event_id=event.id))


@bp.route("/<int:event_id>/selection/decisions", methods=["GET", "POST"])
@staff_required(*ORGANISERS)
def decisions(event_id: int) -> ResponseReturnValue:
    """What sending the decisions will do; the button sends them."""
    event = managed_event_or_abort(event_id)
    if request.method == "POST":
        try:
            plan = services.send_decisions(event, current_user)
        except services.DecisionsNotPossible:
            pass  # the page below shows why
        else:
            flash(_("The decisions are sent: %(chosen)s chosen, %(reserve)s on the reserve "
                    "list, of whom %(first)s got the seats left free.", chosen=len(plan.chosen),
                    reserve=len(plan.reserve), first=len(plan.from_reserve)), "success")
            return redirect(url_for(".overview", event_id=event.id))
    plan = services.plan_decisions(event)
    refused = request.method == "POST"
    return render_template("selection/decisions.html", event=event, plan=plan, refused=refused,
                           **_labels()), 409 if refused else 200
