"""Staff sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from koosloome import audit
from koosloome.accounts import services
from koosloome.accounts.forms import LoginForm
from koosloome.extensions import db, limiter
from koosloome.urls import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login() -> ResponseReturnValue:
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            audit.record("login", user_id=user.id, object_type="user", object_id=user.id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("admin.dashboard")))
        form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out (a POST with CSRF, so that a link elsewhere cannot sign anyone out)."""
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("events.home"))
