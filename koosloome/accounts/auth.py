"""Flask-Login glue: how a session's user id becomes a staff user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy.exc import SQLAlchemyError

from koosloome.accounts.models import User
from koosloome.extensions import db


def load_user(sign_in: str) -> User | None:
    """The active staff user of a sign-in (``"<id>:<session version>"``), or None (which
    signs the session out): a version raised since (``User.end_sessions``) opens nothing."""
    user_id, _sep, version = sign_in.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    try:
        user = db.session.get(User, int(user_id))
    except SQLAlchemyError:  # database down: render the 503 page as an anonymous visitor
        db.session.rollback()
        return None
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def init_login(login_manager: LoginManager) -> None:
    """Configure the login manager: loader, login page, session protection."""
    login_manager.user_loader(load_user)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
