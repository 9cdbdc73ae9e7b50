"""Realistic Estonian demo data for ``flask demo load``: events, registrations and a board.

Idempotent: every object is looked up by a stable key (slug, e-mail, join code) before it is
created, so running it twice changes nothing. Dates are relative to today, so the demo always
shows upcoming events (and a study trip that has taken place, with its costs and report).

This module runs the steps in order; each part holds the data of its own steps: ``people``
(accounts, logins, participants), ``venues``, ``events``, ``registrations``, ``trips``
(itineraries, applications, costs and report), ``project`` (the project record, its budget
and the past season's costs), ``selection``, ``arrangements``, ``calls``, ``groups``,
``boards``, ``feedback``, ``outcomes`` and ``announcements``; ``common`` holds what several
of them date from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from koosloome.accounts.partners import ensure_partners
from koosloome.accounts.services import user_by_email
from koosloome.demo.announcements import ensure_announcements
from koosloome.demo.arrangements import ensure_arrangements
from koosloome.demo.boards import ensure_board, ensure_collecting_board
from koosloome.demo.calls import ensure_calls
from koosloome.demo.events import ensure_events
from koosloome.demo.feedback import ensure_feedback
from koosloome.demo.groups import ensure_group
from koosloome.demo.outcomes import ensure_outcomes
from koosloome.demo.people import (
    DEMO_ADMIN_EMAIL,
    DEMO_LOGINS_FILE,
    DemoLogin,
    demo_logins,
    demo_passwords,
    ensure_users,
)
from koosloome.demo.project import ensure_project, ensure_season_costs
from koosloome.demo.registrations import ensure_registrations
from koosloome.demo.selection import ensure_selection
from koosloome.demo.trips import (
    ITINERARIES,
    ensure_applications,
    ensure_trip_leaders,
    ensure_trip_report,
)
from koosloome.demo.venues import ensure_venues
from koosloome.events.models import Event
from koosloome.extensions import db


@dataclass(frozen=True)
class DemoResult:
    """What ``demo load`` prints: the logins and whether anything was added."""

    logins: tuple[DemoLogin, ...]
    created: int

    @property
    def admin_email(self) -> str:
        """The demo admin's e-mail address."""
        return self.logins[0].email

    @property
    def admin_password(self) -> str:
        """The demo admin's password."""
        return self.logins[0].password


def load_demo(instance_path: str, timezone: str) -> DemoResult:
    """Create whatever demo data is missing; the caller commits."""
    tz = ZoneInfo(timezone)
    passwords = demo_passwords(instance_path)
    orgs = ensure_partners()
    created = ensure_users(orgs, passwords)
    created += ensure_project(orgs)
    venues = ensure_venues()
    events, new_events = ensure_events(tz, orgs, venues, ITINERARIES)
    created += new_events
    created += ensure_registrations(events)
    created += ensure_applications(events)
    created += ensure_selection(events["oppereis-rootsi"])
    created += ensure_trip_report(events)
    created += ensure_arrangements(events, orgs)
    created += ensure_calls(events)
    created += ensure_group(events)
    created += ensure_board(events, orgs)
    created += ensure_feedback(events)
    created += ensure_collecting_board(orgs)
    created += ensure_trip_leaders(events)
    created += ensure_outcomes(tz, orgs, venues)
    created += ensure_season_costs()
    created += ensure_announcements(orgs)
    return DemoResult(demo_logins(passwords), created)


def existing_demo_logins(instance_path: str) -> tuple[DemoLogin, ...]:
    """The demo logins, when the demo data was loaded here before (else none)."""
    path = Path(instance_path) / DEMO_LOGINS_FILE
    if not path.exists() or user_by_email(DEMO_ADMIN_EMAIL) is None:
        return ()
    return demo_logins(demo_passwords(instance_path))


def looks_like_production(base_url: str) -> bool:
    """An instance served over https is taken for a real one: demo data (made-up people,
    logins printed on a terminal) must not land there by accident."""
    return base_url.lower().startswith("https://")


def database_is_empty() -> bool:
    """No events yet: ``make run`` loads the demo data only then."""
    return db.session.scalar(select(func.count(Event.id))) == 0
