"""Rate limits taken from the configuration, so operators and load tests can set them."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address

from koosloome.extensions import limiter

#: The answers of a look-up that found nothing: 404 for an address with an unknown code, 400
#: for the "type the board code" form shown again with its error.
MISSED_LOOKUP = frozenset({400, 404})


def registration_rate_limit() -> str:
    """The limit on registering per client address (form and API): REGISTRATION_RATE_LIMIT."""
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _board_join_rate_limit() -> str:
    return current_app.config["BOARD_JOIN_RATE_LIMIT"]


def _board_join_key() -> str:
    # The board and the client address: another board's joins from the same room do not
    # count against this one.
    code = (request.view_args or {}).get("code", "").upper()
    return f"{code}:{get_remote_address()}"


def limit_board_joins(joined_status: int) -> Any:
    """BOARD_JOIN_RATE_LIMIT on joining one board from one client address, shared by the
    page and the API; only answers with ``joined_status`` (a participant made) count."""
    return limiter.shared_limit(
        _board_join_rate_limit, scope="board-join", key_func=_board_join_key, methods=["POST"],
        deduct_when=lambda response: response.status_code == joined_status)


def code_lookup_rate_limit() -> str:
    """The limit on unknown board and feedback codes per client address: CODE_LOOKUP_RATE_LIMIT."""
    return current_app.config["CODE_LOOKUP_RATE_LIMIT"]


def _missed(response: Response) -> bool:
    return response.status_code in MISSED_LOOKUP


#: For every public view that finds a board by its join code or a survey by its feedback code.
#: Codes are short (six characters, typed from a screen), so guessing them must be slow; only
#: misses count, so a room of people behind one address polling a board they have joined is
#: never stopped. Boards and surveys share one count ("code-lookup"): guessing on one does not
#: get a fresh allowance on the other. Once the count is spent, hits are refused too.
limit_code_lookups = limiter.shared_limit(
    code_lookup_rate_limit, scope="code-lookup", deduct_when=_missed
)


def login_account_rate_limit() -> str:
    """Failed sign-ins per account, from any address: LOGIN_ACCOUNT_RATE_LIMIT."""
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_account() -> str:
    return "account:" + (request.form.get("email") or "").strip().casefold()[:254]


def _failed_sign_in(response: Response) -> bool:
    return response.status_code != 302  # a sign-in that worked redirects


#: Guessing one account's password from many addresses is slowed as well as guessing from
#: one address: only failed attempts count, so the owner who gets it right is not stopped.
limit_login_per_account = limiter.limit(
    login_account_rate_limit, key_func=_login_account, methods=["POST"],
    deduct_when=_failed_sign_in,
)


def subscribe_rate_limit() -> str:
    """Sign-ups for announcements per client address: SUBSCRIBE_RATE_LIMIT."""
    return current_app.config["SUBSCRIBE_RATE_LIMIT"]


def subscribe_address_rate_limit() -> str:
    """Sign-ups for announcements per e-mail address: SUBSCRIBE_ADDRESS_RATE_LIMIT."""
    return current_app.config["SUBSCRIBE_ADDRESS_RATE_LIMIT"]


def _subscribed_address() -> str:
    return "subscribe:" + (request.form.get("email") or "").strip().lower()[:254]


#: Repeated sign-ups fill nobody's inbox: at most a few confirmation requests per address and
#: per client address, whatever the answer (the page never says whether the address was known).
limit_subscriptions = [
    limiter.limit(subscribe_rate_limit, methods=["POST"]),
    limiter.limit(subscribe_address_rate_limit, key_func=_subscribed_address, methods=["POST"]),
]
