"""Staff get a digest of the arrangements still open 7 and 2 days before an event (issue 17.1),
queued by ``reminders send`` once per mark, however often it runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from koosloome.accounts.models import Role
from koosloome.arrangements.digest import queue_digests
from koosloome.arrangements.models import Arrangement, ArrangementKind, ArrangementStatus
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.delivery import render_pending
from koosloome.messaging.models import OutgoingEmail
from koosloome.registrations.models import RegistrationNeed


def _digests() -> list[OutgoingEmail]:
    return list(db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.kind == "arrangement_digest").order_by(OutgoingEmail.to_address)))


def _event_with_needs(make_event, make_registration, days: float, **fields):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(days=days),
                       title_et="Eakate kaasamine", **fields)
    make_registration(event, needs=[RegistrationNeed(code="sign_language"),
                                    RegistrationNeed(code="vegan")])
    make_registration(event, needs=[RegistrationNeed(code="sign_language")])
    return event


def test_open_arrangements_reach_the_organisers_and_whoever_answers_for_them(
        runner, make_event, make_registration, make_user):
    organiser = make_user(Role.ORGANISER, "vpk", name="Kadri Kuusk", email="kadri@vpk.test")
    admin = make_user(Role.ADMIN, "vpk", name="Ants Admin", email="ants@vpk.test")
    make_user(Role.ORGANISER, "vpk", email="endine@vpk.test", active=False)
    make_user(Role.ORGANISER, "tas", email="tartu@tas.test")  # the other partner's
    event = _event_with_needs(make_event, make_registration, days=6)
    db.session.add_all([
        Arrangement(event_id=event.id, kind=ArrangementKind.SIGN_LANGUAGE,
                    status=ArrangementStatus.REQUESTED, responsible_id=admin.id),
        Arrangement(event_id=event.id, kind=ArrangementKind.CATERING,
                    status=ArrangementStatus.CONFIRMED)])
    db.session.commit()

    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "1 digest(s)" not in first.output and "2 digest(s)" in first.output
    assert [email.to_address for email in _digests()] == [admin.email, organiser.email]
    render_pending()
    body = _digests()[1].body_text
    assert "Viipekeele tõlk: Tellitud; seda palus 2 inimest; vastutaja: Ants Admin" in body
    assert "Toitumisvajadused" not in body  # settled: not in the digest
    assert f"/admin/events/{event.id}/arrangements" in body
    assert "6 päeva pärast" in body

    again = runner.invoke(args=["reminders", "send"])
    assert "0 digest(s)" in again.output and len(_digests()) == 2
    # The 2-day mark is a digest of its own.
    assert queue_digests(utcnow() + timedelta(days=4, hours=1)) == 2
    assert len(_digests()) == 4


def test_nothing_open_means_no_digest_and_a_late_event_gets_one_not_two(
        make_event, make_registration, make_user):
    make_user(Role.ORGANISER, "vpk")
    settled = _event_with_needs(make_event, make_registration, days=1)
    for kind in (ArrangementKind.SIGN_LANGUAGE, ArrangementKind.CATERING):
        db.session.add(Arrangement(event_id=settled.id, kind=kind,
                                   status=ArrangementStatus.DONE))
    db.session.commit()
    assert queue_digests(utcnow()) == 0
    late = _event_with_needs(make_event, make_registration, days=1)
    assert queue_digests(utcnow()) == 1  # both marks have passed: one digest, the nearer
    assert queue_digests(utcnow()) == 0
    assert [email.event_id for email in _digests()] == [late.id]
