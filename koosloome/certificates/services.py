"""Who gets a certificate of participation, and what it says.

Only people who were there: checked in at the door (the same people the attendance sheet,
the funder's evidence, counts as there), at an event that has ended and was not cancelled.
A registration alone proves nothing, so it earns no certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from koosloome.bilingual import localised
from koosloome.db import utcnow
from koosloome.errors import DomainError
from koosloome.events.models import Event, EventStatus
from koosloome.events.place import venue_label
from koosloome.extensions import db
from koosloome.i18n import days_spanned, format_long_date
from koosloome.registrations.models import Registration, RegistrationSource, RegistrationStatus


class NoCertificate(DomainError):
    """Nobody (or not this person) earns a certificate: not checked in, or the event is not
    over. Organisers are told so on the page they came from; the API answers 409."""

    code = "no_certificate"
    message = _l("No one has a certificate yet: certificates are for the people checked in "
                 "at an event, once it is over.")


class NotThisPerson(NoCertificate):
    """The one person asked for earns no certificate."""

    message = _l("This person has no certificate: certificates are for the people checked "
                 "in at an event, once it is over.")


@dataclass(frozen=True)
class Certificate:
    """The texts of one certificate, in its language."""

    language: str
    name: str
    title: str
    dates: str
    place: str
    organisers: str
    issued: str


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    """Whether the event has ended and took place (a cancelled one certifies nobody)."""
    return event.status is not EventStatus.CANCELLED and event.ends_at <= (now or utcnow())


def attended(registration: Registration) -> bool:
    """Checked in, and on the attendance list: a confirmed participant or a walk-in."""
    return registration.checked_in_at is not None and (
        registration.status is RegistrationStatus.CONFIRMED
        or registration.source is RegistrationSource.WALK_IN)


def may_have_certificate(registration: Registration, now: datetime | None = None) -> bool:
    """Whether ``registration`` earns a certificate: there, at an event that is over."""
    return attended(registration) and event_is_over(registration.event, now)


def certified_registrations(event: Event, now: datetime | None = None) -> list[Registration]:
    """Everyone at ``event`` who earns a certificate, by name (none before it ends)."""
    if not event_is_over(event, now):
        return []
    query = select(Registration).where(
        Registration.event_id == event.id,
        Registration.checked_in_at.is_not(None),
        or_(Registration.status == RegistrationStatus.CONFIRMED,
            Registration.source == RegistrationSource.WALK_IN),
    ).order_by(Registration.name, Registration.id)
    return list(db.session.scalars(query))


def certificate_language(registration: Registration, requested: str | None = None) -> str:
    """The language asked for (``?lang=``) when we write in it, else the one the person
    registered in, else Estonian."""
    languages = tuple(current_app.config["LANGUAGES"])
    for language in (requested, registration.language):
        if language in languages:
            return language
    return "et"


def event_dates(event: Event, language: str) -> str:
    """The day of the event, or its first and last day (``5. märts 2025 – 7. märts 2025``)."""
    first = format_long_date(event.starts_at, language)
    if days_spanned(event.starts_at, event.ends_at) == 1:
        return first
    return f"{first} – {format_long_date(event.ends_at, language)}"


def organisers_of(event: Event) -> str:
    """The organising partner, and the co-organiser if there is one."""
    names = [event.organisation.name]
    if event.co_organiser is not None:
        names.append(event.co_organiser.name)
    return ", ".join(names)


def certificate_for(registration: Registration, language: str,
                    now: datetime | None = None) -> Certificate:
    """The certificate's texts for ``registration`` in ``language``."""
    event = registration.event
    return Certificate(
        language=language,
        name=registration.name,
        title=localised(event, "title", language),
        dates=event_dates(event, language),
        place=venue_label(event, language),
        organisers=organisers_of(event),
        issued=format_long_date(now or utcnow(), language),
    )


def certificates_for_event(event: Event, requested: str | None = None) -> list[Certificate]:
    """One certificate for each person who earns one, each in their language unless
    ``requested`` is a language we write in."""
    now = utcnow()
    return [certificate_for(registration, certificate_language(registration, requested), now)
            for registration in certified_registrations(event, now)]


def registration_certificate(registration: Registration,
                             requested: str | None = None) -> Certificate:
    """The certificate of ``registration`` (in ``requested`` or their language), or
    ``NotThisPerson``."""
    if not may_have_certificate(registration):
        raise NotThisPerson()
    return certificate_for(registration, certificate_language(registration, requested))


def event_certificates(event: Event, requested: str | None = None) -> list[Certificate]:
    """Every certificate of ``event``, or ``NoCertificate`` when there is none."""
    certificates = certificates_for_event(event, requested)
    if not certificates:
        raise NoCertificate()
    return certificates
