"""Demo data of the Sweden trip's selection, as two organisers would have it halfway through:
the criteria agreed, the partners' shares of the 20 seats (VPK 12, TAS 8), every application
scored by VPK's organiser and five by TAS's, the two clearest chosen; no decision sent yet,
since applications are still open."""

from __future__ import annotations

from sqlalchemy import func, select

from koosloome.accounts.models import Organisation, User
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.models import Registration
from koosloome.selection.models import (
    ApplicationReview,
    ApplicationScore,
    PartnerQuota,
    SelectionCriterion,
)

#: (name et, name en, what earns points et, en, weight)
CRITERIA = (
    ("Motivatsioon ja vajadus", "Motivation and need",
     "Kui selgelt kirjeldab, miks reis tema kogukonnale vaja on",
     "How clearly they say why their community needs the trip", 2),
    ("Õpitu kasutamine", "Using what is learned",
     "Kas on konkreetne plaan, mida kodus õpituga teha", "Whether there is a concrete plan "
     "for what to do with it at home", 2),
    ("Töö sihtrühmaga", "Work with the target groups",
     "Kas tema organisatsioon töötab eakate või puudega inimestega",
     "Whether their organisation works with older or disabled people", 1),
)
SHARES = {"vpk": 12, "tas": 8}
#: Applicant's name → (Kadri's scores, Tiina's scores or None, works with the target groups,
#: chosen)
REVIEWS = {
    "Mari Tamm": ((5, 5, 5), (4, 5, 5), True, True),
    "Jaan Kask": ((4, 4, 3), (4, 3, 3), True, False),
    "Aino Sepp": ((2, 1, 1), None, None, False),
    "Peeter Lepik": ((3, 3, 1), (3, 4, 1), False, False),
    "Helju Rebane": ((5, 4, 5), (5, 5, 5), True, True),
    "Ene Kuusk": ((2, 2, 3), None, None, False),
    "Rein Oja": ((4, 4, 4), (3, 4, 4), True, False),
    "Leida Ilves": ((3, 2, 4), None, True, False),
}


def ensure_selection(trip: Event) -> int:
    """The criteria, shares, scores and reviews of ``trip``, once."""
    if db.session.scalar(select(func.count(SelectionCriterion.id))
                         .where(SelectionCriterion.event_id == trip.id)):
        return 0
    criteria = [SelectionCriterion(event_id=trip.id, position=i, name_et=et, name_en=en,
                                   description_et=hint_et, description_en=hint_en, max_score=5,
                                   weight=weight)
                for i, (et, en, hint_et, hint_en, weight) in enumerate(CRITERIA)]
    db.session.add_all(criteria)
    partners = {o.slug: o.id for o in db.session.scalars(select(Organisation))}
    db.session.add_all(PartnerQuota(event_id=trip.id, organisation_id=partners[slug],
                                    seats=seats) for slug, seats in SHARES.items())
    reviewers = [db.session.scalars(select(User).where(User.email == email)).first()
                 for email in ("kadri.organiser@koosloome.example",
                               "tiina.organiser@koosloome.example")]
    db.session.flush()
    applicants = {r.name: r for r in db.session.scalars(
        select(Registration).where(Registration.event_id == trip.id))}
    for name, (first, second, target_group, chosen) in REVIEWS.items():
        registration = applicants.get(name)
        if registration is None:
            continue
        for reviewer, scores in zip(reviewers, (first, second), strict=True):
            if reviewer is None or scores is None:
                continue
            db.session.add_all(ApplicationScore(registration_id=registration.id,
                                                criterion_id=criterion.id,
                                                reviewer_id=reviewer.id, score=score)
                               for criterion, score in zip(criteria, scores, strict=True))
        db.session.add(ApplicationReview(registration_id=registration.id,
                                         target_group_org=target_group, shortlisted=chosen))
    db.session.flush()
    return 1
