"""Manage links (``/r/<token>``): the participant's key to their registration, no account needed.

The token is HMAC-SHA256(SECRET_KEY, "manage-link:" + nonce) with a 128-bit random nonce per
registration (``Registration.manage_token``). Only the nonce and the token's SHA-256 are
stored: a copy of the database alone opens no registration, and every e-mail can still carry
the same working link.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from koosloome.extensions import db
from koosloome.registrations.models import Registration
from koosloome.tokens import hash_token

NONCE_BYTES = 16


def assign_manage_token(registration: Registration) -> str:
    """Give ``registration`` a fresh nonce (and token hash); return the token."""
    registration.manage_nonce = secrets.token_hex(NONCE_BYTES)
    token = registration.manage_token
    registration.manage_token_hash = hash_token(token)
    return token


def registration_for_token(token: str) -> Registration | None:
    """The registration whose manage link carries ``token`` (lookup by hash: constant work)."""
    if not token or len(token) > 100:
        return None
    query = select(Registration).where(Registration.manage_token_hash == hash_token(token))
    return db.session.scalars(query).first()
