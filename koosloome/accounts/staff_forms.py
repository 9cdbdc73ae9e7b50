"""Forms for staff accounts: the admin's account form, forgotten and new passwords."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from koosloome.accounts.services import MIN_PASSWORD_LENGTH
from koosloome.honeypot import HoneypotMixin

ROLE_CHOICES = [
    SelectChoice("organiser", _l("Organiser: runs the partner's events and sees their data")),
    SelectChoice("facilitator", _l("Facilitator: runs idea boards, never sees health data")),
    SelectChoice("admin", _l("Administrator: everything, including accounts and the audit log")),
]
ORGANISATION_CHOICES = [
    SelectChoice("vpk", "Võrumaa Partnerluskogu"),
    SelectChoice("tas", "Tartumaa Arendusselts"),
]
#: Deliberately loose: staff addresses may be on internal or test domains that a strict
#: validator refuses, and a typo shows up when the set-password e-mail does not arrive.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_FORMAT = _l("Enter an e-mail address in the right format, like name@example.ee")


class StaffUserForm(FlaskForm):
    """Name, e-mail, role, organisation and whether the account may sign in."""

    name = StringField(_l("Full name"), validators=[
        InputRequired(_l("Enter the person's name")), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        InputRequired(_l("Enter an e-mail address")), Length(max=254),
        Regexp(EMAIL_PATTERN, message=EMAIL_FORMAT)])
    role = RadioField(_l("Role"), choices=ROLE_CHOICES,
                      validators=[InputRequired(_l("Choose a role"))])
    organisation = RadioField(_l("Organisation"), choices=ORGANISATION_CHOICES,
                              validators=[InputRequired(_l("Choose an organisation"))])
    active = BooleanField(_l("The account may sign in"), default=True)


class ForgotPasswordForm(HoneypotMixin, FlaskForm):
    """The staff e-mail address to send a reset link to."""

    email = EmailField(_l("E-mail address"), validators=[
        InputRequired(_l("Enter your e-mail address")), Length(max=254),
        Regexp(EMAIL_PATTERN, message=EMAIL_FORMAT)])


class NewPasswordForm(FlaskForm):
    """The new password, twice."""

    password = PasswordField(_l("New password"), validators=[
        InputRequired(_l("Enter a new password")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Use at least %(num)s characters", num=MIN_PASSWORD_LENGTH)),
    ])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(_l("Enter the new password again"))])

    def validate_confirm(self, field: Any) -> None:
        """Both entries must match."""
        if self.password.data and field.data != self.password.data:
            raise ValidationError(_l("The passwords are not the same"))
