"""Random secrets given to people (manage links, API tokens); only their hashes are stored."""

from __future__ import annotations

import base64
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


def keyed_token(key: str, purpose: str, nonce: str) -> str:
    """HMAC-SHA256(key, purpose + nonce), URL-safe: a token that needs only the nonce stored,
    and cannot be derived from a copy of the database without the key."""
    digest = hmac.new(key.encode("utf-8"), (purpose + nonce).encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")
