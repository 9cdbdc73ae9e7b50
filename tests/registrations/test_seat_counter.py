"""``event.seats_taken`` is kept by the database: after any mix of changes, through the
services or straight in SQL, it equals the seats counted from the registrations."""

from __future__ import annotations

import random

from sqlalchemy import delete, select, text, update

from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations import services
from koosloome.registrations.models import SEAT_STATUSES, Registration, RegistrationStatus
from koosloome.registrations.personal_data import erase
from koosloome.registrations.seat_counter import (
    POSTGRESQL_TRIGGERS,
    SEAT_STATUS_SQL,
    SQLITE_TRIGGERS,
)
from koosloome.registrations.services import RegistrationData
from koosloome.seating.counts import seat_counts
from koosloome.seating.lifecycle import seats_taken
from tests.factories import writing

Status = RegistrationStatus


def kept_and_counted(*events: Event) -> list[tuple[int, int]]:
    db.session.expire_all()
    counted = seat_counts(event.id for event in events)
    kept = dict(db.session.execute(
        select(Event.id, Event.seats_taken).where(Event.id.in_([e.id for e in events]))).all())
    return [(kept[event.id], counted[event.id].taken) for event in events]


def test_the_triggers_count_the_same_statuses_as_the_code():
    spelled = "(" + ", ".join(f"'{status.value}'" for status in SEAT_STATUSES) + ")"
    assert spelled == SEAT_STATUS_SQL
    for statement in (*SQLITE_TRIGGERS, POSTGRESQL_TRIGGERS[0]):
        assert SEAT_STATUS_SQL in statement


def test_the_kept_figure_follows_every_kind_of_change(make_event, make_registration):
    rng = random.Random(20)  # fixed: the same mix on every run
    events = [make_event(capacity=6), make_event(capacity=3, offer_hours=24)]
    people = 0
    for step in range(60):
        event = rng.choice(events)
        action = rng.choice(["register", "register", "companion", "cancel", "erase", "decide",
                             "sql"])
        active = list(db.session.scalars(select(Registration).where(
            Registration.event_id == event.id,
            Registration.status.in_([Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED]))))
        with writing():
            if action == "register" or not active:
                people += 1
                services.register(event, RegistrationData(
                    name=f"Inimene {people}", email=f"inimene{people}@example.ee",
                    consent_privacy=True, companion=rng.random() < 0.3))
            elif action == "companion":
                registration = rng.choice(active)
                data = services.data_from_registration(registration)
                data.companion = not data.companion
                data.consent_privacy = True
                try:
                    services.update_details(registration, data)
                except services.InvalidRegistration:
                    db.session.rollback()
                    continue
            elif action == "cancel":
                services.cancel(rng.choice(active))
            elif action == "erase":
                erase(rng.choice(active))
            elif action == "decide":
                target = rng.choice(active)
                db.session.execute(update(Registration).where(Registration.id == target.id)
                                   .values(status=Status.REJECTED))
            else:  # a row written or removed by hand, as a repair or an import might
                if rng.random() < 0.5:
                    db.session.execute(delete(Registration).where(
                        Registration.id == rng.choice(active).id))
                else:
                    make_registration(event, seats=2)
                    continue
            db.session.commit()
        for kept, counted in kept_and_counted(*events):
            assert kept == counted, (step, action)
    assert all(kept > 0 for kept, _ in kept_and_counted(*events))


def test_moving_a_registration_to_another_event_moves_its_seats(make_event, make_registration):
    first, second = make_event(), make_event()
    registration = make_registration(first, seats=2)
    make_registration(first, status=Status.WAITLISTED)
    db.session.execute(update(Registration).where(Registration.id == registration.id)
                       .values(event_id=second.id))
    db.session.commit()
    assert kept_and_counted(first, second) == [(0, 0), (2, 2)]


def test_seat_decisions_read_their_own_transactions_changes(make_event):
    event = make_event(capacity=5)
    with writing():
        services.register(event, RegistrationData(name="Mari", email="mari@example.ee",
                                                  consent_privacy=True, companion=True))
        # The same transaction, the event object loaded before: the row knows, the object not.
        assert seats_taken(event) == 2
        db.session.execute(text("UPDATE registration SET seats = 1"))
        assert seats_taken(event) == 1
        db.session.rollback()
    assert seats_taken(event) == 0
