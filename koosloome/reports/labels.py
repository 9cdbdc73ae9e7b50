"""Translated labels for the stored codes that reports show (statuses, sectors, needs…)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from koosloome.events.models import EventKind
from koosloome.registrations.choices import ALL_AGE_BANDS, COUNTIES, GENDERS, NEEDS, SECTORS
from koosloome.registrations.models import RegistrationSource, RegistrationStatus

STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.PENDING: _l("Waiting for approval"),
    RegistrationStatus.OFFERED: _l("Offered a place, to accept"),
    RegistrationStatus.LAPSED: _l("Offer not accepted in time"),
    RegistrationStatus.REJECTED: _l("Rejected"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
SOURCE_LABELS = {
    RegistrationSource.WEB: _l("Web form"),
    RegistrationSource.API: _l("API"),
    RegistrationSource.PHONE: _l("By phone"),
    RegistrationSource.WALK_IN: _l("At the door"),
}
KIND_LABELS = {
    EventKind.SEMINAR: _l("Inspiration seminar"),
    EventKind.WORKSHOP: _l("Co-creation workshop"),
    EventKind.STUDY_TRIP: _l("Study trip"),
}
SECTOR_LABELS = dict(SECTORS)
COUNTY_LABELS = dict(COUNTIES)
GENDER_LABELS = dict(GENDERS)
AGE_BAND_LABELS = dict(ALL_AGE_BANDS)
NEED_LABELS = {need.code: need.label for need in NEEDS}
NOT_STATED = _l("Not stated")


def label(mapping: dict, code: object) -> str:
    """The translated label of ``code``; the code itself when unknown, "" when empty."""
    if code is None or code == "":
        return ""
    return str(mapping.get(code, code))
