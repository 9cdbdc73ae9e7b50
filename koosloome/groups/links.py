"""Group links (``/g/<token>``): the contact's key to the group they registered, no account
needed. Made like the members' own links (``registrations.links``): only a nonce and the
token's hash are stored."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from koosloome.extensions import db
from koosloome.groups.models import RegistrationGroup
from koosloome.tokens import hash_token

NONCE_BYTES = 16


def assign_group_token(group: RegistrationGroup) -> str:
    """Give ``group`` a fresh nonce (and token hash); return the token of its link."""
    group.manage_nonce = secrets.token_hex(NONCE_BYTES)
    token = group.manage_token
    group.manage_token_hash = hash_token(token)
    return token


def group_for_token(token: str) -> RegistrationGroup | None:
    """The group whose link carries ``token`` (an anonymised group has none that works)."""
    if not token or len(token) > 100:
        return None
    query = select(RegistrationGroup).where(
        RegistrationGroup.manage_token_hash == hash_token(token),
        RegistrationGroup.anonymised_at.is_(None),
    )
    return db.session.scalars(query).first()
