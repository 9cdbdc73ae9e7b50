"""Password reset for staff: a signed, expiring link that works once.

The token is signed with SECRET_KEY (itsdangerous) and carries the user's id and a fingerprint
of their current password hash. Setting a password changes the hash, so the link dies with its
first use, and any older link dies too. Nothing about the token is stored.
"""

from __future__ import annotations

import hashlib

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.accounts.services import set_password, user_by_email
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import OutgoingEmail
from koosloome.messaging.notify import queue_templated

TOKEN_MAX_AGE = 3600  # seconds: one hour
_SALT = "koosloome-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does; reveals nothing about it (a hash of the hash)."""
    return hashlib.sha256((user.password_hash or "").encode("utf-8")).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A signed token for ``user``, valid for an hour and until the password changes."""
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_token(token: str) -> User | None:
    """The active user a valid, unexpired, unused token belongs to; otherwise None."""
    if len(token) > 300:
        return None
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or not user.active or payload.get("p") != _fingerprint(user):
        return None
    return user


def reset_url(user: User) -> str:
    """The absolute link for the e-mail."""
    return current_app.config["BASE_URL"] + url_for("accounts.reset_password",
                                                    token=reset_token(user))


def queue_reset_email(user: User, language: str, *, by_admin: bool = False) -> OutgoingEmail:
    """Queue the reset e-mail (text and HTML from templates/email/password_reset.*)."""
    return queue_templated(
        MessageKind.PASSWORD_RESET, to_address=user.email, to_name=user.name, language=language,
        name=user.name, email=user.email, url=reset_url(user), by_admin=by_admin,
        hours=TOKEN_MAX_AGE // 3600,
    )


def request_reset(email: str, language: str) -> bool:
    """Queue a reset link when an active user has this address. The caller answers the same
    either way, so nobody learns which addresses have accounts."""
    user = user_by_email(email)
    if user is None or not user.active:
        return False
    queue_reset_email(user, language)
    audit.record("password.reset_sent", user_id=user.id, object_type="user", object_id=user.id,
                 actor="self-service")
    db.session.flush()
    return True


def complete_reset(user: User, password: str) -> None:
    """Set the new password (``WeakPassword`` if too short); the token is spent with it."""
    set_password(user, password)
    audit.record("password.reset", user_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()
