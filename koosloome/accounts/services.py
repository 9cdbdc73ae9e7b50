"""Creating staff users and API tokens."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from koosloome.accounts.models import ApiToken, Organisation, Role, User
from koosloome.db import utcnow
from koosloome.errors import DomainError
from koosloome.extensions import db
from koosloome.tokens import hash_token, new_token

MIN_PASSWORD_LENGTH = 10
#: Checked when the e-mail is unknown, so that a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("koosloome-not-a-password")


class UnknownOrganisation(DomainError):
    """No organisation has that slug."""


class EmailTaken(DomainError):
    """Another user already has that e-mail address."""


class WeakPassword(DomainError):
    """The password is too short, or too easy to guess; says which."""

    status = 422
    code = "weak_password"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def describe(self) -> str:
        """Why the password is refused, in the person's language."""
        return self.reason


class UnknownUser(DomainError):
    """No user has that e-mail address."""


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without case and surrounding space."""
    return email.strip().lower()


def organisation_by_slug(slug: str) -> Organisation:
    """The organisation with ``slug``, or ``UnknownOrganisation``."""
    organisation = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        raise UnknownOrganisation(slug)
    return organisation


def user_by_email(email: str) -> User | None:
    """The staff user with this e-mail address, if any."""
    query = select(User).where(func.lower(User.email) == normalise_email(email))
    return db.session.scalars(query).first()


#: zxcvbn's scale 0–4: 3 is "safely unguessable: moderate protection from offline attacks".
MIN_PASSWORD_SCORE = 3
#: Words an attacker tries first against this site, besides the person's own details.
SITE_WORDS = ("koosloome", "leader", "vorumaa", "võrumaa", "tartumaa", "partnerluskogu",
              "arendusselts", "koostöö", "seminar")


def password_problem(password: str, *, about: Iterable[str] = ()) -> str | None:
    """Why ``password`` will not do (too short, common or guessable from ``about``: the
    person's name and address, and the site's own words), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(num)s characters", num=MIN_PASSWORD_LENGTH)
    words = [word for text in about for word in re.split(r"[\s@.]+", text) if word]
    inputs = [*SITE_WORDS, *about, *words, "".join(words)]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:
        return _("This password is too easy to guess. Use a few unrelated words, or a "
                 "longer mix of letters, digits and signs.")
    return None


def set_password(user: User, password: str) -> None:
    """Hash and store a new password (scrypt, Werkzeug's default)."""
    problem = password_problem(password, about=(user.email or "", user.name or ""))
    if problem:
        raise WeakPassword(problem)
    user.password_hash = generate_password_hash(password)
    user.end_sessions()  # whoever held a sign-in under the old password holds nothing now


def create_user(
    email: str, name: str, role: Role, organisation_slug: str, password: str
) -> User:
    """Add a staff user; the caller commits."""
    organisation = organisation_by_slug(organisation_slug)
    if user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(
        email=normalise_email(email), name=name.strip(), role=role, organisation=organisation
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def create_api_token(user: User, label: str = "") -> str:
    """Store a new token's hash for ``user`` and return the token (shown once)."""
    token = new_token()
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), label=label))
    db.session.flush()
    return token


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way)."""
    user = user_by_email(email)
    if user is None or not user.password_hash or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def user_for_api_token(token: str, *, record_use: bool = True) -> User | None:
    """The active user owning this API token (not revoked), or None; records its use
    unless told not to (a lookup that must not write yet)."""
    if len(token) > 200:
        return None
    query = select(ApiToken).where(
        ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
    )
    api_token = db.session.scalars(query).first()
    if api_token is None or not api_token.user.active:
        return None
    if record_use:
        api_token.last_used_at = utcnow()
    return api_token.user
