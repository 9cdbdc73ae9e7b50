"""People who asked for news of coming events, and an announcement sent to them three weeks
ago: some participants of the Antsla workshop ticked "tell me about future events", and two
people signed up on the public page (and confirmed their address)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.announcements.models import (
    Announcement,
    AnnouncementStatus,
    Subscriber,
    SubscriberSource,
)
from koosloome.announcements.services import email_key
from koosloome.db import utcnow
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import Registration
from koosloome.tokens import hash_token

#: (e-mail, name, language, county) of the confirmed sign-ups
SIGN_UPS = (
    ("helju.tamm@example.ee", "Helju Tamm", "et", "voru"),
    ("anna.smith@example.com", "Anna Smith", "en", "tartu"),
)
PAST_SUBJECT = "Kevadel tulevad uued töötoad"
CONSENTING_EVENTS = ("koosloome-tootuba-antsla", "eakate-kaasamine-voru")


def _sign_up(email: str, name: str, language: str, county: str) -> bool:
    if db.session.scalars(select(Subscriber).where(
            Subscriber.email_key == email_key(email))).first() is not None:
        return False
    subscriber = Subscriber(email=email, email_key=email_key(email), name=name,
                            language=language, county=county, source=SubscriberSource.SITE,
                            token_nonce=secrets.token_hex(16),
                            confirm_sent_at=utcnow() - timedelta(days=40),
                            confirmed_at=utcnow() - timedelta(days=40))
    subscriber.token_hash = hash_token(subscriber.unsubscribe_token)
    db.session.add(subscriber)
    return True


def _consent() -> None:
    """Every other participant of the chosen events ticked the box."""
    for slug in CONSENTING_EVENTS:
        registrations = db.session.scalars(select(Registration).join(Event).where(
            Event.slug == slug, Registration.email.is_not(None)).order_by(Registration.id))
        for index, registration in enumerate(registrations):
            if index % 2 == 0:
                registration.consent_future_events = True


def ensure_announcements(orgs: dict[str, Organisation]) -> int:
    """The consents, the sign-ups and one sent announcement; how many objects were added."""
    _consent()
    created = sum(_sign_up(*sign_up) for sign_up in SIGN_UPS)
    if db.session.scalars(select(Announcement).where(
            Announcement.subject_et == PAST_SUBJECT)).first() is None:
        sent_at = utcnow() - timedelta(days=21)
        db.session.add(Announcement(
            organisation_id=orgs["vpk"].id, subject_et=PAST_SUBJECT,
            body_et="Tere!\n\nKevadel korraldame Võrumaal kaks uut koosloome töötuba. "
                    "Registreerimine algab varsti: vaata ürituste lehte.",
            subject_en="New workshops in spring",
            body_en="Hello!\n\nIn spring we hold two new co-creation workshops in Võru "
                    "County. Registration opens soon: see the events page.",
            counties=[], status=AnnouncementStatus.SENT, sent_at=sent_at, recipients=5,
            created_at=sent_at - timedelta(hours=1)))
        created += 1
    db.session.flush()
    return created
