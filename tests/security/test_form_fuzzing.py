"""Hypothesis posts hostile bodies to every POST form of the HTML app: never a 5xx.

Each route is fuzzed from the page that shows its form, as the role that may use it (an
admin in the back office, a participant through a manage link or a board cookie, anyone on
the public forms), with the page's CSRF token (CSRF protection is on, as in production, so
the bodies pass it and reach validation, the services and the database). The values are the
page's own, hostile (NUL bytes, very long or odd text, numbers out of range, impossible
dates), repeated, missing, or joined by fields the form does not have.

Runs on SQLite and PostgreSQL (``KOOSLOOME_TEST_DATABASE_URL``); PostgreSQL is stricter
(column lengths, NUL bytes, integer range), so run it there too.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict

from koosloome.accounts.models import Role
from koosloome.accounts.password_reset import reset_token
from koosloome.announcements import services as announcements
from koosloome.arrangements.models import Volunteer
from koosloome.boards import facilitation
from koosloome.boards import services as boards
from koosloome.boards.identity import cookie_name
from koosloome.boards.models import BoardPhase, Idea
from koosloome.db import utcnow
from koosloome.events import services as events
from koosloome.events.models import EventKind, EventStatus, QuestionKind, TripDay, TripStop
from koosloome.events.trip_view import trip_dates
from koosloome.extensions import db
from koosloome.feedback import services as feedback
from koosloome.feedback.models import ResponseSource
from koosloome.files import services as files
from koosloome.files.models import EventFileKind
from koosloome.messaging.models import CallTask
from koosloome.outcomes.models import Action
from koosloome.projects.models import Cost, CostCategory
from koosloome.registrations.models import RegistrationStatus
from koosloome.selection.models import ApplicationReview, SelectionCriterion
from tests import factories
from tests.files.samples import pdf_bytes
from tests.security.conftest import FUZZ_COUNTS
from tests.security.forms import PostForm, bodies, path_of, post_forms

EXAMPLES = 12
#: CI replays the same examples every run (a new failure then means new code, not new luck);
#: KOOSLOOME_FUZZ_RANDOM=1 explores with fresh random examples.
DERANDOMIZE = not os.environ.get("KOOSLOOME_FUZZ_RANDOM")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "werkzeug.debug", 'File "/')

#: POST routes that are not fuzzed here, and why.
SKIPPED: dict[str, str] = {
    "outcomes.stop_news": "a button with no fields behind a keyed link; a wrong link, a "
    "second press and the stop itself are tested in tests/outcomes/test_news.py",
}


@dataclass
class World:
    """Everything the forms act on, and the clients that act."""

    staff: FlaskClient
    public: FlaskClient
    ids: dict[str, Any] = field(default_factory=dict)


def _build_world(app: Flask, login: Callable[[Any], FlaskClient]) -> World:
    admin = factories.make_user(Role.ADMIN, "vpk")
    other = factories.make_user(Role.ORGANISER, "tas")
    staff = login(admin)
    public = app.test_client()
    starts = utcnow().replace(microsecond=0) + timedelta(days=10)
    event = factories.make_event(capacity=30, starts_at=starts)
    draft = factories.make_event(status=EventStatus.DRAFT)
    with factories.writing():
        for kind in QuestionKind:
            choices = [{"value": "c1", "et": "üks", "en": "one"},
                       {"value": "c2", "et": "kaks", "en": "two"}]
            events.add_question(event, {
                "kind": kind, "label_et": f"Küsimus {kind.value}", "label_en": "", "help_et": "",
                "help_en": "", "required": kind is QuestionKind.SHORT_TEXT, "sensitive": False,
                "choices": choices if "choice" in kind.value else [],
            }, admin)
        events.add_agenda_item(event, {"starts_at": starts, "title_et": "Avamine",
                                       "title_en": "", "speaker": "", "room_et": "",
                                       "room_en": ""}, admin)
        survey = feedback.enable_survey(event, admin)
        db.session.commit()
    person = factories.make_registration(event, consent_health_at=utcnow(), allergies="pähklid",
                                         transport_needed=True, transport_pickup="Haani tee 5")
    pending = factories.make_registration(event, status=RegistrationStatus.PENDING)
    factories.make_registration(event, checked_in_at=utcnow())
    with factories.writing():
        text_question = next(q for q in survey.questions if q.kind.value == "text")
        feedback.submit(survey, {text_question.id: "Väga hea päev, aitäh Marile"},
                        ResponseSource.ANONYMOUS)
        db.session.commit()

    collecting = factories.make_board(title="Kogume", created_by=admin)
    voting = factories.make_board(title="Hääletame", created_by=admin)
    joining = factories.make_board(title="Liitu", created_by=admin)
    for board in (collecting, voting):
        response = public.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
        assert response.status_code == 302
    response = public.post(f"/b/{collecting.join_code}/ideas",
                           data={"column": collecting.columns[0].id, "text": "Minu idee"})
    assert response.status_code == 302
    own = db.session.scalars(db.select(Idea).where(Idea.board_id == collecting.id)).one()
    action = Action(board_id=collecting.id, title="Kogukonnabuss", ideas=[own])
    db.session.add(action)
    with app.test_request_context():
        event_file = files.add_event_file(
            event, FileStorage(io.BytesIO(pdf_bytes()), "slaidid.pdf"),
            kind=EventFileKind.MATERIAL, title="Slaidid", shared=True, by=admin)
        db.session.commit()
    someone, _token = factories.join(collecting, "Jaan")
    theirs = factories.make_idea(collecting, someone, "Jaani idee")
    with factories.writing():
        boards.add_comment(theirs, someone, "Hea mõte")
        facilitation.add_theme(collecting, "Liikumine")
        db.session.commit()
    voter_idea = factories.make_idea(voting, someone, "Hääleta mind")
    factories.make_idea(voting, someone, "Või mind")
    with factories.writing():
        boards.set_phase(voting, BoardPhase.VOTING)
        db.session.commit()
    response = public.post(f"/b/{voting.join_code}/ideas/{voter_idea.id}/vote")
    assert response.status_code == 302

    volunteer = Volunteer(organisation_id=admin.organisation_id, name="Vello")
    db.session.add(volunteer)
    by_phone = factories.make_registration(event, email=None, phone="+372 5000 0042")
    db.session.add(CallTask(kind="reminder", registration_id=by_phone.id, event_id=event.id,
                            language="et", context={}))
    db.session.commit()
    token = person.manage_token
    group = factories.make_group(event, factories.make_registration(event, name="Grupis Olev"))
    trip = factories.make_event(kind=EventKind.STUDY_TRIP, starts_at=starts,
                                ends_at=starts + timedelta(days=2))
    trip_day = TripDay(day=trip_dates(trip)[0], title_et="Võru")
    trip_day.stops.append(TripStop(at=time(10), place_et="Kannel", country="EE"))
    trip.itinerary.append(trip_day)
    project = factories.make_project()
    cost = Cost(event_id=trip.id, organisation_id=trip.organisation_id,
                spent_on=trip.starts_at.date(), category=CostCategory.CATERING, amount=40)
    db.session.add(cost)
    criterion = SelectionCriterion(event_id=trip.id, name_et="Motivatsioon", max_score=5)
    db.session.add(criterion)
    db.session.commit()
    applicant = factories.make_registration(trip, status=RegistrationStatus.PENDING,
                                            county="voru")
    db.session.add(ApplicationReview(registration_id=applicant.id, shortlisted=True))
    db.session.commit()
    with factories.writing():
        announcement = announcements.save_announcement(
            {"subject_et": "Uudis", "body_et": "Tekst"}, [], admin)
        announcements.subscribe("ootab@example.ee", "", "et", None, utcnow())
        waiting = announcements.subscriber_by_email("ootab@example.ee")
        announcements.subscribe("saab@example.ee", "", "et", None, utcnow())
        receiving = announcements.subscriber_by_email("saab@example.ee")
        announcements.confirm(receiving, utcnow())
        db.session.commit()
    traveller = factories.make_registration(factories.make_event(
        kind=EventKind.STUDY_TRIP, travel_details=True, travel_document_number=True))
    offered = factories.make_registration(
        factories.make_event(offer_hours=48), status=RegistrationStatus.OFFERED,
        offer_expires_at=utcnow() + timedelta(days=1))
    return World(staff=staff, public=public, ids={
        "event": event.id, "slug": event.slug, "draft": draft.id, "venue": event.venue_id,
        "question": event.questions[0].id, "agenda": event.agenda[0].id,
        "survey_code": survey.code, "person": person.id, "pending": pending.id,
        "token": token, "other": other.id, "reset": reset_token(other),
        "collecting": collecting.id, "collecting_code": collecting.join_code,
        "voting_code": voting.join_code, "joining_code": joining.join_code,
        "volunteer": volunteer.id, "rider": person.id, "own_idea": own.id, "their_idea": theirs.id,
        "voter_idea": voter_idea.id, "group_token": group.manage_token,
        "trip": trip.id, "trip_day": trip_day.id, "trip_stop": trip_day.stops[0].id,
        "applicant": applicant.id, "criterion": criterion.id, "action": action.id,
        "event_file": event_file.id,
        "traveller_trip": traveller.event_id,
        "offered_token": offered.manage_token, "traveller_token": traveller.manage_token,
        "cost": cost.id, "line": project.partners[1].lines[0].id,
        "announcement": announcement.id, "confirm_token": waiting.confirm_token,
        "unsubscribe_token": receiving.unsubscribe_token,
    })


@dataclass(frozen=True)
class Route:
    """Where a POST route's form is shown, who uses it, and valid values it needs."""

    page: str
    public: bool = False
    valid: dict[str, str] = field(default_factory=dict)
    forget_board: str | None = None  # the board whose cookie to drop after each post


