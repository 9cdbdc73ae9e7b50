"""Staff accounts in the back office, for admins: list, create, edit, send a password link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from koosloome.accounts import staff
from koosloome.accounts.models import Role, User
from koosloome.accounts.permissions import can_administer, staff_required
from koosloome.accounts.services import EmailTaken
from koosloome.accounts.staff_forms import StaffUserForm
from koosloome.extensions import db
from koosloome.i18n import current_language

bp = Blueprint("users", __name__, url_prefix="/admin/users")
ROLE_LABELS = {"admin": _l("Administrator"), "organiser": _l("Organiser"),
               "facilitator": _l("Facilitator")}


@bp.before_request
def _admins_only() -> None:
    """Every view here is for admins (checked again by each view's decorator)."""
    if current_user.is_authenticated and not can_administer(current_user):
        abort(403)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _data(form: StaffUserForm) -> staff.StaffData:
    return staff.StaffData(name=form.name.data or "", email=form.email.data or "",
                           role=Role(form.role.data), organisation=form.organisation.data or "",
                           active=bool(form.active.data))


@bp.get("/")
@staff_required(Role.ADMIN)
def user_list() -> ResponseReturnValue:
    """Every staff account."""
    return render_template("users/list.html", users=staff.staff_list(), role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def create_user() -> ResponseReturnValue:
    """Add an account; its owner gets an e-mail to set a password."""
    form = StaffUserForm()
    if request.method == "GET":
        form.organisation.data = current_user.organisation.slug
    if form.validate_on_submit():
        try:
            user = staff.create_staff_user(_data(form), current_user, current_language())
        except EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address"))
        else:
            flash(_("Account created. %(name)s has been sent a link to set a password.",
                    name=user.name), "success")
            return redirect(url_for(".user_list"))
    status = 422 if form.errors else 200
    return render_template("users/form.html", form=form, user=None), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change an account's name, e-mail, role, organisation or whether it may sign in."""
    user = _user_or_404(user_id)
    if request.method == "POST":
        form = StaffUserForm()
    else:
        form = StaffUserForm(formdata=None, data={
            "name": user.name, "email": user.email, "role": user.role.value,
            "organisation": user.organisation.slug, "active": user.active})
    if form.validate_on_submit():
        try:
            staff.update_staff_user(user, _data(form), current_user)
        except EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address"))
        except staff.LockedOut:
            form.form_errors.append(
                _("You cannot take away your own administrator role or deactivate yourself"))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".user_list"))
    status = 422 if form.errors else 200
    return render_template("users/form.html", form=form, user=user), status


@bp.post("/<int:user_id>/password-link")
@staff_required(Role.ADMIN)
def send_password_link(user_id: int) -> ResponseReturnValue:
    """E-mail the person a link to set a new password."""
    user = _user_or_404(user_id)
    if not user.active:
        flash(_("The account is not active: activate it first."), "info")
        return redirect(url_for(".edit_user", user_id=user.id))
    staff.send_password_link(user, current_user, current_language())
    flash(_("A link to set a new password was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".edit_user", user_id=user.id))
