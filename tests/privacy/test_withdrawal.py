"""Withdrawing consent to health data clears exactly what the retention purge clears, and
the audit log records that it happened (without what was deleted)."""

from __future__ import annotations

import json

from sqlalchemy import select

from koosloome.audit import AuditLog
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.privacy.services import RetentionPolicy, purge
from koosloome.registrations.models import Registration
from koosloome.registrations.personal_data import withdraw_health_consent
from tests.factories import writing

#: Columns that say nothing about health and must survive both.
_KEPT = ("name", "email", "phone", "organisation_name", "companion", "seats", "gender",
         "age_band", "internal_note", "checked_in_at")


def _snapshot(registration: Registration) -> dict:
    db.session.refresh(registration)
    names = [column.key for column in Registration.__table__.columns]
    columns = {name: getattr(registration, name) for name in names
               if name not in ("updated_at", "health_purged_at")}
    columns["needs"] = sorted(registration.need_codes)
    columns["answers"] = sorted(a.question.label_et for a in registration.answers)
    return columns


def test_withdrawal_clears_what_the_purge_clears_and_is_logged(past_event, full_registration):
    withdrawn = full_registration(past_event(days=1))
    purged = full_registration(past_event(days=40))
    with writing():
        withdraw_health_consent(withdrawn)
        purge(utcnow(), RetentionPolicy(30, 84))  # the 40-day-old event only
        db.session.commit()
    after_withdrawal, after_purge = _snapshot(withdrawn), _snapshot(purged)
    differing = {key for key in after_withdrawal
                 if key not in ("id", "event_id", "manage_nonce", "manage_token_hash",
                                "created_at", "consent_privacy_at", "checked_in_at",
                                "confirmed_at", "name", "email")
                 and after_withdrawal[key] != after_purge[key]}
    assert differing == set()
    assert after_withdrawal["needs"] == [] and after_withdrawal["companion_name"] == ""
    assert after_withdrawal["companion_needs"] == ""
    assert after_withdrawal["phone_me"] is False
    assert after_withdrawal["has_disability"] is None
    assert after_withdrawal["answers"] == ["Ootused", "Töötuba"]  # the sensitive one is gone
    for column in _KEPT:
        assert after_withdrawal[column] not in (None, ""), column
    entry = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "registration.health_consent_withdrawn")).one()
    assert entry.object_id == withdrawn.id
    assert "pähklid" not in json.dumps(entry.details)
