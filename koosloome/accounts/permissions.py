"""Who may do what: pure functions on users and objects, used by views, API and services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import true

from koosloome.accounts.models import Role, User
from koosloome.boards.models import Board
from koosloome.events.models import Event
from koosloome.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])
STAFF_ROLES = (Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)


def staff_required(*roles: Role) -> Callable[[F], F]:
    """Require a signed-in staff user with one of ``roles`` (any staff role when none given)."""
    allowed = roles or STAFF_ROLES

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def partner_ids(event: Event) -> set[int]:
    """The partners who hold the event: its organiser and any co-organiser."""
    return {event.organisation_id} | ({event.co_organiser_id} if event.co_organiser_id else set())


def can_manage_event(user: User, event: Event) -> bool:
    """Admins, and organisers of the owning or co-organising partner."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.ORGANISER and user.organisation_id in partner_ids(event)


def managed_event_or_abort(event_id: int) -> Event:
    """The event, if the signed-in user manages it, for a back-office page: 404 when there is
    none, 403 when it belongs to the other partner (and is not co-organised) or the role
    cannot."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


def managed_by(user: User) -> Any:
    """SQL condition for the events ``user`` manages: the partner's own and co-organised
    ones (all for admins); the query form of ``can_manage_event``."""
    if user.role is Role.ADMIN:
        return true()
    return (Event.organisation_id == user.organisation_id) | (
        Event.co_organiser_id == user.organisation_id
    )


def can_see_health_data(user: User, event: Event) -> bool:
    """Access needs, diets and transport: only those who manage the event, never facilitators."""
    return can_manage_event(user, event)


def can_see_emergency_contacts(user: User, event: Event) -> bool:
    """The travellers' emergency contacts (third parties' numbers): the trip's leader, who
    carries them, and admins; not every organiser of the partners."""
    return user.role is Role.ADMIN or (
        event.trip_leader_id is not None and user.id == event.trip_leader_id)


def can_facilitate_board(user: User, board: Board) -> bool:
    """Admins; organisers and facilitators of the board's partner (or the linked event's)."""
    if user.role is Role.ADMIN:
        return True
    if user.role not in (Role.ORGANISER, Role.FACILITATOR):
        return False
    partners = {board.organisation_id}
    if board.event is not None:
        partners |= partner_ids(board.event)
    return user.organisation_id in partners or board.created_by_id == user.id


def facilitated_board_or_abort(board_id: int) -> Board:
    """The board, if the signed-in user may facilitate it, for a back-office page: 404 when
    there is none, 403 otherwise."""
    board = db.session.get(Board, board_id)
    if board is None:
        abort(404)
    if not can_facilitate_board(current_user, board):
        abort(403)
    return board


def can_link_board_to_event(user: User, event: Event) -> bool:
    """Admins; other staff only to an event of their own partner (owner or co-organiser), so
    that nobody puts a board of theirs before another partner's participants."""
    return user.role is Role.ADMIN or user.organisation_id in partner_ids(event)


def can_see_reports(user: User) -> bool:
    """The LEADER report (aggregates only): admins and organisers, not facilitators."""
    return user.role in (Role.ADMIN, Role.ORGANISER)


def can_administer(user: User) -> bool:
    """The audit log and staff accounts: admins only."""
    return user.role is Role.ADMIN