def _when(days: int, hour: int = 10) -> str:
    return (utcnow() + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")


EVENT_VALID = {"title_et": "Kevadseminar", "venue_id": "{venue}", "capacity": "20",
               "starts_at": _when(30), "ends_at": _when(30, 14)}
PERSON_VALID = {"name": "Mari Maasikas", "email": "mari@example.ee", "consent_privacy": "y",
                "q_short": "vastus"}
GROUP_VALID = {"contact_name": "Maie Mänd", "contact_email": "maie@example.ee",
               "consent_declared": "y", "members-0-name": "Aino Allik"}
ANNOUNCEMENT = {"subject_et": "Uudis", "body_et": "Tekst"}
#: endpoint → the page with its form (``{key}`` from ``World.ids``)
ROUTES: dict[str, Route] = {
    # back office: events
    "event_admin.new_event": Route("/admin/events/new", valid=EVENT_VALID),
    "event_admin.edit_event": Route("/admin/events/{event}/edit"),
    "venues.new_venue": Route("/admin/venues/new", valid={"name_et": "Rahvamaja"}),
    "venues.edit_venue": Route("/admin/venues/{venue}/edit"),
    "arrangements.edit_arrangement": Route("/admin/events/{event}/arrangements/catering",
                                           valid={"status": "requested"}),
    "arrangements.new_volunteer": Route("/admin/volunteers/new",
                                        valid={"name": "Jaan", "consent": "y"}),
    "arrangements.edit_volunteer": Route("/admin/volunteers/{volunteer}/edit"),
    "arrangements.edit_pickup": Route("/admin/events/{event}/pickups/{rider}"),
    "calls.record_outcome": Route("/admin/events/{event}/calls"),
    "event_admin.duplicate": Route("/admin/events/{event}"),
    "event_admin.publish": Route("/admin/events/{draft}"),
    "event_admin.cancel": Route("/admin/events/{event}/cancel"),
    "event_admin.questions": Route("/admin/events/{event}/questions",
                                   valid={"label_et": "Sünniaeg?"}),
    "event_admin.move_question": Route("/admin/events/{event}/questions"),
    "event_admin.delete_question": Route("/admin/events/{event}/questions/{question}/delete"),
    "event_admin.agenda": Route("/admin/events/{event}/agenda",
                                valid={"starts_at": _when(10, 11), "title_et": "Kohvipaus"}),
    "event_admin.delete_agenda_item": Route("/admin/events/{event}/agenda"),
    "itinerary.overview": Route("/admin/events/{trip}/itinerary"),
    "itinerary.edit_day": Route("/admin/events/{trip}/itinerary/days/{trip_day}"),
    "itinerary.delete_day": Route("/admin/events/{trip}/itinerary"),
    "itinerary.add_stop": Route("/admin/events/{trip}/itinerary/days/{trip_day}/stops",
                                valid={"at": "10:00", "place_et": "Muuseum", "country": "SE"}),
    "itinerary.edit_stop": Route("/admin/events/{trip}/itinerary/stops/{trip_stop}"),
    "itinerary.delete_stop": Route("/admin/events/{trip}/itinerary"),
    "event_admin.message": Route("/admin/events/{event}/message",
                                 valid={"subject": "Teade", "body": "Tere!"}),
    "feedback.open_survey": Route("/admin/events/{draft}/feedback"),
    "feedback.close_survey": Route("/admin/events/{event}/feedback"),
    "feedback.add_question": Route("/admin/events/{event}/feedback",
                                   valid={"label_et": "Kas tuled veel?"}),
    "feedback.hide_answer": Route("/admin/events/{event}/feedback"),
    "feedback.paper": Route("/admin/events/{event}/feedback/paper"),
    # back office: registrations
    "registration_admin.phone_registration": Route(
        "/admin/events/{event}/registrations/new", valid={**PERSON_VALID, "phone": "5123 4567"}),
    "registration_admin.walk_in": Route("/admin/events/{event}/walk-in",
                                        valid={"name": "Uksel Olija"}),
    "registration_admin.note": Route("/admin/registrations/{person}"),
    "registration_admin.change_status": Route("/admin/registrations/{pending}/status?to=rejected"),
    "registration_admin.check_in": Route("/admin/registrations/{person}/check-in"),
    "registration_admin.undo_check_in": Route("/admin/events/{event}/check-in"),
    # back office: accounts
    "users.create_user": Route("/admin/users/new",
                               valid={"name": "Uus Inimene", "email": "uus@koosloome.test",
                                      "role": "organiser"}),
    "users.edit_user": Route("/admin/users/{other}"),
    "users.send_password_link": Route("/admin/users/{other}"),
    "accounts.logout": Route("/admin/"),
    "accounts.sign_out_everywhere": Route("/admin/"),
    # back office: idea boards
    "boards.admin_new_board": Route("/admin/boards/new",
                                    valid={"title": "Uus tahvel", "question": "Mida teha?"}),
    "boards.admin_settings": Route("/admin/boards/{collecting}/settings"),
    "boards.admin_phase": Route("/admin/boards/{collecting}"),
    "boards.admin_paper_idea": Route("/admin/boards/{collecting}",
                                     valid={"paper-text": "Paberilt"}),
    "boards.admin_idea_action": Route("/admin/boards/{collecting}/ideas/{their_idea}",
                                      valid={"hide-reason": "Isikuandmed"}),
    "boards.admin_comment": Route("/admin/boards/{collecting}/ideas/{their_idea}"),
    "boards.admin_add_column": Route("/admin/boards/{collecting}/structure",
                                     valid={"new-column-name": "Uus veerg"}),
    "boards.admin_column": Route("/admin/boards/{collecting}/structure"),
    "boards.admin_add_theme": Route("/admin/boards/{collecting}/structure",
                                    valid={"new-theme-name": "Uus teema"}),
    "boards.admin_theme": Route("/admin/boards/{collecting}/structure"),
    "outcomes.board_actions": Route("/admin/boards/{collecting}/actions",
                                    valid={"title": "Vallabuss"}),
    "outcomes.edit_action": Route("/admin/boards/{collecting}/actions/{action}",
                                  valid={"title": "Vallabuss"}),
    "outcomes.delete_action": Route("/admin/boards/{collecting}/actions/{action}"),
    "files.event_files": Route("/admin/events/{event}/files", valid={"kind": "material"}),
    "files.delete_file": Route("/admin/events/{event}/files/{event_file}/delete"),
    "announcements.new_announcement": Route("/admin/announcements/new", valid=ANNOUNCEMENT),
    "announcements.edit_announcement": Route("/admin/announcements/{announcement}",
                                             valid=ANNOUNCEMENT),
    "announcements.send_announcement": Route("/admin/announcements/{announcement}/preview"),
    # public: announcements
    "announcements.subscribe": Route("/subscribe", public=True,
                                     valid={"email": "mari@example.ee"}),
    "announcements.confirm": Route("/subscribe/confirm/{confirm_token}", public=True),
    "announcements.unsubscribe": Route("/u/{unsubscribe_token}", public=True),
    "announcements.erase": Route("/u/{unsubscribe_token}", public=True),
    # public: accounts
    "accounts.login": Route("/login", public=True,
                            valid={"email": "x@koosloome.test", "password": "x"}),
    "accounts.forgot_password": Route("/forgot-password", public=True,
                                      valid={"email": "x@koosloome.test"}),
    "accounts.reset_password": Route("/reset-password/{reset}", public=True,
                                     valid={"password": "üks kaks kolm neli", "confirm":
                                            "üks kaks kolm neli"}),
    # public: registration and the manage link
    "registrations.register": Route("/events/{slug}/register", public=True, valid=PERSON_VALID),
    "registrations.lost_link": Route("/lost-link", public=True,
                                     valid={"email": "mari@example.ee"}),
    "registrations.edit": Route("/r/{token}/edit", public=True),
    "groups.register": Route("/events/{slug}/group", public=True, valid=GROUP_VALID),
    "groups.cancel": Route("/g/{group_token}/cancel", public=True),
    "registrations.cancel": Route("/r/{token}/cancel", public=True),
    "trips.costs": Route("/admin/events/{trip}/costs", valid={"amount": "120.50"}),
    "projects.settings": Route("/admin/project/settings", valid={
        "name_et": "Koosloomest koostööni", "starts_on": "2024-07-01", "ends_on": "2025-06-30"}),
    "projects.partner_budget": Route("/admin/project/settings"),
    "projects.targets": Route("/admin/project/settings"),
    "projects.budget_line": Route("/admin/project/lines/{line}",
                                  valid={"name_et": "Seminarid", "planned": "100"}),
    "projects.delete_line": Route("/admin/project/lines/{line}/delete"),
    "projects.costs": Route("/admin/costs", valid={"amount": "12.50",
                                                   "spent_on": "2025-03-01"}),
    "projects.edit_cost": Route("/admin/costs/{cost}", valid={"amount": "12.50"}),
    "projects.delete_cost": Route("/admin/costs/{cost}/delete"),
    "trips.delete_cost": Route("/admin/events/{trip}/costs"),
    "trips.trip_report": Route("/admin/events/{trip}/report"),
    "trips.set_leader": Route("/admin/events/{traveller_trip}/travel"),
    "selection.review": Route("/admin/events/{trip}/selection/{applicant}"),
    "selection.criteria_settings": Route("/admin/events/{trip}/selection/settings",
                                         valid={"name_et": "Motivatsioon"}),
    "selection.save_quotas": Route("/admin/events/{trip}/selection/settings"),
    "selection.delete_criterion": Route(
        "/admin/events/{trip}/selection/settings/criteria/{criterion}/delete"),
    "selection.decisions": Route("/admin/events/{trip}/selection/decisions"),
    "registrations.accept": Route("/r/{offered_token}/accept", public=True),
    "trips.travel": Route("/r/{traveller_token}/travel", public=True, valid={
        "document_name": "MARI TAMM", "date_of_birth": "1950-01-02",
        "document_expiry": "2099-01-01", "document_number": "K1", "emergency_name": "Jaan",
        "emergency_phone": "+372 5000 0000"}),
    "registrations.withdraw_consent": Route("/r/{token}/health-consent", public=True),
    "registrations.erase": Route("/r/{token}/erase", public=True),
    "feedback.personal": Route("/r/{token}/feedback", public=True),
    "feedback.anonymous": Route("/f/{survey_code}", public=True),
    # public: idea boards
    "boards.join_code": Route("/join", public=True, valid={"code": "{collecting_code}"}),
    "boards.join": Route("/b/{joining_code}/join", public=True,
                         forget_board="{joining_code}"),
    "boards.post_idea": Route("/b/{collecting_code}", public=True, valid={"text": "Uus idee"}),
    "boards.idea_page": Route("/b/{collecting_code}/ideas/{their_idea}", public=True,
                              valid={"text": "Kommentaar"}),
    "boards.edit_idea": Route("/b/{collecting_code}/ideas/{own_idea}/edit", public=True),
    "boards.delete_idea": Route("/b/{collecting_code}/ideas/{own_idea}/edit", public=True),
    "boards.vote": Route("/b/{voting_code}", public=True),
    "boards.unvote": Route("/b/{voting_code}", public=True),
}


def html_post_endpoints(app: Flask) -> set[str]:
    """Every endpoint of the HTML app (not /api/) that takes a POST."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or set()) and not rule.rule.startswith("/api/")}


def test_every_post_route_is_fuzzed_or_skipped_with_a_reason(app):
    endpoints = html_post_endpoints(app)
    assert endpoints - set(ROUTES) - set(SKIPPED) == set(), "add these to ROUTES or SKIPPED"
    assert set(ROUTES) - endpoints == set(), "ROUTES names endpoints that no longer exist"
    assert all(reason.strip() for reason in SKIPPED.values())


def _forms_for(app: Flask, client: FlaskClient, page: str, endpoint: str) -> list[PostForm]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    adapter = app.url_map.bind("koosloome.test")
    found = []
    for form in post_forms(response.get_data(as_text=True), page):
        path, _query = path_of(form.action)
        try:
            matched, _args = adapter.match(path, method="POST")
        except Exception:  # noqa: S112  (a form posting elsewhere: not this route's)
            continue
        if matched == endpoint:
            found.append(form)
    return found


def _check(response: Any, body: list[tuple[str, str]], url: str) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, (url, body, response.status_code, text[:2000])
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, (url, body, text[:2000])


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_hostile_form_posts_never_give_a_server_error(app, login, fast_passwords, endpoint):
    world = _build_world(app, login)
    route = ROUTES[endpoint]
    client = world.public if route.public else world.staff
    app.config["WTF_CSRF_ENABLED"] = True
    page = route.page.format(**world.ids)
    valid = {name: value.format(**world.ids) for name, value in route.valid.items()}
    forms = _forms_for(app, client, page, endpoint)
    assert forms, f"no form posting to {endpoint} on {page}"
    assert all(any(name.endswith("csrf_token") for name in form.fields) for form in forms), \
        f"a form of {endpoint} on {page} carries no CSRF token"
    valid = {_question_field(name, forms): value for name, value in valid.items()}
    strategies = [bodies(form, valid) for form in forms]
    forget = route.forget_board.format(**world.ids) if route.forget_board else None

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
              suppress_health_check=list(HealthCheck))
    @given(choice=st.integers(min_value=0, max_value=len(forms) - 1), data=st.data())
    def post(choice: int, data: Any) -> None:
        form = forms[choice]
        body = data.draw(strategies[choice])
        url = form.action
        response = client.post(url, data=MultiDict(body))
        FUZZ_COUNTS["form posts"] += 1
        _check(response, body, url)
        if forget:
            client.delete_cookie(cookie_name(forget), domain="localhost", path=f"/b/{forget}")

    post()


def _question_field(name: str, forms: list[PostForm]) -> str:
    """``q_short`` → the real ``q_<id>`` of the required short-text question on the form."""
    if name != "q_short":
        return name
    for form in forms:
        for field_name in form.fields:
            if field_name.startswith("q_"):
                return field_name
    return name

