"""The registration lifecycle's one table: every change of status tells the person the right
thing and does the right thing to their calendar."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.accounts.services import create_api_token
from koosloome.audit import AuditLog
from koosloome.events.models import RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.kinds import CalendarAction, MessageKind
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations import services
from koosloome.registrations.models import RegistrationStatus
from koosloome.registrations.services import RegistrationData
from koosloome.seating.lifecycle import ERASURE, TRANSITIONS, TransitionNotAllowed, allowed
from tests.factories import organisation, writing

Status = RegistrationStatus


@pytest.fixture
def decider(make_user):
    """The organiser whose decisions the tests make (they are audited)."""
    return make_user(Role.ORGANISER, "vpk")


def test_an_invitation_goes_out_exactly_when_a_seat_is_given_and_is_withdrawn_when_taken():
    for (current, new), effect in TRANSITIONS.items():
        gives_seat = new is Status.CONFIRMED and current is not Status.CONFIRMED
        takes_seat = current is Status.CONFIRMED and new is not Status.CONFIRMED
        expected = (CalendarAction.REQUEST if gives_seat
                    else CalendarAction.CANCEL if takes_seat else CalendarAction.NONE)
        assert effect.calendar is expected, (current, new)
    assert ERASURE.calendar is CalendarAction.CANCEL


def test_every_status_can_be_reached_and_ended_and_no_end_can_be_left():
    reached = {new for _current, new in TRANSITIONS}
    assert reached == set(Status)
    ends = {Status.REJECTED, Status.CANCELLED}
    assert not [pair for pair in TRANSITIONS if pair[0] in ends]
    assert allowed(Status.CONFIRMED, Status.REJECTED)
    assert not allowed(Status.CANCELLED, Status.CONFIRMED)


def _register(event, name: str):
    data = RegistrationData(name=name, email=f"{name.lower()}@example.ee", consent_privacy=True)
    with writing():
        outcome = services.register(event, data)
        db.session.commit()
    return outcome.registration


def _last_message(registration) -> OutgoingEmail:
    return db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.registration_id == registration.id)
        .order_by(OutgoingEmail.id.desc())
    ).first()


@pytest.mark.parametrize(
    ("mode", "message"),
    [(RegistrationMode.OPEN, MessageKind.REGISTRATION_DECLINED),
     (RegistrationMode.APPLICATION, MessageKind.APPLICATION_REJECTED)],
)
def test_rejecting_a_confirmed_registration_says_so_and_cancels_the_invitation(
    decider, make_event, mode, message
):
    event = make_event(registration_mode=mode)
    registration = _register(event, "Mari")
    if mode is RegistrationMode.APPLICATION:
        with writing():
            services.change_status(registration, Status.CONFIRMED, decider)
            db.session.commit()
    with writing():
        services.change_status(registration, Status.REJECTED, decider)
        db.session.commit()
    email = _last_message(registration)
    assert (email.kind, email.calendar_method) == (message.value, "CANCEL")


def test_rejecting_from_the_waiting_list_withdraws_nothing(decider, make_event):
    event = make_event(capacity=1)
    _register(event, "Mari")
    waiting = _register(event, "Jaan")
    with writing():
        services.change_status(waiting, Status.REJECTED, decider)
        db.session.commit()
    email = _last_message(waiting)
    assert (email.kind, email.calendar_method) == ("registration_declined", None)


def test_a_change_the_table_does_not_hold_is_refused_and_tells_nobody(decider, make_event):
    registration = _register(make_event(), "Mari")
    with writing():
        services.change_status(registration, Status.CANCELLED, decider)
        db.session.commit()
    before = db.session.scalars(select(OutgoingEmail.id)).all()
    with writing(), pytest.raises(TransitionNotAllowed):
        services.change_status(registration, Status.REJECTED, decider)
    db.session.rollback()
    assert db.session.scalars(select(OutgoingEmail.id)).all() == before


def test_every_decision_is_audited_on_the_page_and_in_the_api(client, login, make_event,
                                                              make_user):
    # Found: rejecting or cancelling wrote no audit entry, and neither did reading health
    # data through the API.
    event = make_event(organisation=organisation("vpk"))
    first, second = _register(event, "Mari"), _register(event, "Jaan")
    organiser = make_user(Role.ORGANISER, "vpk")
    token = create_api_token(organiser)
    db.session.commit()
    login(organiser).post(f"/admin/registrations/{first.id}/status", data={"to": "rejected"})
    api = {"Authorization": f"Bearer {token}"}
    assert client.patch(f"/api/v1/registrations/{second.id}", headers=api,
                        json={"status": "cancelled"}).status_code == 200
    assert client.get(f"/api/v1/events/{event.id}/registrations", headers=api).status_code == 200
    entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    decisions = [(e.object_id, e.details.get("status_to")) for e in entries
                 if e.action == "registration.status"]
    assert decisions == [(first.id, "rejected"), (second.id, "cancelled")]
    assert all(e.user_id == organiser.id for e in entries if e.action != "login")
    assert {"registration.view_health", "api.view_health"} <= {e.action for e in entries}
