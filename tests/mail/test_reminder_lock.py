"""A reminder run for 200 people does not hold the write lock while it renders: the run only
queues (under the event lock), the worker renders outside any write transaction, and a person
who registers meanwhile is not kept waiting."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from koosloome.db import utcnow
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.messaging import delivery
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations import services
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.registrations.services import RegistrationData
from tests.factories import writing

PEOPLE = 200


def _event_with_reminders_due(make_event) -> Event:
    now = utcnow()
    event = make_event(starts_at=now + timedelta(days=1), capacity=PEOPLE + 10)
    for number in range(PEOPLE):
        registration = Registration(
            event=event, status=RegistrationStatus.CONFIRMED, name=f"Osaleja {number}",
            email=f"meeldetuletus{number}@example.ee", consent_privacy_at=now,
            created_at=now - timedelta(days=7), confirmed_at=now - timedelta(days=7))
        assign_manage_token(registration)
        db.session.add(registration)
    db.session.commit()
    return event


def _unrendered() -> int:
    return db.session.scalar(select(func.count()).where(OutgoingEmail.pending.is_not(None)))


def test_a_registration_completes_while_a_reminder_run_is_being_rendered(
    app, runner, make_event, monkeypatch
):
    event_id = _event_with_reminders_due(make_event).id
    queued = runner.invoke(args=["reminders", "send"])
    assert f"Queued {PEOPLE} reminder(s)" in queued.output, queued.output
    assert _unrendered() == PEOPLE  # nothing was rendered while the event was locked
    db.session.commit()

    rendering, release = threading.Event(), threading.Event()
    render = delivery.render_pending_email

    def paused_render(email):
        rendering.set()
        release.wait(timeout=120)  # hold the renderer mid-run until the registration is in
        return render(email)

    monkeypatch.setattr(delivery, "render_pending_email", paused_render)
    rendered: list[int] = []

    def run_worker_render() -> None:
        with app.app_context():
            rendered.append(delivery.render_pending(limit=PEOPLE))

    def register_someone(outcome: list) -> None:
        with app.app_context(), writing():
            person = RegistrationData(name="Uus Inimene", email="uus@example.ee",
                                      consent_privacy=True)
            result = services.register(db.session.get(Event, event_id), person)
            db.session.commit()
            outcome.append(result.registration.status)

    worker = threading.Thread(target=run_worker_render)
    worker.start()
    try:
        assert rendering.wait(timeout=60)
        outcome: list = []
        newcomer = threading.Thread(target=register_someone, args=(outcome,))
        newcomer.start()
        # While the renderer is held, the registration must get through: it would wait (and
        # fail with "database is locked" or a lock timeout) if rendering held the lock.
        newcomer.join(timeout=60)
        assert not newcomer.is_alive(), "the registration waited for the reminder run"
        assert outcome == [RegistrationStatus.CONFIRMED]
    finally:
        release.set()
        worker.join(timeout=120)
    assert rendered == [PEOPLE]
    db.session.rollback()
    assert _unrendered() == 1  # the newcomer's confirmation, rendered by the next round
