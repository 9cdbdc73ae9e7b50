"""Random secrets given to people (manage links, API tokens); only their hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 random bits


def new_token() -> str:
    """A URL-safe random token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token (the token has full entropy)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_secret(left: str, right: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))
