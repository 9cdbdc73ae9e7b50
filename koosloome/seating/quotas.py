"""Seat quotas per partner: once the partners agree their shares of a trip (e.g. VPK 12,
TAS 8), no path that gives a seat (the decisions, the waiting list, an organiser's yes) gives
a partner's applicants more than its share. Call with the event locked.

An applicant counts for the partner the organisers set on their review, or else the partner
whose area their county is; someone from elsewhere counts for no partner and is held only by
the capacity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.errors import DomainError
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import SEAT_STATUSES, Registration
from koosloome.selection.models import ApplicationReview, PartnerQuota

#: Whose LEADER area a county is (DOMAIN.md: VPK works in Võru county, TAS in Tartu county).
PARTNER_COUNTIES = {"voru": "vpk", "tartu": "tas"}


class QuotaFull(DomainError):
    """The partner's share of the seats is taken."""

    code = "quota_full"
    message = _l("The seats of this applicant's partner are all taken")


def quotas(event_id: int) -> dict[int, int]:
    """Organisation id → its seats, for the partners with an agreed share."""
    rows = db.session.execute(select(PartnerQuota.organisation_id, PartnerQuota.seats)
                              .where(PartnerQuota.event_id == event_id))
    return {organisation_id: seats for organisation_id, seats in rows}


def _county_partners() -> dict[str, int]:
    slugs = db.session.execute(select(Organisation.slug, Organisation.id).where(
        Organisation.slug.in_(set(PARTNER_COUNTIES.values()))))
    ids = dict(slugs.all())
    return {county: ids[slug] for county, slug in PARTNER_COUNTIES.items() if slug in ids}


def partners_of(registrations: Iterable[Registration]) -> dict[int, int | None]:
    """Registration id → the partner it counts for (None: no partner)."""
    registrations = list(registrations)
    if not registrations:
        return {}
    chosen = dict(db.session.execute(
        select(ApplicationReview.registration_id, ApplicationReview.partner_id).where(
            ApplicationReview.registration_id.in_([r.id for r in registrations]),
            ApplicationReview.partner_id.is_not(None))).all())
    by_county = _county_partners()
    return {r.id: chosen.get(r.id, by_county.get(r.county or "")) for r in registrations}


def default_partner(registration: Registration) -> int | None:
    """The partner whose area the registrant's county is."""
    return _county_partners().get(registration.county or "")


def seats_held(event_id: int) -> Counter[int | None]:
    """Partner → the seats its applicants hold (confirmed and offered)."""
    holders = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status.in_(SEAT_STATUSES)))
    holders = list(holders)
    partner = partners_of(holders)
    held: Counter[int | None] = Counter()
    for registration in holders:
        held[partner[registration.id]] += registration.seats
    return held


class QuotaRoom:
    """The seats each partner may still be given at one event (event locked); partners with no
    agreed share, and people of no partner, are held only by the capacity."""

    def __init__(self, event: Event) -> None:
        self.limits = quotas(event.id)
        self.held = seats_held(event.id) if self.limits else Counter()

    def fits(self, partner_id: int | None, seats: int) -> bool:
        """Whether ``seats`` more for ``partner_id``'s applicants stay within its share."""
        limit = self.limits.get(partner_id) if partner_id is not None else None
        return limit is None or self.held[partner_id] + seats <= limit

    def take(self, partner_id: int | None, seats: int) -> None:
        """Count ``seats`` given to ``partner_id``'s applicants."""
        self.held[partner_id] += seats


def partner_after(registration: Registration, county: str | None) -> int | None:
    """The partner ``registration`` would count for with ``county`` (its review's choice
    stays)."""
    chosen = db.session.scalar(select(ApplicationReview.partner_id).where(
        ApplicationReview.registration_id == registration.id))
    return chosen if chosen is not None else _county_partners().get(county or "")


def fits_after_change(event: Event, registration: Registration, partner_id: int | None,
                      seats: int) -> bool:
    """Whether ``registration``, which holds a seat, may hold ``seats`` for ``partner_id``
    within the shares (its own seats not counted twice). Event locked."""
    room = QuotaRoom(event)
    if not room.limits:
        return True
    room.held[partners_of([registration])[registration.id]] -= registration.seats
    return room.fits(partner_id, seats)
