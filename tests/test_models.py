"""Invariants the database itself keeps, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.registrations.models import RegistrationStatus
from tests import factories


def _fails(build) -> None:
    with pytest.raises(IntegrityError):
        build()
    db.session.rollback()


def test_event_slug_is_unique(make_event):
    make_event(slug="seminar")
    _fails(lambda: make_event(slug="seminar"))


def test_capacity_cannot_be_negative(make_event):
    _fails(lambda: make_event(capacity=-1))


def test_event_must_end_after_it_starts(make_event):
    start = utcnow() + timedelta(days=3)
    _fails(lambda: make_event(starts_at=start, ends_at=start))


def test_one_active_registration_per_email_and_event(make_event, make_registration):
    event = make_event()
    make_registration(event, email="mari@example.ee")
    _fails(lambda: make_registration(event, email="mari@example.ee",
                                     status=RegistrationStatus.WAITLISTED))


def test_cancelled_registration_does_not_block_registering_again(make_event, make_registration):
    event = make_event()
    make_registration(event, email="mari@example.ee", status=RegistrationStatus.CANCELLED)
    make_registration(event, email="mari@example.ee")
    other_event = make_event()
    make_registration(other_event, email="mari@example.ee")


def test_phone_only_registrations_do_not_collide(make_event, make_registration):
    event = make_event()
    make_registration(event, email=None, phone="+372 5000 0001")
    make_registration(event, email=None, phone="+372 5000 0002")


def test_registration_needs_an_email_or_a_phone(make_event, make_registration):
    event = make_event()
    _fails(lambda: make_registration(event, email=None, phone=None))


def test_registration_takes_at_least_one_seat(make_event, make_registration):
    event = make_event()
    _fails(lambda: make_registration(event, seats=0))


def test_foreign_keys_are_enforced(make_event):
    _fails(lambda: factories.make_registration(event=None, event_id=999_999))


def test_times_come_back_timezone_aware_in_utc(make_event):
    event = make_event()
    db.session.expire_all()
    assert event.starts_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(make_event):
    from datetime import datetime

    with pytest.raises(Exception, match="naive datetime"):
        make_event(starts_at=datetime(2030, 1, 1, 10), ends_at=datetime(2030, 1, 1, 12))
    db.session.rollback()
