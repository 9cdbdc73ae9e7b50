"""Registration rules through the service layer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.db import utcnow
from koosloome.events.models import EventStatus, RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations import services
from koosloome.registrations.links import registration_for_token
from koosloome.registrations.models import RegistrationSource, RegistrationStatus
from koosloome.registrations.personal_data import withdraw_health_consent
from koosloome.registrations.services import (
    AlreadyRegistered,
    EventFull,
    InvalidRegistration,
    RegistrationClosed,
    RegistrationData,
    TransitionNotAllowed,
)
from koosloome.seating.lifecycle import lock_event, promote_waiting
from tests.factories import writing

Status = RegistrationStatus


@pytest.fixture
def decider(make_user):
    """The organiser whose decisions the tests make (they are audited)."""
    return make_user(Role.ORGANISER, "vpk")


def person(name: str = "Mari Tamm", **fields) -> RegistrationData:
    email = fields.pop("email", name.lower().replace(" ", ".") + "@example.ee")
    return RegistrationData(name=name, email=email, consent_privacy=True, **fields)


def register(event, data, **kwargs):
    with writing():
        outcome = services.register(event, data, **kwargs)
        db.session.commit()
    return outcome


def messages_to(address: str) -> list[str]:
    return list(db.session.scalars(
        select(OutgoingEmail.kind).where(OutgoingEmail.to_address == address)
        .order_by(OutgoingEmail.id)
    ))


def test_first_come_first_served_then_waiting_list_with_position(make_event):
    event = make_event(capacity=2)
    first = register(event, person("Mari Tamm"))
    second = register(event, person("Jaan Kask"))
    third = register(event, person("Aino Sepp"))
    fourth = register(event, person("Rein Oja"))
    assert [o.registration.status for o in (first, second, third, fourth)] == [
        Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    assert (third.waitlist_position, fourth.waitlist_position) == (1, 2)
    assert messages_to("mari.tamm@example.ee") == ["confirmed"]
    assert messages_to("aino.sepp@example.ee") == ["waitlisted"]


def test_companion_takes_a_seat(make_event):
    event = make_event(capacity=2)
    outcome = register(event, person(companion=True, companion_name="Peeter"))
    assert outcome.registration.seats == 2
    assert register(event, person("Jaan Kask")).registration.status is Status.WAITLISTED


def test_application_mode_waits_for_the_organiser(decider, make_event):
    event = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=1)
    outcome = register(event, person())
    assert outcome.registration.status is Status.PENDING
    assert messages_to("mari.tamm@example.ee") == ["application_received"]
    with writing():
        services.change_status(outcome.registration, Status.CONFIRMED, decider)
        db.session.commit()
    assert outcome.registration.status is Status.CONFIRMED
    second = register(event, person("Jaan Kask"))
    with writing(), pytest.raises(EventFull):
        services.change_status(second.registration, Status.CONFIRMED, decider)
    db.session.rollback()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CANCELLED},
        {"registration_opens_at": utcnow() + timedelta(days=1)},
        {"registration_opens_at": utcnow() - timedelta(days=3),
         "registration_closes_at": utcnow() - timedelta(days=1)},
        {"starts_at": utcnow() - timedelta(days=2)},
    ],
)
def test_no_registration_outside_the_window_or_for_unpublished_events(make_event, fields):
    event = make_event(**fields)
    with pytest.raises(RegistrationClosed):
        register(event, person())
    db.session.rollback()


def test_organisers_may_register_a_caller_after_the_window_closed(make_event):
    event = make_event(registration_opens_at=utcnow() - timedelta(days=3),
                       registration_closes_at=utcnow() - timedelta(days=1))
    outcome = register(event, person(email=None, phone="+372 5123 4567"),
                       source=RegistrationSource.PHONE)
    assert outcome.registration.status is Status.CONFIRMED
    assert outcome.registration.email is None


def test_same_email_gets_no_second_seat_case_insensitively(make_event):
    event = make_event()
    register(event, person(email="Mari@Example.ee"))
    with pytest.raises(AlreadyRegistered):
        register(event, person(email="mari@example.EE"))
    db.session.rollback()


def test_phone_alone_is_enough_but_one_of_them_is_needed(make_event):
    event = make_event()
    assert register(event, person(email=None, phone="5123 4567")).registration.phone
    with pytest.raises(InvalidRegistration) as error:
        register(event, person(email=None, phone=None))
    assert "email" in error.value.errors
    db.session.rollback()


def test_health_data_needs_explicit_consent(make_event):
    event = make_event()
    with pytest.raises(InvalidRegistration) as error:
        register(event, person(needs={"wheelchair"}))
    assert set(error.value.errors) == {"consent_health"}
    db.session.rollback()
    outcome = register(event, person(needs={"wheelchair"}, consent_health=True,
                                     allergies="pähklid"))
    assert outcome.registration.need_codes == {"wheelchair"}
    assert outcome.registration.consent_health_at is not None


def test_privacy_consent_is_required(make_event):
    event = make_event()
    data = person()
    data.consent_privacy = False
    with pytest.raises(InvalidRegistration) as error:
        register(event, data)
    assert "consent_privacy" in error.value.errors
    db.session.rollback()


def test_cancelling_frees_seats_and_promotes_the_first_waiting_that_fits(make_event):
    event = make_event(capacity=2)
    first = register(event, person("Mari Tamm"))
    register(event, person("Jaan Kask"))
    pair = register(event, person("Aino Sepp", companion=True))  # needs 2 seats
    single = register(event, person("Rein Oja"))
    with writing():
        promoted = services.cancel(first.registration)
        db.session.commit()
    assert promoted == [single.registration]  # the pair does not fit in one seat
    assert pair.registration.status is Status.WAITLISTED
    assert messages_to("rein.oja@example.ee") == ["waitlisted", "promoted"]
    assert messages_to("mari.tamm@example.ee") == ["confirmed", "cancelled"]
    with writing():
        assert services.cancel(first.registration) == []  # twice changes nothing
        db.session.commit()


def test_rejecting_a_confirmed_registration_promotes(decider, make_event):
    event = make_event(capacity=1)
    first = register(event, person("Mari Tamm"))
    waiting = register(event, person("Jaan Kask"))
    with writing():
        promoted = services.change_status(first.registration, Status.REJECTED, decider)
        db.session.commit()
    assert promoted == [waiting.registration]
    with writing(), pytest.raises(TransitionNotAllowed):
        services.change_status(first.registration, Status.CONFIRMED, decider)
    db.session.rollback()


def test_raising_capacity_promotes(make_event):
    event = make_event(capacity=1)
    register(event, person("Mari Tamm"))
    waiting = register(event, person("Jaan Kask"))
    event.capacity = 2
    with writing():
        db.session.flush()
        promoted = promote_waiting(lock_event(event.id))
        db.session.commit()
    assert promoted == [waiting.registration]


def test_adding_a_companion_needs_a_free_seat_removing_one_frees_it(make_event):
    event = make_event(capacity=2)
    mari = register(event, person("Mari Tamm"))
    jaan = register(event, person("Jaan Kask", companion=True))  # waitlisted: 2 seats
    data = services.data_from_registration(mari.registration)
    data.companion = True
    data.consent_privacy = True
    with writing():
        services.update_details(mari.registration, data)  # 2 seats: still fits
        db.session.commit()
    assert mari.registration.seats == 2
    data.companion = False
    with writing():
        services.update_details(mari.registration, data)
        db.session.commit()
    assert jaan.registration.status is Status.WAITLISTED  # 1 seat free, the pair needs 2
    third = register(event, person("Aino Sepp"))
    assert third.registration.status is Status.CONFIRMED
    data.companion = True
    with writing(), pytest.raises(InvalidRegistration) as error:
        services.update_details(mari.registration, data)
    assert "companion" in error.value.errors
    db.session.rollback()


def test_withdrawing_health_consent_deletes_the_health_data(make_event):
    event = make_event()
    outcome = register(event, person(needs={"wheelchair", "vegan"}, needs_note="Vajan pause",
                                     transport_needed=True, transport_pickup="Rõuge",
                                     consent_health=True))
    withdraw_health_consent(outcome.registration)
    db.session.commit()
    registration = outcome.registration
    assert registration.need_codes == set()
    assert (registration.needs_note, registration.transport_pickup) == ("", "")
    assert registration.consent_health_at is None


def test_manage_token_finds_the_registration_and_is_not_stored(make_event):
    outcome = register(make_event(), person())
    assert registration_for_token(outcome.token) == outcome.registration
    assert outcome.token not in (outcome.registration.manage_token_hash,
                                 outcome.registration.manage_nonce)
    assert len(outcome.token) >= 22  # at least 128 bits, base64
    assert registration_for_token(outcome.token[:-1] + "x") is None


def test_resend_links_queues_one_message_per_active_registration(make_event):
    register(make_event(), person(email="mari@example.ee"))
    register(make_event(), person(email="mari@example.ee"))
    with writing():
        assert services.resend_links("MARI@example.ee") == 2
        assert services.resend_links("nobody@example.ee") == 0
        db.session.commit()


def test_seat_decisions_refuse_to_run_without_a_write_transaction_on_sqlite(make_event, app):
    event = make_event()
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    db.session.commit()
    with pytest.raises(RuntimeError, match="write transaction"):
        services.register(event, person())
    db.session.rollback()
