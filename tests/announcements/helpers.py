"""Shared steps of the announcement tests: sign-ups, consented people, reading the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from koosloome.announcements import services
from koosloome.announcements.models import Announcement, Subscriber
from koosloome.db import utcnow
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.models import OutgoingEmail
from tests import factories


def outbox(kind: MessageKind) -> list[OutgoingEmail]:
    """The messages of ``kind`` in the outbox, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.kind == kind.value)
                                   .order_by(OutgoingEmail.id)))


def confirmed_subscriber(email: str, language: str = "et", county: str | None = None,
                         name: str = "") -> Subscriber:
    """A site subscriber who clicked the confirmation link; committed."""
    with factories.writing():
        services.subscribe(email, name, language, county, utcnow())
        subscriber = services.subscriber_by_email(email)
        assert subscriber is not None
        services.confirm(subscriber, utcnow())
        db.session.commit()
    return subscriber


def consenting(event: Any, **fields: Any) -> Any:
    """A confirmed registration with "tell me about future events" ticked; committed."""
    return factories.make_registration(event, consent_future_events=True, **fields)


def draft(user: Any, **values: Any) -> Announcement:
    """A draft announcement of ``user``'s partner; committed."""
    event_ids = values.pop("event_ids", [])
    texts = {"subject_et": "Uued üritused", "body_et": "Tule kevadseminarile!",
             "subject_en": "", "body_en": "", "counties": []}
    texts.update(values)
    with factories.writing():
        announcement = services.save_announcement(texts, event_ids, user)
        db.session.commit()
    return announcement


def recipients(announcement: Announcement) -> list[str]:
    """The addresses the announcement would reach now."""
    return [person.email for person in services.audience_of(announcement)]
