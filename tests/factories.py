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
from koosloome.db import utcnow, write_intent
from koosloome.events.models import Event, EventKind, EventStatus
from koosloome.extensions import db
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationStatus

_counter = itertools.count(1)


def organisation(slug: str = "vpk") -> Organisation:
    """One of the two partners (created by the app fixture)."""
    return db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()


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
        "venue_name": "Võru Kultuurimaja Kannel",
        "venue_address": "Liiva 13, Võru",
    }
    values.update(fields)
    if "organisation" not in values and "organisation_id" not in values:
        values["organisation"] = organisation("vpk")
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


@contextmanager
def writing() -> Iterator[None]:
    """Like a request that may write: end the test's open transaction, then start the next
    one as a write transaction (BEGIN IMMEDIATE on SQLite), as the services require."""
    db.session.commit()
    with write_intent():
        yield
