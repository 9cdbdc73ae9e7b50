"""The demo's people: the staff accounts with their printed logins and per-instance
passwords, and the made-up participants (``PEOPLE``) with the helper that registers one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from koosloome.accounts.models import Organisation, Role
from koosloome.accounts.services import create_user, set_password, user_by_email
from koosloome.db import utcnow
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import (
    Answer,
    Registration,
    RegistrationNeed,
    RegistrationSource,
    RegistrationStatus,
)

DEMO_ADMIN_EMAIL = "admin@koosloome.example"
#: Each demo account's own password, generated once per instance and kept beside it (0600).
DEMO_LOGINS_FILE = "demo-logins"
#: (e-mail, name, role, partner): the admin, an organiser per partner and a facilitator.
DEMO_PEOPLE = (
    (DEMO_ADMIN_EMAIL, "Demo Admin", Role.ADMIN, "vpk"),
    ("kadri.organiser@koosloome.example", "Kadri Kuusk", Role.ORGANISER, "vpk"),
    ("tiina.organiser@koosloome.example", "Tiina Saar", Role.ORGANISER, "tas"),
    ("margus.facilitator@koosloome.example", "Margus Mets", Role.FACILITATOR, "vpk"),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account's login, as ``demo load`` prints it."""

    email: str
    role: Role
    password: str


def demo_passwords(instance_path: str) -> dict[str, str]:
    """Each demo account's password: generated once per instance, kept in the instance folder
    (readable by its owner only), so a demo never shares one password between accounts."""
    path = Path(instance_path) / DEMO_LOGINS_FILE
    kept = dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line) \
        if path.exists() else {}
    passwords = {email: kept.get(email) or "demo-" + secrets.token_urlsafe(9)
                 for email, *_rest in DEMO_PEOPLE}
    if passwords != kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text("".join(f"{email} {password}\n" for email, password in passwords.items()))
    return passwords


def ensure_users(orgs: dict[str, Organisation], passwords: dict[str, str]) -> int:
    """The demo accounts, each with its own password (reset to the printed one if it exists)."""
    created = 0
    for email, name, role, org in DEMO_PEOPLE:
        user = user_by_email(email)
        if user is None:
            create_user(email, name, role, orgs[org].slug, passwords[email])
            created += 1
        else:
            set_password(user, passwords[email])  # keep the printed password true
    return created


def demo_logins(passwords: dict[str, str]) -> tuple[DemoLogin, ...]:
    """The demo accounts' logins, in ``DEMO_PEOPLE`` order (the admin first)."""
    return tuple(
        DemoLogin(email, role, passwords[email]) for email, _name, role, _org in DEMO_PEOPLE
    )


#: (name, municipality, county, sector, organisation, age band): the optional answers are
#: given by some and not by others, as people do.
PEOPLE = [
    ("Mari Tamm", "Rõuge vald", "voru", "community", "Rõuge külaselts", "65_74"),
    ("Jaan Kask", "Võru linn", "voru", "local_government", "Võru Linnavalitsus", "55_64"),
    ("Aino Sepp", "Antsla vald", "voru", "private", "", "75_84"),
    ("Peeter Lepik", "Elva vald", "tartu", "entrepreneur", "Lepiku Talu OÜ", "25_54"),
    ("Helju Rebane", "Kastre vald", "tartu", "community", "Kastre pensionäride ühendus",
     "65_74"),
    ("Toomas Pärn", "Tartu linn", "tartu", "development", "Tartu piirkonna arendusühing",
     "25_54"),
    ("Ene Kuusk", "Setomaa vald", "voru", "community", "Setomaa eakate klubi", "75_84"),
    ("Urmas Koppel", "Nõo vald", "tartu", "entrepreneur", "Koppeli Transport OÜ", None),
    ("Külli Mägi", "Luunja vald", "tartu", "private", "", "55_64"),
    ("Rein Oja", "Võru vald", "voru", "local_government", "Võru Vallavalitsus", "25_54"),
    ("Leida Ilves", "Kambja vald", "tartu", "community", "Kambja eakate klubi", "85_plus"),
    ("Arvo Sild", "Peipsiääre vald", "tartu", "other", "Peipsiääre raamatukogu", None),
]


def add_registration(event: Event, index: int, status: RegistrationStatus, *,
                     answers: tuple[Any, ...] = (), sent_at: datetime | None = None,
                     **extra: Any) -> Registration:
    """PEOPLE[index]'s registration; ``answers`` to the event's questions in their order
    (None: left unanswered); ``sent_at`` when they registered (default now); ``extra``
    sets or overrides any other field."""
    name, municipality, county, sector, organisation, age_band = PEOPLE[index % len(PEOPLE)]
    local_part = name.lower().replace(" ", ".").translate(str.maketrans("äöüõš", "aouos"))
    needs = extra.pop("needs", [])
    sent_at = sent_at or utcnow()
    fields: dict[str, Any] = {
        "source": RegistrationSource.WEB,
        "name": name,
        "email": f"{local_part}@example.ee",
        "phone": f"+372 5{index:03d} {index * 7 % 10000:04d}",
        "organisation_name": organisation,
        "age_band": age_band,
        "sector": sector,
        "county": county,
        "municipality": municipality,
        "created_at": sent_at,
        "consent_privacy_at": sent_at,
        "consent_health_at": sent_at if needs or extra.get("transport_needed") else None,
        "confirmed_at": sent_at if status is RegistrationStatus.CONFIRMED else None,
        "waitlisted_at": sent_at if status is RegistrationStatus.WAITLISTED else None,
    }
    registration = Registration(event=event, status=status, **{**fields, **extra})
    assign_manage_token(registration)
    registration.seats = 2 if registration.companion else 1
    registration.needs = [RegistrationNeed(code=code) for code in needs]
    registration.answers = [Answer(question=question, value=value)
                            for question, value in zip(event.questions, answers, strict=False)
                            if value is not None]
    db.session.add(registration)
    return registration
