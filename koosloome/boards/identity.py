"""Who is this participant? A signed cookie per board on the web, a bearer token in the API."""

from __future__ import annotations

from functools import lru_cache

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer

from koosloome.boards.models import Board, BoardParticipant
from koosloome.boards.services import normalise_join_code, participant_for_token
from koosloome.json_api import bearer_token
from koosloome.tokens import hash_token

COOKIE_MAX_AGE = 60 * 24 * 3600  # a workshop series can run for weeks
_SALT = "board-participant"


def cookie_name(code: str) -> str:
    """The cookie that carries the participant's token for the board with ``code``."""
    return f"kb_{normalise_join_code(code)}"


def _serializer() -> URLSafeSerializer:
    return serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def serializer_for(secret_key: str) -> URLSafeSerializer:
    """The signer of participant cookies for ``secret_key`` (built once: it holds no state)."""
    return URLSafeSerializer(secret_key, salt=_SALT)


def remember_participant(response: Response, board: Board, token: str) -> None:
    """Set the signed cookie that identifies the participant on this board only."""
    response.set_cookie(
        cookie_name(board.join_code),
        _serializer().dumps(token),
        max_age=COOKIE_MAX_AGE,
        path=f"/b/{board.join_code}",
        httponly=True,
        samesite="Lax",
        secure=current_app.config["BASE_URL"].startswith("https://"),
    )


def cookie_token(code: str) -> str | None:
    """The participant's token from the signed cookie of the board with ``code``, if valid."""
    return token_from_cookie(request.cookies.get(cookie_name(code)),
                             current_app.config["SECRET_KEY"])


def token_from_cookie(raw: str | None, secret_key: str) -> str | None:
    """The token a participant cookie's value ``raw`` carries, if it is signed with
    ``secret_key``; else None."""
    if not raw:
        return None
    try:
        token = serializer_for(secret_key).loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def web_participant(board: Board) -> BoardParticipant | None:
    """The participant whose signed cookie came with this request."""
    return participant_for_token(board, cookie_token(board.join_code))


def api_participant(board: Board) -> BoardParticipant | None:
    """The participant whose token came in the ``Authorization: Bearer`` header."""
    return participant_for_token(board, bearer_token())


def participant_rate_key() -> str:
    """Rate-limit key: the participant (cookie or bearer token), else the address."""
    code = (request.view_args or {}).get("code", "")
    token = cookie_token(code) if code else None
    token = token or bearer_token()
    if token:
        return "participant:" + hash_token(token)[:32]
    return get_remote_address()
