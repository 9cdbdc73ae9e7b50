"""The trip's leader: the staff member who carries the emergency contacts. Named by the trip's
organisers from the partners' staff; they alone (with admins) see those contacts."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from koosloome import audit
from koosloome.accounts.models import Role, User
from koosloome.accounts.permissions import partner_ids
from koosloome.errors import InvalidFields, NotAllowed
from koosloome.events.models import Event
from koosloome.extensions import db


def leader_choices(event: Event) -> list[User]:
    """Who may lead the trip: the active organisers and admins of its partners."""
    return list(db.session.scalars(select(User).where(
        User.organisation_id.in_(partner_ids(event)),
        User.role.in_((Role.ORGANISER, Role.ADMIN)), User.active.is_(True))
        .order_by(User.name, User.id)))


def trip_leader(event: Event) -> User | None:
    """The named leader, if any."""
    return db.session.get(User, event.trip_leader_id) if event.trip_leader_id else None


def can_name_leader(user: User, event: Event) -> bool:
    """Admins and the owning partner's organisers name the leader (not the co-organiser's:
    naming oneself would open the emergency contacts)."""
    return user.role is Role.ADMIN or (
        user.role is Role.ORGANISER and user.organisation_id == event.organisation_id)


def set_trip_leader(event: Event, leader_id: int | None, by: User) -> None:
    """Name (or, with None, un-name) the trip's leader; ``NotAllowed`` for who may not name
    one, ``InvalidFields`` for someone who cannot lead it. Audited: it decides who sees the
    emergency contacts."""
    if not can_name_leader(by, event):
        raise NotAllowed(event.id)
    if leader_id is not None and leader_id not in {u.id for u in leader_choices(event)}:
        raise InvalidFields({"leader": [_("Choose an organiser of the trip's partners")]})
    event.trip_leader_id = leader_id
    db.session.flush()
    audit.record("trip.leader", user_id=by.id, object_type="event", object_id=event.id,
                 event_id=event.id, leader=leader_id)
