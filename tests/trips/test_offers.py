"""Offers with a deadline (issue 18.3): a freed or chosen seat is held for the person until
a deadline (never past the event's cut-off); they accept it with one button, or it lapses
and goes to the next in line, with a message to both. The waiting list's promotion with a
deadline: any event can switch it on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.events.models import Event, RegistrationMode
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations import services
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.seating.counts import seat_counts
from koosloome.seating.offers import Acceptance, accept_offer
from tests.factories import writing
from tests.registrations.test_concurrency import run_together

Status = RegistrationStatus


@pytest.fixture
def full(make_event, make_registration):
    """Two seats, both taken; Anne then Bert wait."""
    event = make_event(capacity=2, offer_hours=72)
    seated = [make_registration(event, name=f"Istuja {n}") for n in (1, 2)]
    waiting = [make_registration(event, name=name, email=f"{name.lower()}@example.ee",
                                 status=Status.WAITLISTED,
                                 waitlisted_at=utcnow() - timedelta(hours=10 - n))
               for n, name in enumerate(("Anne", "Bert"))]
    return event, seated, waiting


def _kinds(registration: Registration) -> list[str]:
    return list(db.session.scalars(select(OutgoingEmail.kind).where(
        OutgoingEmail.registration_id == registration.id).order_by(OutgoingEmail.id)))


def _status(registration: Registration) -> Status:
    db.session.commit()  # a fresh snapshot: other threads and requests have written
    return db.session.get(Registration, registration.id).status


def test_a_freed_seat_is_offered_until_the_deadline_and_held_meanwhile(client, full):
    event, seated, (anne, bert) = full
    client.post(f"/r/{seated[0].manage_token}/cancel")
    db.session.expire_all()
    anne = db.session.get(Registration, anne.id)
    assert anne.status is Status.OFFERED
    hours = (anne.offer_expires_at - utcnow()).total_seconds() / 3600
    assert 71.9 < hours <= 72
    assert _status(bert) is Status.WAITLISTED
    assert seat_counts([event.id])[event.id].taken == 2  # the offer holds the seat
    render_pending()
    offer = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.registration_id == anne.id)).one()
    assert offer.kind == "offer_made" and offer.calendar is None
    assert f"/r/{anne.manage_token}/accept" in offer.body_text
    assert "Palun võta see vastu hiljemalt" in offer.body_text
    # a newcomer waits behind the offer
    client.post(f"/events/{event.slug}/register", data={
        "name": "Uus Tulija", "email": "uus@example.ee", "language": "et",
        "consent_privacy": "y"})
    assert db.session.scalars(select(Registration.status).where(
        Registration.email == "uus@example.ee")).one() is Status.WAITLISTED


def test_the_link_opens_a_page_and_only_the_button_accepts(client, full):
    _event, seated, (anne, _bert) = full
    client.post(f"/r/{seated[0].manage_token}/cancel")
    page = client.get(f"/r/{anne.manage_token}/accept")
    assert page.status_code == 200 and "Võta koht vastu" in page.get_data(as_text=True)
    assert _status(anne) is Status.OFFERED  # a mail scanner's GET accepts nothing
    manage = client.get(f"/r/{anne.manage_token}").get_data(as_text=True)
    assert "Sulle pakutakse kohta" in manage
    accepted = client.post(f"/r/{anne.manage_token}/accept", follow_redirects=True)
    assert "Võtsid koha vastu" in accepted.get_data(as_text=True)
    assert _status(anne) is Status.CONFIRMED
    again = client.post(f"/r/{anne.manage_token}/accept", follow_redirects=True)
    assert "Oled selle koha juba vastu võtnud" in again.get_data(as_text=True)
    render_pending()
    accepted_mail = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.registration_id == anne.id, OutgoingEmail.kind == "offer_accepted")).one()
    assert accepted_mail.calendar is not None and b"METHOD:REQUEST" in accepted_mail.calendar


def test_an_unanswered_offer_lapses_and_passes_on_with_a_message_to_both(client, runner, full):
    event, seated, (anne, bert) = full
    client.post(f"/r/{seated[0].manage_token}/cancel")
    db.session.expire_all()
    db.session.get(Registration, anne.id).offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["reminders", "send"])
    assert "1 offer(s) lapsed" in result.output, result.output
    assert _status(anne) is Status.LAPSED and _status(bert) is Status.OFFERED
    assert _kinds(anne) == ["offer_made", "offer_lapsed"]
    assert _kinds(bert) == ["offer_made"]
    assert seat_counts([event.id])[event.id].taken == 2
    late = client.post(f"/r/{anne.manage_token}/accept", follow_redirects=True)
    assert "aeg on läbi" in late.get_data(as_text=True)
    assert _status(anne) is Status.LAPSED


def test_a_late_yes_lapses_the_offer_even_before_any_sweep(client, full):
    _event, seated, (anne, bert) = full
    client.post(f"/r/{seated[0].manage_token}/cancel")
    db.session.expire_all()
    db.session.get(Registration, anne.id).offer_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    late = client.post(f"/r/{anne.manage_token}/accept", follow_redirects=True)
    assert "aeg on läbi" in late.get_data(as_text=True)
    assert _status(anne) is Status.LAPSED and _status(bert) is Status.OFFERED


def test_no_offer_runs_past_the_cutoff(client, make_event, make_registration):
    cutoff = utcnow().replace(microsecond=0) + timedelta(hours=5)
    event = make_event(capacity=1, offer_hours=72, offer_cutoff_at=cutoff)
    seated = make_registration(event)
    anne = make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    client.post(f"/r/{seated.manage_token}/cancel")
    db.session.expire_all()
    assert db.session.get(Registration, anne.id).offer_expires_at == cutoff
    # After the cut-off nobody is offered the seat: the organisers decide.
    late = make_event(capacity=1, offer_hours=72, offer_cutoff_at=utcnow() - timedelta(hours=1))
    seated = make_registration(late)
    bert = make_registration(late, status=Status.WAITLISTED, waitlisted_at=utcnow())
    client.post(f"/r/{seated.manage_token}/cancel")
    assert _status(bert) is Status.WAITLISTED
    assert seat_counts([late.id])[late.id].taken == 0


def test_choosing_an_application_offers_the_place_and_staff_can_accept_it_on_the_phone(
        client, login, make_user, make_event, make_registration):
    trip = make_event(capacity=5, offer_hours=48, registration_mode=RegistrationMode.APPLICATION)
    applicant = make_registration(trip, status=Status.PENDING)
    login(make_user(Role.ORGANISER, "vpk"))
    client.post(f"/admin/registrations/{applicant.id}/status", data={"to": "confirmed"})
    assert _status(applicant) is Status.OFFERED
    detail = client.get(f"/admin/registrations/{applicant.id}").get_data(as_text=True)
    assert "Võta koht tema eest vastu" in detail
    client.post(f"/admin/registrations/{applicant.id}/status", data={"to": "confirmed"})
    assert _status(applicant) is Status.CONFIRMED
    changes = db.session.scalars(select(AuditLog.details).where(
        AuditLog.action == "registration.status")).all()
    assert [(c["status_from"], c["status_to"]) for c in changes] == [
        ("pending", "offered"), ("offered", "confirmed")]


def test_an_event_without_offers_still_gives_the_seat_at_once(client, make_event,
                                                              make_registration):
    event = make_event(capacity=1)
    seated = make_registration(event)
    anne = make_registration(event, status=Status.WAITLISTED, waitlisted_at=utcnow())
    client.post(f"/r/{seated.manage_token}/cancel")
    assert _status(anne) is Status.CONFIRMED


def test_offers_lapsing_and_a_yes_at_the_same_moment_never_overbook(app, make_event,
                                                                     make_registration):
    """Two offers past their deadline and one still open, with the waiting list behind:
    the sweep, the open offer's yes and a late yes race. Whatever the order, the seats held
    never exceed the capacity, the late yes is refused and the open one is kept."""
    event = make_event(capacity=3, offer_hours=24)
    past, soon = utcnow() - timedelta(seconds=1), utcnow() + timedelta(hours=1)
    late_a = make_registration(event, status=Status.OFFERED, offer_expires_at=past)
    late_b = make_registration(event, status=Status.OFFERED, offer_expires_at=past)
    open_c = make_registration(event, status=Status.OFFERED, offer_expires_at=soon)
    queue = [make_registration(event, status=Status.WAITLISTED,
                               waitlisted_at=utcnow() - timedelta(minutes=10 - n))
             for n in range(4)]
    event_id = event.id

    def sweep() -> int:
        from koosloome.seating.offers import lapse_event
        return lapse_event(event_id)

    def accept(registration_id: int):
        return lambda: accept_offer(db.session.get(Registration, registration_id))

    results = run_together(app, [sweep, accept(open_c.id), accept(late_a.id)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[1] is Acceptance.ACCEPTED and results[2] is Acceptance.LAPSED
    db.session.commit()
    counts = seat_counts([event_id])[event_id]
    assert counts.taken == 3 and counts.confirmed == 1 and counts.offered == 2
    assert [_status(r) for r in (late_a, late_b, open_c)] == [
        Status.LAPSED, Status.LAPSED, Status.CONFIRMED]
    assert [_status(r) for r in queue] == [Status.OFFERED, Status.OFFERED, Status.WAITLISTED,
                                           Status.WAITLISTED]
    # each lapsed person told once, each new offer once
    for person in (late_a, late_b):
        assert _kinds(person).count("offer_lapsed") == 1
    for person in queue[:2]:
        assert _kinds(person) == ["offer_made"]
    event = db.session.get(Event, event_id)
    assert event.capacity == 3
    with writing():
        assert services.cancel(db.session.get(Registration, open_c.id))
        db.session.commit()
    assert _status(queue[2]) is Status.OFFERED
