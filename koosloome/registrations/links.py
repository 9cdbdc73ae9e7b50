"""Manage links (``/r/<token>``): the participant's key to their registration, no account needed.

The token is HMAC-SHA256(SECRET_KEY, "manage-link:" + nonce) with a 128-bit random nonce per
registration. Only the nonce and the token's SHA-256 are stored: a copy of the database alone
opens no registration, and every e-mail can still carry the same working link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select

from koosloome.extensions import db
from koosloome.registrations.models import Registration
from koosloome.tokens import hash_token

NONCE_BYTES = 16
_PURPOSE = b"manage-link:"


def _token_for_nonce(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(key, _PURPOSE + nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def assign_manage_token(registration: Registration) -> str:
    """Give ``registration`` a fresh nonce (and token hash); return the token."""
    registration.manage_nonce = secrets.token_hex(NONCE_BYTES)
    token = _token_for_nonce(registration.manage_nonce)
    registration.manage_token_hash = hash_token(token)
    return token


def manage_token(registration: Registration) -> str:
    """The registration's current manage-link token."""
    return _token_for_nonce(registration.manage_nonce)


def manage_url(registration: Registration) -> str:
    """The absolute manage link, for e-mails and invites."""
    return f"{current_app.config['BASE_URL']}/r/{manage_token(registration)}"


def registration_for_token(token: str) -> Registration | None:
    """The registration whose manage link carries ``token`` (lookup by hash: constant work)."""
    if not token or len(token) > 100:
        return None
    query = select(Registration).where(Registration.manage_token_hash == hash_token(token))
    return db.session.scalars(query).first()
