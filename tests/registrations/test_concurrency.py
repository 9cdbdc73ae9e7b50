"""No overbooking under a rush, on SQLite and PostgreSQL: the event row is locked, then counted."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from koosloome.db import write_intent
from koosloome.extensions import db
from koosloome.messaging.models import CallTask, OutgoingEmail
from koosloome.registrations import services
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.registrations.services import RegistrationData
from koosloome.seating.counts import waitlist_position

Status = RegistrationStatus


def run_together(app, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread and app context, all released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        with app.app_context():
            barrier.wait()
            try:
                with write_intent():
                    results[index] = job()
                    db.session.commit()
            except Exception as exc:  # the test reports every failure
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _person(number: int) -> RegistrationData:
    """Every third person has no e-mail, only a phone: they are called instead."""
    if number % 3 == 2:
        return RegistrationData(name=f"Osaleja {number}", phone=f"+372 5100 {number:04d}",
                                consent_privacy=True)
    return RegistrationData(name=f"Osaleja {number}", email=f"rush{number}@example.ee",
                            consent_privacy=True)


def _messages_per_registration(event_id: int) -> tuple[Counter, Counter]:
    """registration id → e-mails, and → call tasks."""
    emails = Counter(db.session.scalars(select(OutgoingEmail.registration_id).where(
        OutgoingEmail.event_id == event_id)))
    calls = Counter(db.session.scalars(select(CallTask.registration_id).where(
        CallTask.event_id == event_id)))
    return emails, calls


def _statuses(event_id: int) -> Counter:
    db.session.commit()
    rows = db.session.scalars(select(Registration.status).where(Registration.event_id == event_id))
    return Counter(rows)


def test_sixty_concurrent_registrations_for_ten_seats(app, make_event):
    event = make_event(capacity=10)
    event_id = event.id

    def register(number: int) -> Callable[[], Status]:
        def job() -> Status:
            from koosloome.events.models import Event

            return services.register(db.session.get(Event, event_id), _person(number)) \
                .registration.status
        return job

    results = run_together(app, [register(n) for n in range(60)])

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert Counter(results) == {Status.CONFIRMED: 10, Status.WAITLISTED: 50}
    assert _statuses(event_id) == {Status.CONFIRMED: 10, Status.WAITLISTED: 50}
    positions = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status == Status.WAITLISTED))
    assert sorted(waitlist_position(r) for r in positions) == list(range(1, 51))
    # Each person is told exactly once: an e-mail, or a call for those with only a phone.
    emails, calls = _messages_per_registration(event_id)
    everyone = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id)).all()
    by_phone = {r.id for r in everyone if r.email is None}
    assert len(by_phone) == 20
    assert set(calls) == by_phone and set(calls.values()) == {1}
    assert set(emails) == {r.id for r in everyone} - by_phone and set(emails.values()) == {1}


def test_ten_concurrent_cancellations_promote_exactly_ten(app, make_event, make_registration):
    event = make_event(capacity=10)
    confirmed = [make_registration(event).id for _ in range(10)]
    for _ in range(15):
        make_registration(event, status=Status.WAITLISTED, waitlisted_at=func.now())
    event_id = event.id

    def cancel(registration_id: int) -> list[int]:
        def job() -> list[int]:
            registration = db.session.get(Registration, registration_id)
            return [r.id for r in services.cancel(registration)]
        return job

    results = run_together(app, [cancel(rid) for rid in confirmed])

    assert [r for r in results if isinstance(r, Exception)] == []
    promoted = [rid for batch in results for rid in batch]
    assert len(promoted) == 10
    assert len(set(promoted)) == 10  # nobody promoted twice
    assert _statuses(event_id) == {Status.CANCELLED: 10, Status.CONFIRMED: 10,
                                   Status.WAITLISTED: 5}
    seats = db.session.scalar(select(func.sum(Registration.seats)).where(
        Registration.event_id == event_id, Registration.status == Status.CONFIRMED))
    assert seats == 10


def test_groups_and_single_registrations_racing_for_twelve_seats(app, make_event):
    """Four groups of five (two members each without e-mail) and twenty single people at
    once, for twelve seats: never overbooked, each group's members keep their order (nobody
    overtakes a member listed before them), and each person is told once (members without
    e-mail through their contact's one message)."""
    from koosloome.events.models import Event
    from koosloome.groups import services as groups
    from koosloome.groups.models import RegistrationGroup

    event = make_event(capacity=12)
    event_id = event.id

    def group(number: int) -> Callable[[], Any]:
        members = [RegistrationData(name=f"Grupp {number} liige {i}",
                                    email=f"g{number}m{i}@example.ee" if i < 3 else None)
                   for i in range(5)]
        data = groups.GroupData(contact_name=f"Kontakt {number}",
                                contact_email=f"kontakt{number}@example.ee",
                                members=members, consent_declared=True)
        return lambda: groups.register_group(db.session.get(Event, event_id), data).group.id

    def single(number: int) -> Callable[[], Any]:
        return lambda: services.register(db.session.get(Event, event_id),
                                         _person(100 + number)).registration.id

    jobs = [group(n) for n in range(4)] + [single(n) for n in range(20)]
    results = run_together(app, jobs)

    assert [r for r in results if isinstance(r, Exception)] == []
    db.session.commit()
    seats = db.session.scalar(select(func.sum(Registration.seats)).where(
        Registration.event_id == event_id, Registration.status == Status.CONFIRMED))
    assert seats == 12
    assert _statuses(event_id) == {Status.CONFIRMED: 12, Status.WAITLISTED: 28}
    for group_row in db.session.scalars(select(RegistrationGroup)):
        statuses = [member.status for member in group_row.members]
        assert len(statuses) == 5
        # confirmed ones first, then the waiting ones: never a gap
        assert statuses == sorted(statuses, key=lambda s: s is Status.WAITLISTED)
    emails, calls = _messages_per_registration(event_id)
    members_by_mail = {r.id for r in db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.group_id.is_not(None),
        Registration.email.is_not(None)))}
    assert len(members_by_mail) == 12 and all(emails[rid] == 1 for rid in members_by_mail)
    to_contacts = db.session.scalar(select(func.count(OutgoingEmail.id)).where(
        OutgoingEmail.group_id.is_not(None)))
    assert to_contacts == 4
    singles = [r for r in db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.group_id.is_(None)))]
    assert all(emails[r.id] + calls[r.id] == 1 for r in singles)
    # members without e-mail get neither an e-mail of their own nor a call: the contact has it
    assert not any(calls[r.id] for r in db.session.scalars(select(Registration).where(
        Registration.group_id.is_not(None))))
