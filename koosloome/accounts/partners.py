"""The two partner organisations of the project; the first migration inserts them too."""

from __future__ import annotations

from sqlalchemy import select

from koosloome.accounts.models import Organisation
from koosloome.extensions import db

PARTNERS = (
    {
        "slug": "vpk",
        "name": "Võrumaa Partnerluskogu",
        "short_name": "VPK",
        "email": "vpk@koosloome.example",
        "website": "https://www.vorumaa.ee",
    },
    {
        "slug": "tas",
        "name": "Tartumaa Arendusselts",
        "short_name": "TAS",
        "email": "tas@koosloome.example",
        "website": "https://www.tartumaa.ee",
    },
)


def ensure_partners() -> dict[str, Organisation]:
    """Make sure both partners exist; return them by slug."""
    existing = {org.slug: org for org in db.session.scalars(select(Organisation))}
    for partner in PARTNERS:
        if partner["slug"] not in existing:
            organisation = Organisation(**partner)
            db.session.add(organisation)
            existing[organisation.slug] = organisation
    db.session.flush()
    return existing
