"""Staff sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from koosloome import audit
from koosloome.accounts import password_reset, services
from koosloome.accounts.forms import LoginForm
from koosloome.accounts.staff_forms import ForgotPasswordForm, NewPasswordForm
from koosloome.extensions import limiter
from koosloome.i18n import current_language
from koosloome.ratelimits import limit_login_per_account
from koosloome.urls import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
@limit_login_per_account
def login() -> ResponseReturnValue:
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            # A fresh session: nothing from before signing in (a planted session id, the
            # CSRF token the sign-in form was served with) carries over.
            session.clear()
            login_user(user)
            audit.record("login", user_id=user.id, object_type="user", object_id=user.id)
            return redirect(safe_next(request.args.get("next"), url_for("admin.dashboard")))
        form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out (a POST with CSRF, so that a link elsewhere cannot sign anyone out). A copy
    of the cookie taken before stops working too: signing out ends every sign-in."""
    if current_user.is_authenticated:
        current_user.end_sessions()
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("events.home"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """For a computer left signed in somewhere: every sign-in of this account ends."""
    current_user.end_sessions()
    logout_user()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("events.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data or "", current_language())
        return render_template("accounts/forgot_password_sent.html", email=form.email.data)
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Set a new password with the link from the e-mail (one hour, once)."""
    user = password_reset.user_for_token(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.complete_reset(user, form.password.data or "")
        except services.WeakPassword as weak:
            form.password.errors.append(weak.describe())
        else:
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for(".login"))
    status = 422 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form, user=user), status
