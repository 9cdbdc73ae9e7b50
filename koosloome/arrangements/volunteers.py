"""Keeping the partners' volunteers: each partner sees and keeps its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from koosloome import audit
from koosloome.accounts.models import User
from koosloome.arrangements.models import Volunteer
from koosloome.db import utcnow
from koosloome.extensions import db


def of_partner(user: User) -> list[Volunteer]:
    """The volunteers of ``user``'s partner, active ones first, by name."""
    return list(db.session.scalars(
        select(Volunteer).where(Volunteer.organisation_id == user.organisation_id)
        .order_by(Volunteer.active.desc(), func.lower(Volunteer.name))))


def create(values: dict[str, Any], user: User) -> Volunteer:
    """A volunteer of ``user``'s partner, who consented now; the caller commits."""
    volunteer = Volunteer(organisation_id=user.organisation_id, consent_at=utcnow(), **values)
    db.session.add(volunteer)
    db.session.flush()
    audit.record("volunteer.create", user_id=user.id, object_type="volunteer",
                 object_id=volunteer.id)
    return volunteer


def update(volunteer: Volunteer, values: dict[str, Any], user: User) -> None:
    """Change a volunteer's details; the caller commits."""
    changed = sorted(name for name, value in values.items()
                     if getattr(volunteer, name) != value)
    for name, value in values.items():
        setattr(volunteer, name, value)
    audit.record("volunteer.update", user_id=user.id, object_type="volunteer",
                 object_id=volunteer.id, fields=changed)
