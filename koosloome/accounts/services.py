"""Creating staff users and API tokens."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

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
    """The password is too short."""


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


def set_password(user: User, password: str) -> None:
    """Hash and store a new password (scrypt, Werkzeug's default)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(MIN_PASSWORD_LENGTH)
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


def user_for_api_token(token: str) -> User | None:
    """The active user owning this API token (not revoked), or None; records its use."""
    if len(token) > 200:
        return None
    query = select(ApiToken).where(
        ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
    )
    api_token = db.session.scalars(query).first()
    if api_token is None or not api_token.user.active:
        return None
    api_token.last_used_at = utcnow()
    return api_token.user
