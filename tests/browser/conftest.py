"""Browser tests: the app served on 127.0.0.1, driven with Debian's Chromium through Playwright,
checked with axe-core (shipped inside axe-playwright-python; nothing is downloaded).

Outside CI these tests are skipped when /usr/bin/chromium is missing (install it with
``apt-get install chromium``); in CI (``CI=true``) a missing browser is an error.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server

from koosloome import create_app
from koosloome.accounts.models import User
from koosloome.accounts.partners import ensure_partners
from koosloome.accounts.services import user_by_email
from koosloome.announcements import services as announcements
from koosloome.announcements.models import Subscriber
from koosloome.arrangements.models import Volunteer
from koosloome.boards.models import Board, BoardParticipant
from koosloome.db import utcnow, write_intent
from koosloome.demo import load_demo
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.files.models import EventFileKind
from koosloome.files.services import add_event_file
from koosloome.groups.models import RegistrationGroup
from koosloome.outcomes.models import Action
from koosloome.outcomes.updates import stop_url
from koosloome.projects.models import BudgetLine, Cost
from koosloome.registrations.links import assign_manage_token
from koosloome.registrations.models import Registration, RegistrationStatus
from koosloome.selection.models import SelectionCriterion
from tests.conftest import _test_config
from tests.files.samples import pdf_bytes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: The demo has five upcoming events: two a page shows the home page's paging (3 pages).
BROWSER_CONFIG = {"EVENTS_PER_PAGE": 2}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark everything here as a browser test; skip (or fail in CI) without Chromium."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(
                    reason="Debian's Chromium is missing: run `apt-get install chromium`"
                ))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium; never a downloaded browser."""
    if not CHROMIUM.exists():
        pytest.fail("CI needs /usr/bin/chromium (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@dataclass
class LiveServer:
    """The app served over HTTP for the browser."""

    app: Flask
    url: str
    admin_email: str
    admin_password: str
    #: the manage-link token of a demo registration with access needs and a companion
    token: str
    #: ids of demo objects for paths like "/admin/events/{event}" (and a few more tokens)
    ids: dict[str, Any]

    def __call__(self, path: str) -> str:
        """The absolute URL of ``path``: ``{token}`` becomes the demo manage token and
        ``{event}``, ``{registration}``, ``{trip}``, ``{past_trip}``, ``{question}`` demo ids."""
        return self.url + path.format(token=self.token, **self.ids)


@pytest.fixture(scope="session")
def live_server(fresh_database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the demo data, served from a thread on a free port of 127.0.0.1."""
    database_url = fresh_database("browser")
    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(_test_config(SQLALCHEMY_DATABASE_URI=database_url,
                                  INSTANCE_PATH=str(instance), **BROWSER_CONFIG))
    with app.app_context():
        db.create_all()
        ensure_partners()
        demo = load_demo(app.instance_path, app.config["TIMEZONE"])
        db.session.commit()
        with_needs = db.session.scalars(
            select(Registration).where(Registration.companion.is_(True))
            .order_by(Registration.id)
        ).first()
        token = with_needs.manage_token
        # The Sweden trip takes applications; the Austria trip is over (costs, report).
        trip = db.session.scalars(select(Event).where(Event.slug == "oppereis-rootsi")).one()
        past_trip = db.session.scalars(
            select(Event).where(Event.slug == "oppereis-austria")).one()
        past = db.session.scalars(
            select(Event).where(Event.slug == "vabatahtlike-seminar-elva")).one()
        past_registration = db.session.scalars(
            select(Registration).where(Registration.event_id == past.id)).first()
        ids = {"event": with_needs.event_id, "registration": with_needs.id, "trip": trip.id,
               "question": trip.questions[0].id, "past": past.id,
               "trip_day": trip.itinerary[1].id, "trip_stop": trip.itinerary[1].stops[0].id,
               "past_trip": past_trip.id,
               "criterion": db.session.scalars(select(SelectionCriterion.id).where(
                   SelectionCriterion.event_id == trip.id)).first(),
               # a past workshop's board and one of the actions its ideas became
               "outcome_board": db.session.scalars(select(Board.id).where(
                   Board.join_code == "ANTS24")).one(),
               "action": db.session.scalars(select(Action.id).order_by(Action.id)).first(),
               # two of its applications, for the selection's pages
               **dict(zip(("applicant", "applicant2"), db.session.scalars(
                   select(Registration.id).where(Registration.event_id == trip.id)
                   .order_by(Registration.id).limit(2)), strict=True)),
               "venue": with_needs.event.venue_id,
               # the project's costs and lines (the demo's past season)
               "cost": db.session.scalars(select(Cost.id).order_by(Cost.id)).first(),
               # the stop link of a participant who asked for news of the ANTS24 workshop
               "news": _news_path(),
               "line": db.session.scalars(select(BudgetLine.id).order_by(BudgetLine.id)).first(),
               "volunteer": db.session.scalars(select(Volunteer.id)).first()}
        # A cancelled registration of an event that still takes registrations ("register
        # again"): made here, the demo has none.
        cancelled = Registration(event_id=with_needs.event_id, name="Tühistanud Osaleja",
                                 email="tuhistanud@example.ee", seats=1,
                                 status=RegistrationStatus.CANCELLED, consent_privacy_at=utcnow(),
                                 cancelled_at=utcnow())
        assign_manage_token(cancelled)
        db.session.add(cancelled)
        db.session.commit()
        # A material shared with the participants (their manage page lists it) and the
        # organisers' files page; the demo has no files.
        with app.test_request_context():
            material = add_event_file(
                with_needs.event, FileStorage(io.BytesIO(pdf_bytes()), "slaidid.pdf"),
                kind=EventFileKind.MATERIAL, title="Ettekande slaidid", shared=True,
                by=db.session.scalars(select(User).where(User.email == demo.admin_email)).one())
            db.session.commit()
            ids["event_file"] = material.id
        group = db.session.scalars(select(RegistrationGroup)).one()
        offered = db.session.scalars(select(Registration).where(
            Registration.status == RegistrationStatus.OFFERED).order_by(Registration.id)).first()
        czechia = db.session.scalars(select(Event).where(Event.slug == "oppereis-tsehhi")).one()
        traveller = db.session.scalars(select(Registration).where(
            Registration.event_id == czechia.id,
            # the second of the two going: the demo has no travel details from them yet
            Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id.desc())).first()
        # Announcements: a draft to preview, a sign-up awaiting its confirmation, and the
        # unsubscribe link of a demo subscriber.
        admin = user_by_email(demo.admin_email)
        with write_intent():
            draft = announcements.save_announcement(
                {"subject_et": "Sügisesed õppereisid", "body_et": "Tule kaasa!"}, [], admin)
            announcements.subscribe("ootel@example.ee", "", "et", None, utcnow())
            db.session.commit()
        waiting = announcements.subscriber_by_email("ootel@example.ee")
        receiving = db.session.scalars(select(Subscriber).where(
            Subscriber.confirmed_at.is_not(None)).order_by(Subscriber.id)).first()
        extra_tokens = {"past_token": past_registration.manage_token,
                        "announcement_draft": draft.id,
                        "confirm_token": waiting.confirm_token,
                        "unsubscribe_token": receiving.unsubscribe_token,
                        "cancelled_token": cancelled.manage_token,
                        "group_token": group.manage_token,
                        "offered_token": offered.manage_token,
                        "traveller_token": traveller.manage_token, "czechia": czechia.id,
                        "group_member": group.members[0].id}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(
        app, f"http://127.0.0.1:{server.server_port}", demo.admin_email, demo.admin_password,
        token, {**ids, **extra_tokens},
    )
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def _news_path() -> str:
    """The path of the first news subscriber's stop link."""
    subscriber = db.session.scalars(select(BoardParticipant).where(
        BoardParticipant.updates_nonce.is_not(None)).order_by(BoardParticipant.id)).first()
    board = db.session.get(Board, subscriber.board_id)
    return urlsplit(stop_url(board, subscriber)).path.removeprefix("/")


def sign_in(page: Any, live_server: LiveServer) -> None:
    """Sign in as the demo admin through the login form, with the keyboard."""
    page.goto(live_server("/login"))
    page.fill("#email", live_server.admin_email)
    page.fill("#password", live_server.admin_password)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server("/admin/"))


def join_board(page: Any, live_server: LiveServer, code: str, name: str = "Testija") -> None:
    """Join the board with ``code`` as a new participant (fresh cookies for this page)."""
    page.goto(live_server(f"/b/{code}/join"))
    page.fill("#display_name", name)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server(f"/b/{code}"))
