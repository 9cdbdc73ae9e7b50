"""Builders for test data; conftest exposes them as fixtures that return callables."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from koosloome.accounts.models import Organisation, Role, User
from koosloome.accounts.services import create_user
from koosloome.boards.models import Board, BoardParticipant, Idea
from koosloome.db import utcnow, write_intent
from koosloome.demo.project import ensure_project
from koosloome.events.models import Event, EventKind, EventStatus
from koosloome.extensions import db
from koosloome.groups.links import assign_group_token
from koosloome.groups.models import RegistrationGroup
from koosloome.projects.services import the_project
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.venues.models import VENUE_FIELDS, Venue

_counter = itertools.count(1)


def organisation(slug: str = "vpk") -> Organisation:
    """One of the two partners (created by the app fixture)."""
    return db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()


#: The names venue facts had when they were the event's (tests may still say them).
_VENUE_ALIASES = {"venue_name": "name_et", "venue_address": "address",
                  "venue_map_url": "map_url", "transit_stop": "transit_stop_et",
                  "dropoff_point": "dropoff_point_et"}


def make_venue(**fields: Any) -> Venue:
    """A venue (Võru's Kannel unless told otherwise); added, not committed."""
    values: dict[str, Any] = {"name_et": "Võru Kultuurimaja Kannel",
                              "address": "Liiva 13, Võru", **fields}
    venue = Venue(**values)
    db.session.add(venue)
    return venue


def make_event(**fields: Any) -> Event:
    """A published seminar two weeks ahead unless told otherwise; committed."""
    number = next(_counter)
    starts_at = fields.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=14))
    values: dict[str, Any] = {
        "slug": f"event-{number}",
        "kind": EventKind.SEMINAR,
        "status": EventStatus.PUBLISHED,
        "title_et": f"Seminar number {number}",
        "title_en": f"Seminar number {number} (en)",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=4),
        "capacity": 20,
    }
    venue_values = {_VENUE_ALIASES.get(name, name): fields.pop(name)
                    for name in list(fields) if _VENUE_ALIASES.get(name, name) in VENUE_FIELDS}
    values.update(fields)
    if "organisation" not in values and "organisation_id" not in values:
        values["organisation"] = organisation("vpk")
    if "venue" not in values and "venue_id" not in values:
        values["venue"] = make_venue(**venue_values)
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def make_user(role: Role = Role.ORGANISER, organisation_slug: str = "vpk", **fields: Any) -> User:
    """A staff user with the password ``correct horse battery``; committed."""
    number = next(_counter)
    user = create_user(
        fields.pop("email", f"staff{number}@koosloome.test"),
        fields.pop("name", f"Staff Member {number}"),
        role,
        organisation_slug,
        fields.pop("password", "correct horse battery"),
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def manage_path_of(address: str) -> str:
    """The manage link of the newest registration with this e-mail address.

    The confirmation page of a registration with an address shows no link (it goes by
    e-mail), so that a new address and a registered one are answered alike.
    """
    registration = db.session.scalars(
        select(Registration).where(Registration.email == address.strip().lower())
        .order_by(Registration.id.desc())
    ).first()
    assert registration is not None, f"no registration for {address}"
    return f"/r/{registration.manage_token}"


def make_registration(event: Event, **fields: Any) -> Registration:
    """A confirmed registration for ``event``, written directly (no capacity rules); committed."""
    number = next(_counter)
    values: dict[str, Any] = {
        "event": event,
        "status": RegistrationStatus.CONFIRMED,
        "name": f"Osaleja {number}",
        "email": f"osaleja{number}@example.ee",
        "consent_privacy_at": utcnow(),
    }
    values.update(fields)
    registration = Registration(**values)
    if "manage_token_hash" not in fields:
        assign_manage_token(registration)
    db.session.add(registration)
    db.session.commit()
    return registration


def make_group(event: Event, *members: Registration, **fields: Any) -> RegistrationGroup:
    """A group registered by a contact, with ``members`` moved into it; committed."""
    values: dict[str, Any] = {
        "event": event, "contact_name": "Maie Mänd", "contact_email": "maie@rougeselts.ee",
        "declaration": "Kinnitan, et kõik on nõus.", "declared_at": utcnow(),
    }
    values.update(fields)
    group = RegistrationGroup(**values)
    assign_group_token(group)
    db.session.add(group)
    db.session.flush()
    for member in members:
        member.group_id = group.id
    db.session.commit()
    return group


@contextmanager
def writing() -> Iterator[None]:
    """Like a request that may write: end the test's open transaction, then start the next
    one as a write transaction (BEGIN IMMEDIATE on SQLite), as the services require."""
    db.session.commit()
    with write_intent():
        yield


def make_board(**fields: Any) -> Board:
    """A board of VPK with the four default columns, collecting ideas; committed."""
    from koosloome.boards.services import BoardSettings, create_board

    creator = fields.pop("created_by", None) or make_user(Role.FACILITATOR, "vpk")
    phase = fields.pop("phase", None)
    settings = BoardSettings(
        title=fields.pop("title", "Rõuge päevakeskus"),
        question=fields.pop("question", "Kuidas me saaksime…?"),
        **{key: fields.pop(key) for key in list(fields) if key in BoardSettings.__annotations__},
    )
    board = create_board(creator, settings, fields.pop("columns", None))
    for key, value in fields.items():
        setattr(board, key, value)
    if phase is not None:
        board.phase = phase
    db.session.commit()
    return board


def join(board: Board, name: str = "Mari") -> tuple[BoardParticipant, str]:
    """A participant of ``board`` and its token; committed."""
    from koosloome.boards.services import join_board

    participant, token = join_board(board, name)
    db.session.commit()
    return participant, token


def make_idea(board: Board, participant: BoardParticipant, text: str = "Ühine aiamaa",
              column: int = 0) -> Idea:
    """An idea in the board's ``column``-th column (written directly, any phase); committed."""
    idea = Idea(board=board, column=board.columns[column], participant=participant, text=text)
    db.session.add(idea)
    db.session.commit()
    return idea


def make_project() -> Any:
    """The project as the demo and the seed have it (VPK 42 000 € on one line; TAS
    18 000 € = LEADER 12 743,68 € + own, seminars 5 000 € and study trip 13 000 €); committed."""
    ensure_project({"vpk": organisation("vpk"), "tas": organisation("tas")})
    db.session.commit()
    return the_project()
