"""Admins managing staff accounts: create, change, deactivate, send a password link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from koosloome import audit
from koosloome.accounts.models import Role, User
from koosloome.accounts.password_reset import queue_reset_email
from koosloome.accounts.services import (
    EmailTaken,
    normalise_email,
    organisation_by_slug,
    user_by_email,
)
from koosloome.errors import DomainError
from koosloome.extensions import db


class LockedOut(DomainError):
    """An admin tried to take away their own admin role or deactivate themselves."""


@dataclass(frozen=True)
class StaffData:
    """What the account form edits."""

    name: str
    email: str
    role: Role
    organisation: str
    active: bool = True


def staff_list() -> list[User]:
    """Every staff user with their organisation (one query), active first, by name."""
    query = (
        select(User)
        .options(joinedload(User.organisation))
        .order_by(User.active.desc(), User.name, User.id)
    )
    return list(db.session.scalars(query))


def create_staff_user(data: StaffData, admin: User, language: str) -> User:
    """Add an account without a password and e-mail its owner a link to set one."""
    if user_by_email(data.email) is not None:
        raise EmailTaken(data.email)
    user = User(
        email=normalise_email(data.email), name=data.name.strip(), role=data.role,
        organisation=organisation_by_slug(data.organisation), active=data.active,
    )
    db.session.add(user)
    db.session.flush()
    queue_reset_email(user, language, by_admin=True)
    audit.record("user.create", user_id=admin.id, object_type="user", object_id=user.id,
                 role=user.role.value, organisation=data.organisation)
    db.session.flush()
    return user


def update_staff_user(user: User, data: StaffData, admin: User) -> None:
    """Change name, e-mail, role, organisation and whether the account is active."""
    if user.id == admin.id and (data.role is not Role.ADMIN or not data.active):
        raise LockedOut()
    email = normalise_email(data.email)
    if email != user.email:
        other = user_by_email(email)
        if other is not None and other.id != user.id:
            raise EmailTaken(email)
    changes = {}
    organisation = organisation_by_slug(data.organisation)
    new_values = {"name": data.name.strip(), "email": email, "role": data.role,
                  "organisation_id": organisation.id, "active": data.active}
    for field, value in new_values.items():
        if getattr(user, field) != value:
            changes[field] = str(value.value if isinstance(value, Role) else value)
            setattr(user, field, value)
    if "active" in changes and not user.active:
        user.end_sessions()
    if changes:
        audit.record("user.update", user_id=admin.id, object_type="user", object_id=user.id,
                     **changes)
    db.session.flush()


def send_password_link(user: User, admin: User, language: str) -> None:
    """E-mail ``user`` a link to set a new password (their current one keeps working)."""
    queue_reset_email(user, language, by_admin=True)
    audit.record("password.reset_sent", user_id=admin.id, object_type="user", object_id=user.id)
    db.session.flush()
