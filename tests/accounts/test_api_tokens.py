"""API tokens identify staff; revoked tokens and inactive users do not."""

from __future__ import annotations

from koosloome.accounts.services import create_api_token, user_for_api_token
from koosloome.db import utcnow
from koosloome.extensions import db


def test_token_identifies_its_user(make_user):
    user = make_user()
    token = create_api_token(user)
    db.session.commit()
    assert user_for_api_token(token) == user
    assert user_for_api_token(token + "x") is None
    assert user_for_api_token("") is None


def test_revoked_token_and_inactive_user_are_refused(make_user):
    user = make_user()
    token = create_api_token(user)
    user.api_tokens[0].revoked_at = utcnow()
    assert user_for_api_token(token) is None
    user.api_tokens[0].revoked_at = None
    user.active = False
    assert user_for_api_token(token) is None
