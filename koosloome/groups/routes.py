"""Registering a group (``/events/<slug>/group``) and the contact's group page (``/g/<token>``),
both without an account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from koosloome.db import late_write_lock
from koosloome.events import services as event_services
from koosloome.extensions import limiter
from koosloome.groups import services
from koosloome.groups.forms import DEFAULT_PEOPLE, GroupForm
from koosloome.groups.links import group_for_token
from koosloome.groups.models import RegistrationGroup
from koosloome.i18n import current_language
from koosloome.ratelimits import registration_rate_limit
from koosloome.registrations.services import RegistrationClosed
from koosloome.seating import counts

bp = Blueprint("groups", __name__)


@bp.after_request
def _private(response):
    """Group pages hold personal data: never cached, never indexed."""
    if request.path.startswith("/g/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _people_asked() -> int:
    raw = request.args.get("people", "")
    number = int(raw) if raw.isdigit() else DEFAULT_PEOPLE
    return min(max(number, 1), services.MAX_MEMBERS)


def _closed(event) -> ResponseReturnValue:
    return render_template("registrations/closed.html", event=event,
                           availability=counts.availability([event])[event.id])


@bp.route("/events/<slug>/group", methods=["GET", "POST"])
@late_write_lock
@limiter.limit(registration_rate_limit, methods=["POST"])
def register(slug: str) -> ResponseReturnValue:
    """The group form; on success, the group page."""
    event = event_services.public_event(slug)
    if event is None:
        abort(404)
    if counts.registration_state(event) is not counts.RegistrationState.OPEN:
        return _closed(event)
    if request.method == "GET":
        form = GroupForm(formdata=None, data={"language": current_language(),
                                              "members": [{}] * _people_asked()})
    else:
        form = GroupForm()
        if "add_person" in request.form:
            # Another fieldset, and everything typed so far shown again (no errors yet).
            if len(form.members) < services.MAX_MEMBERS:
                form.members.append_entry()
            return _form_page(event, form, focus=len(form.members) - 1)
        if form.validate_on_submit():
            try:
                outcome = services.register_group(event, form.to_data())
            except RegistrationClosed:
                return _closed(event)
            except services.InvalidGroup as error:
                form.add_rule_errors(error.errors)
            else:
                return redirect(url_for(".manage", token=outcome.token, new=1))
    return _form_page(event, form)


def _form_page(event, form: GroupForm, focus: int | None = None) -> ResponseReturnValue:
    status = 422 if form.has_errors() else 200
    availability = counts.availability([event])[event.id]
    return render_template("groups/form.html", event=event, gform=form, focus=focus,
                           availability=availability, max_members=services.MAX_MEMBERS), status


def _group_or_404(token: str) -> RegistrationGroup:
    group = group_for_token(token)
    if group is None:
        abort(404)
    return group


@bp.get("/g/<token>")
def manage(token: str) -> str:
    """The contact's page: everyone in the group, their places, links to change each."""
    group = _group_or_404(token)
    members = [(member, counts.waitlist_position(member)) for member in group.members]
    return render_template("groups/manage.html", group=group, event=group.event, token=token,
                           members=members, active=services.active_members(group),
                           just_registered=request.args.get("new") == "1")


@bp.route("/g/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str) -> ResponseReturnValue:
    """Ask to confirm, then cancel everyone's places: the seats go to the waiting list."""
    group = _group_or_404(token)
    if not services.active_members(group):
        return redirect(url_for(".manage", token=token))
    if request.method == "POST":
        services.cancel_group(group)
        flash(_("Everyone's places in the group are cancelled."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("groups/cancel.html", group=group, event=group.event, token=token,
                           active=services.active_members(group))
