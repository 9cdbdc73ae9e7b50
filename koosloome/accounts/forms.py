"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from koosloome.honeypot import HoneypotMixin


class LoginForm(HoneypotMixin, FlaskForm):
    """E-mail and password; works with password managers (autocomplete set in the template).
    Carries the honeypot against password-spraying bots."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(_l("Enter your e-mail address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password")), Length(max=200)],
    )
