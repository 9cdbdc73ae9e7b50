"""Flask-Login glue: how a session's user id becomes a staff user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy.exc import SQLAlchemyError

from koosloome.accounts.models import User
from koosloome.extensions import db


def load_user(user_id: str) -> User | None:
    """The active staff user with this id, or None (which signs the session out)."""
    if not user_id.isdigit():
        return None
    try:
        user = db.session.get(User, int(user_id))
    except SQLAlchemyError:  # database down: render the 503 page as an anonymous visitor
        db.session.rollback()
        return None
    return user if user is not None and user.active else None


def init_login(login_manager: LoginManager) -> None:
    """Configure the login manager: loader, login page, session protection."""
    login_manager.user_loader(load_user)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
