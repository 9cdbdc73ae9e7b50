"""Fixtures for the privacy tests: registrations full of health data, events in the past."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from koosloome.db import utcnow
from koosloome.events.models import Event, ExtraQuestion, QuestionKind
from koosloome.extensions import db
from koosloome.messaging.models import EmailStatus, OutgoingEmail
from koosloome.registrations.models import Answer, Registration, RegistrationNeed
from tests.extra_apps import make_app

__all__ = ["make_app"]


@pytest.fixture
def past_event(make_event) -> Callable[..., Event]:
    """``past_event(days=31)`` → an event that ended that long ago, with three extra questions
    (a sensitive one, a free-text one, a choice)."""

    def build(days: float = 0, **fields: Any) -> Event:
        ends_at = utcnow().replace(microsecond=0) - timedelta(days=days)
        event = make_event(starts_at=ends_at - timedelta(hours=4), **fields)
        event.ends_at = ends_at
        event.questions = [
            ExtraQuestion(position=1, kind=QuestionKind.DATE, label_et="Sünniaeg",
                          sensitive=True),
            ExtraQuestion(position=2, kind=QuestionKind.LONG_TEXT, label_et="Ootused"),
            ExtraQuestion(position=3, kind=QuestionKind.SINGLE_CHOICE, label_et="Töötuba",
                          choices=[{"value": "a", "et": "A", "en": "A"}]),
        ]
        db.session.commit()
        return event

    return build


@pytest.fixture
def full_registration(make_registration) -> Callable[..., Registration]:
    """``full_registration(event)`` → a checked-in registration with every kind of data."""

    def build(event: Event, **fields: Any) -> Registration:
        values: dict[str, Any] = {
            "phone": "+372 5123 4567",
            "organisation_name": "Rõuge Külaselts",
            "sector": "community",
            "county": "voru",
            "municipality": "Rõuge vald",
            "companion": True,
            "seats": 2,
            "companion_name": "Jaan Tamm",
            "companion_needs": "gluteenivaba toit",
            "needs_note": "Vajan istekohta ukse lähedal",
            "allergies": "pähklid",
            "transport_needed": True,
            "transport_pickup": "Haanja bussipeatus",
            "transport_wheelchair": True,
            "phone_me": True,
            "gender": "female",
            "age_band": "55+",
            "has_disability": True,
            "consent_health_at": utcnow(),
            "checked_in_at": event.starts_at + timedelta(minutes=5),
            "internal_note": "Helistas 2. mail",
        }
        values.update(fields)
        registration = make_registration(event, **values)
        registration.needs = [RegistrationNeed(code="wheelchair"),
                              RegistrationNeed(code="gluten_free")]
        sensitive, free_text, choice = event.questions
        registration.answers = [
            Answer(question=sensitive, value="1948-05-01"),
            Answer(question=free_text, value="Tahan kuulda häid näiteid"),
            Answer(question=choice, value="a"),
        ]
        db.session.add(OutgoingEmail(kind="confirmation", status=EmailStatus.SENT,
                                     to_address=registration.email or "", subject="Kinnitus",
                                     body_text="Sinu vajadused: ratastool", event_id=event.id,
                                     registration_id=None))
        db.session.commit()
        return registration

    return build
