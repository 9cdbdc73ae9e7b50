"""``flask privacy purge``: health data goes N days after the event, personal data M months
after it; counts and attendance stay; every run is logged; running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.privacy.services import RetentionPolicy, add_months, purge
from koosloome.privacy.tally import HealthTally
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationStatus,
)

POLICY = RetentionPolicy(health_days=30, personal_months=84)


def _purge(runner, *extra: str) -> str:
    result = runner.invoke(args=["privacy", "purge", *extra])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_health_data_is_deleted_30_days_after_the_event(runner, past_event, full_registration):
    registration = full_registration(past_event(days=31))
    output = _purge(runner)
    assert "health data of 1 registration(s)" in output

    assert registration.health_purged_at is not None
    assert registration.needs == []
    assert _count(RegistrationNeed) == 0
    for name in ("needs_note", "allergies", "transport_pickup", "companion_name",
                 "companion_needs"):
        assert getattr(registration, name) == "", name
    assert not registration.transport_needed
    assert not registration.transport_wheelchair
    assert not registration.phone_me
    assert registration.has_disability is None
    assert registration.consent_health_at is None
    assert sorted(a.question.label_et for a in registration.answers) == ["Ootused", "Töötuba"]
    # Who came, and how to reach them, stay until anonymisation.
    assert registration.name.startswith("Osaleja")
    assert registration.email and registration.phone
    assert registration.checked_in_at is not None
    assert registration.anonymised_at is None


def test_sent_emails_of_the_event_go_with_the_health_data(runner, past_event, full_registration):
    event = past_event(days=31)
    full_registration(event)
    db.session.add(OutgoingEmail(kind="reminder", status=EmailStatus.QUEUED, to_address="a@x.ee",
                                 subject="s", body_text="b", event_id=event.id))
    db.session.commit()
    assert "1 sent e-mail(s)" in _purge(runner)
    assert [e.status for e in db.session.scalars(select(OutgoingEmail))] == [EmailStatus.QUEUED]


def test_nothing_is_purged_before_the_retention_period_ends(runner, past_event,
                                                            full_registration):
    registration = full_registration(past_event(days=29))
    upcoming = full_registration(past_event(days=-10))
    _purge(runner)
    for kept in (registration, upcoming):
        assert kept.health_purged_at is None
        assert kept.need_codes == {"wheelchair", "gluten_free"}
        assert kept.allergies == "pähklid"
        assert len(kept.answers) == 3
    assert _count(OutgoingEmail) == 2


def test_the_health_retention_period_is_configurable(app, runner, past_event, full_registration):
    app.config["HEALTH_DATA_RETENTION_DAYS"] = 7
    registration = full_registration(past_event(days=8))
    assert "(7 days after the event)" in _purge(runner)
    assert registration.health_purged_at is not None


def test_registrations_are_anonymised_after_84_months_keeping_what_the_funder_needs(
    runner, past_event, full_registration
):
    event = past_event(days=85 * 31)
    registration = full_registration(event, status=RegistrationStatus.CONFIRMED)
    old_hash = registration.manage_token_hash
    output = _purge(runner)
    assert "anonymised 1 registration(s) (84 months after the event)" in output

    assert registration.anonymised_at is not None
    assert registration.name == "anonymised"
    assert registration.email is None and registration.phone is None
    assert registration.organisation_name == "" and registration.internal_note == ""
    assert registration.manage_token_hash != old_hash  # the old manage link opens nothing
    # Health data went too, and free-text answers; the choice answer stays for counting.
    assert registration.health_purged_at is not None and registration.needs == []
    assert [a.question.label_et for a in registration.answers] == ["Töötuba"]
    # Counts and attendance survive.
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.seats == 2 and registration.companion
    assert (registration.county, registration.municipality, registration.sector) == (
        "voru", "Rõuge vald", "community")
    assert (registration.gender, registration.age_band) == ("female", "55+")
    # The self-declared disability is health data: gone, its count kept for the report.
    assert registration.has_disability is None
    kept = db.session.scalars(select(HealthTally).where(
        HealthTally.event_id == event.id, HealthTally.dimension == "has_disability")).one()
    assert (kept.value, kept.count, kept.checked_in) == ("yes", 1, 1)
    assert registration.checked_in_at == event.starts_at + timedelta(minutes=5)


def test_the_personal_retention_period_is_configurable(app, runner, past_event,
                                                       full_registration):
    app.config["PERSONAL_DATA_RETENTION_MONTHS"] = 2
    recent = full_registration(past_event(days=40))
    older = full_registration(past_event(days=70))
    _purge(runner)
    assert recent.anonymised_at is None and recent.health_purged_at is not None
    assert older.anonymised_at is not None


def test_purge_is_idempotent_and_every_run_is_logged(runner, past_event, full_registration,
                                                     make_registration):
    health_event = past_event(days=40)
    old_event = past_event(days=90 * 31)
    full_registration(health_event)
    full_registration(health_event)
    full_registration(old_event)
    make_registration(old_event, status=RegistrationStatus.CANCELLED)

    _purge(runner)
    snapshot = [(r.id, r.name, r.email, r.health_purged_at, r.anonymised_at, r.seats,
                 r.checked_in_at, len(r.answers)) for r in
                db.session.scalars(select(Registration).order_by(Registration.id))]
    second = _purge(runner)
    assert "health data of 0 registration(s)" in second
    assert "anonymised 0 registration(s)" in second
    assert snapshot == [(r.id, r.name, r.email, r.health_purged_at, r.anonymised_at, r.seats,
                         r.checked_in_at, len(r.answers)) for r in
                        db.session.scalars(select(Registration).order_by(Registration.id))]

    per_event = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "privacy_purge").order_by(AuditLog.event_id)
    ).all()
    assert [(e.event_id, e.details["health_purged"], e.details["anonymised"],
             e.details["emails_deleted"]) for e in per_event] == [
        (health_event.id, 2, 0, 2), (old_event.id, 2, 2, 1)]
    runs = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "privacy_purge_run").order_by(AuditLog.id)
    ).all()
    assert [(r.actor, r.details["health_purged"], r.details["anonymised"]) for r in runs] == [
        ("cli", 4, 2), ("cli", 0, 0)]


def test_dry_run_changes_nothing(runner, past_event, full_registration):
    registration = full_registration(past_event(days=31))
    assert "Would purge: health data of 1 registration(s)" in _purge(runner, "--dry-run")
    assert registration.health_purged_at is None
    assert registration.allergies == "pähklid"
    assert _count(AuditLog) == 0


def test_the_service_flushes_but_does_not_commit(app, past_event, full_registration):
    registration = full_registration(past_event(days=31))
    purge(utcnow(), POLICY)
    db.session.rollback()
    assert registration.health_purged_at is None
    assert _count(Answer) == 3


def test_adding_months_keeps_the_day_within_the_month():
    start = utcnow().replace(year=2025, month=1, day=31)
    assert add_months(start, 1).date().isoformat() == "2025-02-28"
    assert add_months(start, 84).date().isoformat() == "2032-01-31"
    assert add_months(start, -2).date().isoformat() == "2024-11-30"
