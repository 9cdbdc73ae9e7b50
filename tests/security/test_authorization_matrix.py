"""The authorization matrix: every route × every kind of visitor → the expected answer.

``MATRIX`` classifies every endpoint of ``app.url_map`` (a test fails when a route is not in
it, so a new route cannot go unchecked). Each endpoint is requested with each of its methods
by each role of ``authz_scenario.ROLES``: staff signed in on the web and with their API token
in the JSON API, the board participant with its cookie and its participant token, the
participant with their own manage link. For every request:

* the answer's class must be the expected one (``ok``/``redirect``: the handler ran past the
  access check — a validation error counts; ``login``; ``join``: sent to join the board;
  ``401``, ``403``, ``404``);
* a refused request must leave every table as it was (an allowed one that changed something is
  undone, so the next request sees the same scenario);
* Mari's health data (distinctive markers) must not appear in the answer, be it HTML, JSON, a
  CSV, a spreadsheet, a PDF or a ZIP, unless the role may see it.

The other partner's organiser gets 403 on our event and board, as ``managed_event_or_abort``
and ``can_facilitate_board`` decide on purpose: events are public by id and slug anyway, so a
404 would hide nothing; unknown ids get 404. CSRF protection is off in the test configuration,
so a 403 here comes from authorization. The scenario is built once for the module, on a
database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from koosloome import create_app
from koosloome.accounts.partners import ensure_partners
from koosloome.extensions import db
from tests.conftest import IsolatedContextClient, _test_config
from tests.security import authz_scenario as sc
from tests.security.authz_scenario import (
    ADMIN,
    ANONYMOUS,
    BOARD_PARTICIPANT,
    FACILITATOR,
    HEALTH_ROLES,
    ORGANISER,
    OTHER_ORGANISER,
    PARTICIPANT,
    ROLES,
)

# --- the expected answers ---------------------------------------------------------------------

Expectation = dict[str, frozenset[str]]
ALLOWED = frozenset({"ok", "redirect"})
NOT_SIGNED_IN = (ANONYMOUS, PARTICIPANT, BOARD_PARTICIPANT)


def _each(default: frozenset[str], **roles: frozenset[str]) -> Expectation:
    return {role: roles.get(role, default) for role in ROLES}


def _back_office(*allowed: str) -> Expectation:
    """A staff page: visitors are sent to sign in, other staff get 403."""
    return {role: frozenset({"login"}) if role in NOT_SIGNED_IN
            else ALLOWED if role in allowed else frozenset({"403"}) for role in ROLES}


def _api(*allowed: str) -> Expectation:
    """A staff API endpoint: no staff token → 401, the wrong staff → 403."""
    return {role: frozenset({"401"}) if role in NOT_SIGNED_IN
            else ALLOWED if role in allowed else frozenset({"403"}) for role in ROLES}


PUBLIC = _each(ALLOWED)
#: whoever holds the registration's link; the others only have a link that opens nothing
MANAGE_LINK = _each(frozenset({"404"}), participant=ALLOWED)
#: a certificate through the manage link: the scenario's event is ahead, so nobody has one yet
#: and even the participant's own link finds none (the granted case: tests/certificates)
NO_CERTIFICATE_YET = _each(frozenset({"404"}))
STAFF = _back_office(FACILITATOR, OTHER_ORGANISER, ORGANISER, ADMIN)
ORGANISERS = _back_office(OTHER_ORGANISER, ORGANISER, ADMIN)  # of either partner
EVENT_MANAGERS = _back_office(ORGANISER, ADMIN)  # of the event's partner
BOARD_FACILITATORS = _back_office(FACILITATOR, ORGANISER, ADMIN)
ADMINS = _back_office(ADMIN)
#: a partner's own records (volunteers): the other partner finds nothing there
OWN_PARTNER = {**EVENT_MANAGERS, OTHER_ORGANISER: frozenset({"404"})}
#: board pages: only who joined; the others are sent to join first
BOARD_MEMBERS = _each(frozenset({"join"}), board_participant=ALLOWED)
BOARD_LIVE = _each(frozenset({"403"}), board_participant=ALLOWED)
#: before the board closes only facilitators see results; the others go back to the board
UNKNOWN_LINK = _each(frozenset({"404"}))
BOARD_RESULTS = _each(frozenset({"redirect"}), facilitator=frozenset({"ok"}),
                      organiser=frozenset({"ok"}), admin=frozenset({"ok"}))
API_STAFF = _api(FACILITATOR, OTHER_ORGANISER, ORGANISER, ADMIN)
API_ORGANISERS = _api(OTHER_ORGANISER, ORGANISER, ADMIN)
API_EVENT_MANAGERS = _api(ORGANISER, ADMIN)
API_BOARD_FACILITATORS = _api(FACILITATOR, ORGANISER, ADMIN)
API_ADMINS = _api(ADMIN)
#: the partner's own objects (a cost): the other partner's organiser finds none
API_OWN_PARTNER = {**API_EVENT_MANAGERS, OTHER_ORGANISER: frozenset({"404"})}
#: a participant's token, or a facilitator's staff token; anyone else must join first
API_BOARD_MEMBERS = _each(frozenset({"401"}), board_participant=ALLOWED, facilitator=ALLOWED,
                          organiser=ALLOWED, admin=ALLOWED)
API_BOARD_VOTERS = _each(frozenset({"401"}), board_participant=ALLOWED)
#: the funder's logos: none configured in the scenario, so nobody gets one
NO_LOGO_SET = _each(frozenset({"404"}))

_GROUPS: list[tuple[Expectation, str]] = [
    (PUBLIC, """static site.set_language site.toggle_display site.accessibility_statement
        site.help_page site.privacy site.healthz events.home events.event_page
        events.calendar_feed events.event_ics registrations.register registrations.lost_link
        accounts.login accounts.logout accounts.forgot_password accounts.reset_password
        feedback.anonymous feedback.qr_code boards.join_code boards.join boards.present
        boards.qr_code api.openapi api.list_events api.get_event api.create_registration
        boards_api.join venues_api.list_venues venues_api.get_venue groups.register
        itinerary_api.get_itinerary trips.learned trips_api.get_report
        outcomes.what_came_of_it outcomes_api.list_actions outcomes.stop_news
        announcements.subscribe"""),
    # a confirmation or unsubscribe link nobody holds (the sample token opens nothing)
    (UNKNOWN_LINK, "announcements.confirm announcements.unsubscribe announcements.erase"),
    (NO_LOGO_SET, "site.logo"),
    (MANAGE_LINK, """registrations.manage registrations.invite registrations.edit
        registrations.cancel registrations.withdraw_consent registrations.download_data
        registrations.erase feedback.personal groups.manage groups.cancel
        registrations.accept trips.travel trips_api.get_own_travel trips_api.put_own_travel
        registrations.material"""),
    (NO_CERTIFICATE_YET, "certificates.participant_certificate"),
    (STAFF, """admin.dashboard boards.admin_boards boards.admin_new_board
        accounts.sign_out_everywhere"""),
    (OWN_PARTNER, """arrangements.edit_volunteer projects.edit_cost projects.delete_cost
        projects.cost_document"""),
    (ORGANISERS, """event_admin.list_events event_admin.new_event venues.list_venues
        arrangements.list_volunteers arrangements.new_volunteer calls.all_calls
        venues.new_venue venues.edit_venue reports.leader_report
        reports.leader_csv reports.leader_xlsx reports.leader_pdf_download
        reports.project_dashboard reports.claim_xlsx reports.claim_zip_download projects.costs
        announcements.list_announcements announcements.new_announcement"""),
    (EVENT_MANAGERS, """event_admin.overview event_admin.edit_event event_admin.duplicate
        event_admin.publish event_admin.cancel event_admin.questions event_admin.move_question
        event_admin.delete_question event_admin.agenda event_admin.delete_agenda_item
        event_admin.message registration_admin.list_registrations registration_admin.detail
        registration_admin.change_status registration_admin.note
        registration_admin.phone_registration registration_admin.confirmation
        registration_admin.check_in_list registration_admin.check_in
        registration_admin.undo_check_in registration_admin.walk_in reports.attendance_sheet
        reports.export_csv reports.export_xlsx reports.needs_overview reports.transport
        feedback.overview feedback.open_survey feedback.close_survey feedback.add_question
        feedback.paper feedback.hide_answer feedback.export_csv evidence.pdf
        evidence.zip_file arrangements.event_arrangements arrangements.edit_arrangement
        arrangements.event_pickups arrangements.edit_pickup arrangements.driver_routes
        calls.event_calls calls.event_calls_pdf calls.record_outcome calls.letter
        itinerary.overview itinerary.edit_day itinerary.delete_day itinerary.add_stop
        itinerary.edit_stop itinerary.delete_stop trips.travel_list trips.travel_xlsx
        trips.trip_list trips.costs trips.delete_cost trips.trip_report trips.set_leader
        reports.attendance_xlsx selection.overview
        selection.compare selection.review selection.criteria_settings selection.save_quotas
        selection.delete_criterion selection.decisions files.event_files files.download
        files.delete_file announcements.edit_announcement
        announcements.preview_announcement announcements.send_announcement
        certificates.event_certificates
        certificates.registration_certificate"""),
    (BOARD_FACILITATORS, """boards.admin_board boards.admin_settings boards.admin_phase
        boards.admin_paper_idea boards.admin_idea boards.admin_idea_action boards.admin_comment
        boards.admin_structure boards.admin_add_column boards.admin_column
        boards.admin_add_theme boards.admin_theme boards.admin_summary boards.admin_export_csv
        boards.admin_export_markdown outcomes.board_actions outcomes.edit_action
        outcomes.delete_action"""),
    (ADMINS, """reports.audit_log privacy.overview users.user_list users.create_user
        users.edit_user users.send_password_link projects.settings projects.partner_budget
        projects.budget_line projects.delete_line projects.targets"""),
    (BOARD_MEMBERS, """boards.board_page boards.post_idea boards.idea_page boards.edit_idea
        boards.delete_idea boards.vote boards.unvote"""),
    (BOARD_LIVE, "boards.live"),
    (BOARD_RESULTS, "boards.results"),
    (API_STAFF, "boards_api.create_board"),
    (API_ORGANISERS, """api.create_event venues_api.create_venue venues_api.update_venue
        arrangements_api.list_volunteers arrangements_api.create_volunteer
        projects_api.get_project projects_api.get_budget projects_api.list_costs
        projects_api.add_cost reports_api.get_indicators
        announcements_api.list_announcements announcements_api.create_announcement
        announcements_api.get_announcement"""),
    (API_ADMINS, """projects_api.change_project projects_api.change_partner_budget
        projects_api.add_line projects_api.change_line projects_api.delete_line
        projects_api.set_targets"""),
    (API_OWN_PARTNER, """projects_api.get_cost projects_api.change_cost projects_api.delete_cost
        projects_api.put_document projects_api.get_document"""),
    (API_EVENT_MANAGERS, """api.update_event api.cancel_event api.list_registrations
        api.update_registration arrangements_api.list_arrangements
        arrangements_api.update_arrangement calls_api.list_calls calls_api.record_outcome
        groups_api.list_groups groups_api.create_group groups_api.get_group
        itinerary_api.add_day itinerary_api.replace_day itinerary_api.delete_day
        itinerary_api.add_stop itinerary_api.replace_stop itinerary_api.delete_stop
        trips_api.list_travel trips_api.list_costs trips_api.add_cost trips_api.delete_cost
        trips_api.put_report trips_api.put_trip_leader selection_api.get_selection
        selection_api.put_selection
        selection_api.review_application selection_api.send_decisions files_api.list_files
        files_api.upload_file files_api.file_content files_api.delete_file
        announcements_api.change_announcement announcements_api.preview_announcement
        announcements_api.send_announcement certificates_api.event_certificates"""),
    (API_BOARD_MEMBERS, "boards_api.get_board boards_api.post_idea"),
    (API_BOARD_VOTERS, "boards_api.vote boards_api.take_back_vote"),
    (API_BOARD_FACILITATORS, """boards_api.set_phase boards_api.hide_idea
        boards_api.unhide_idea boards_api.merge_idea boards_api.move_idea boards_api.set_theme
        boards_api.add_theme outcomes_api.add_action outcomes_api.change_action
        outcomes_api.delete_action"""),
]
MATRIX: dict[str, Expectation] = {
    endpoint: expectation for expectation, names in _GROUPS for endpoint in names.split()
}

#: query strings that make a sample ask for the most (health columns, named lists)
QUERIES = {
    "reports.export_csv": {"health": "1"},
    "reports.export_xlsx": {"health": "1"},
    "reports.needs_overview": {"names": "1"},
    "registration_admin.change_status": {"to": "rejected"},
}
#: URL values that depend on the endpoint rather than on the argument's name
ENDPOINT_VALUES = {
    "site.logo": {"index": 0},
    "outcomes.stop_news": {"participant_id": 1},
    "site.set_language": {"code": "et"},
    "feedback.anonymous": {"code": "survey"},
    "feedback.qr_code": {"code": "survey"},
    "accounts.reset_password": {"token": "not-a-valid-link"},
    "announcements.confirm": {"token": "not-a-valid-link"},
    "announcements.unsubscribe": {"token": "not-a-valid-link"},
    "announcements.erase": {"token": "not-a-valid-link"},
    "boards.admin_column": {"action": "rename"},
    "boards.admin_theme": {"action": "rename"},
    "boards.admin_comment": {"action": "hide"},
    "boards.admin_idea_action": {"action": "pin"},
    "arrangements.edit_arrangement": {"kind": "sign_language"},
    "arrangements_api.update_arrangement": {"kind": "sign_language"},
    # (the emergency sheet is the trip leader's alone: tests/trips/test_travel.py)
    "trips.trip_list": {"name": "rooming", "file_format": "pdf"},
}
#: ids an endpoint takes from another scenario object than its argument's name says: the
#: deletes remove a spare file, whose bytes the first allowed delete takes for good
SCENARIO_IDS = {"files.delete_file": {"file_id": "spare_file_id"},
                "files_api.delete_file": {"file_id": "spare_file_id"},
                # a cost's receipt: of a cost that no delete takes away, bytes and all
                "projects.cost_document": {"cost_id": "receipt_cost_id"},
                "projects_api.get_document": {"cost_id": "receipt_cost_id"}}
#: a well-formed manage token that belongs to no registration
UNKNOWN_TOKEN = "A" * 43
METHODS = ("GET", "POST", "PATCH", "DELETE")


# --- the world: app, scenario, one client per role ---------------------------------------------


@dataclass
class World:
    """The module's app, scenario, baseline snapshot and signed-in clients."""

    app: Flask
    scenario: sc.Scenario
    baseline: sc.Snapshot
    clients: dict[str, FlaskClient]
    watch: sc.WriteWatch

    def sign_in(self, role: str) -> None:
        """(Re)create ``role``'s client, signed in on the web when staff."""
        client = self.app.test_client()
        if role in sc.STAFF_ROLES:
            response = client.post("/login", data={"email": self.scenario.emails[role],
                                                   "password": sc.PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
        if role == BOARD_PARTICIPANT:
            name, value, path = self.scenario.board_cookie
            client.set_cookie(name, value, path=path)
        self.clients[role] = client

    def reset(self) -> None:
        """Undo every change since the scenario was built."""
        sc.restore(self.baseline)


@pytest.fixture(scope="module")
def world(fresh_database, tmp_path_factory) -> Iterator[World]:
    """The scenario on a database of its own, built once for the module."""
    app = create_app(_test_config(
        SQLALCHEMY_DATABASE_URI=fresh_database("authz"),
        INSTANCE_PATH=str(tmp_path_factory.mktemp("authz-instance")),
    ))
    app.test_client_class = IsolatedContextClient
    with app.app_context():
        db.create_all()
        ensure_partners()
        db.session.commit()
        scenario = sc.build(app)
        built = World(app, scenario, sc.snapshot(), {}, sc.WriteWatch())
        for role in ROLES:
            built.sign_in(role)
        built.reset()  # signing in is logged: start every test from the same rows
        yield built
        built.watch.close()
        db.session.remove()
        db.engine.dispose()


# --- sending one request ------------------------------------------------------------------------


def _value(world: World, endpoint: str, role: str, name: str) -> Any:
    s = world.scenario
    special = ENDPOINT_VALUES.get(endpoint, {})
    if name in SCENARIO_IDS.get(endpoint, {}):
        return s.ids[SCENARIO_IDS[endpoint][name]]
    if name in special:
        return s.survey_code if special[name] == "survey" else special[name]
    if name in s.ids:
        return s.ids[name]
    if name == "token" and endpoint.startswith("groups."):  # the group link, likewise
        return s.group_token if role == PARTICIPANT else UNKNOWN_TOKEN
    if name == "token":  # a manage link: the participant's own, nobody else has one
        return s.manage_tokens["peeter"] if role == PARTICIPANT else UNKNOWN_TOKEN
    return {"code": s.board_code, "slug": s.event_slug, "setting": "large",
            "filename": "css/koosloome.css"}[name]


def url_of(world: World, endpoint: str, role: str) -> str:
    """The sample URL of ``endpoint`` as ``role`` would use it."""
    rule = next(world.app.url_map.iter_rules(endpoint))
    values = {name: _value(world, endpoint, role, name) for name in rule.arguments}
    with world.app.test_request_context():
        path = url_for(endpoint, **values)
    query = QUERIES.get(endpoint)
    return f"{path}?{urlencode(query)}" if query else path


def send(world: World, endpoint: str, method: str, role: str) -> Any:
    """Request ``endpoint`` with ``method`` as ``role`` (an empty form or JSON object)."""
    url = url_of(world, endpoint, role)
    client = world.clients[role]
    if endpoint in ("accounts.logout", "accounts.sign_out_everywhere"):
        # sign out a copy, so that the role stays signed in (the database is restored after)
        client = world.app.test_client()
        session = world.clients[role].get_cookie("session")
        if session is not None:
            client.set_cookie("session", session.value)
    kwargs: dict[str, Any] = {"method": method}
    if url.startswith("/api/"):
        token = world.scenario.bearer.get(role)
        if token:
            kwargs["headers"] = {"Authorization": f"Bearer {token}"}
        if method in ("POST", "PATCH"):
            kwargs["json"] = {}
    elif method == "POST":
        kwargs["data"] = {}
    return client.open(url, **kwargs)


def classify(response: Any) -> str:
    """The class of an answer: ok, redirect, login, join, 401, 403, 404, or the status."""
    status = response.status_code
    if 300 <= status < 400 and status != 304:
        path = urlsplit(response.headers.get("Location", "")).path
        if path == "/login":
            return "login"
        if path.startswith("/b/") and path.endswith("/join"):
            return "join"
        return "redirect"
    if status in (401, 403, 404):
        return str(status)
    # the handler ran: a page, a file, or a validation / state error about the request
    if status in (200, 201, 204, 304, 400, 409, 410, 422):
        return "ok"
    return str(status)


@dataclass
class Outcome:
    """What one request did."""

    got: str
    changed: list[str]
    leaked: list[str]


def check(world: World, endpoint: str, method: str, role: str) -> Outcome:
    """Send the request, then look at the answer and the database (restoring it if needed)."""
    world.watch.wrote = False
    response = send(world, endpoint, method, role)
    text = "" if role in HEALTH_ROLES else sc.readable_text(response)
    changed = sc.changed_tables(world.baseline, sc.snapshot()) if world.watch.wrote else []
    if changed:
        world.reset()
    return Outcome(classify(response), changed, sc.markers_in(text))


def methods_of(world: World, endpoint: str) -> list[str]:
    """The methods the endpoint answers (HEAD and OPTIONS aside)."""
    rules = list(world.app.url_map.iter_rules(endpoint))
    return [m for m in METHODS if any(m in (rule.methods or ()) for rule in rules)]


# --- the tests ----------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert not endpoints - set(MATRIX), (
        f"classify these routes in the authorization matrix: {sorted(endpoints - set(MATRIX))}"
    )
    assert not set(MATRIX) - endpoints, f"no such routes: {sorted(set(MATRIX) - endpoints)}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_each_role_as_the_matrix_says(world, endpoint):
    failures = []
    for method in methods_of(world, endpoint):
        for role in ROLES:
            expected = MATRIX[endpoint][role]
            outcome = check(world, endpoint, method, role)
            where = f"{method} {url_of(world, endpoint, role)} as {role}"
            if outcome.got not in expected:
                failures.append(f"{where}: got {outcome.got}, "
                                f"expected {'/'.join(sorted(expected))}")
            if outcome.changed and expected.isdisjoint(ALLOWED):
                failures.append(f"{where}: refused, yet changed {', '.join(outcome.changed)}")
            if outcome.leaked and role not in HEALTH_ROLES:
                failures.append(f"{where}: shows health data ({', '.join(outcome.leaked)})")
    assert not failures, "\n".join(failures)


def _get(world: World, role: str, url: str, **kwargs: Any) -> Any:
    response = world.clients[role].get(url, **kwargs)
    if world.watch.wrote:  # viewing health data is audited: start the next request afresh
        world.reset()
    return response


def test_health_data_is_shown_to_whom_it_is_for(world):
    """The positive side of the leak check: the same markers do show where they should."""
    s = world.scenario
    event, mari = s.ids["event_id"], s.ids["registration_id"]
    token = s.manage_tokens["mari"]
    everything = set(sc.MARKERS)
    needs = everything - {"sensitive_answer"}
    pages = {
        (ORGANISER, f"/admin/registrations/{mari}"): needs,
        (ADMIN, f"/admin/registrations/{mari}"): needs,
        (ORGANISER, f"/admin/events/{event}/registrations.csv?health=1"): everything,
        (ADMIN, f"/admin/events/{event}/registrations.xlsx?health=1"): everything,
        (ORGANISER, f"/admin/events/{event}/needs?names=1"):
            {"needs_note", "allergies", "companion_name"},
        (ORGANISER, f"/admin/events/{event}/transport"): {"transport_pickup"},
        (ORGANISER, f"/admin/events/{event}/pickups"): {"transport_pickup"},
        (ADMIN, f"/admin/events/{event}/pickups/routes"): {"transport_pickup"},
        (ORGANISER, f"/admin/events/{event}/pickups/{mari}"): {"transport_pickup"},
        (ORGANISER, f"/api/v1/events/{event}/registrations"): everything,
        (PARTICIPANT, f"/r/{token}"): everything,
        (PARTICIPANT, f"/r/{token}/edit"): everything,
        (PARTICIPANT, f"/r/{token}/data.json"): everything,
    }
    failures = []
    for (role, url), expected in pages.items():
        headers = {"Authorization": f"Bearer {s.bearer[role]}"} if url.startswith("/api/") \
            else {}
        response = _get(world, role, url, headers=headers)
        shown = set(sc.markers_in(sc.readable_text(response)))
        if response.status_code != 200 or not expected <= shown:
            failures.append(f"{url} as {role}: {response.status_code}, shows {sorted(shown)}, "
                            f"expected at least {sorted(expected)}")
    assert not failures, "\n".join(failures)


def test_files_that_leave_the_organisers_hands_carry_no_health_data(world):
    """Attendance sheets, evidence packs, reports and exports without ``health=1`` go to the
    funder, the caterer or the venue: not even an admin's copy holds health data."""
    s = world.scenario
    event, board = s.ids["event_id"], s.ids["board_id"]
    urls = [
        f"/admin/events/{event}/registrations.csv", f"/admin/events/{event}/registrations.xlsx",
        f"/admin/events/{event}/attendance.pdf", f"/admin/events/{event}/attendance.pdf"
        "?checked_in=1", f"/admin/events/{event}/evidence.pdf",
        f"/admin/events/{event}/evidence.zip", f"/admin/events/{event}/feedback.csv",
        f"/admin/events/{event}/needs", "/admin/reports/leader.csv", "/admin/reports/leader.xlsx",
        "/admin/reports/leader.pdf", f"/admin/boards/{board}/export.csv",
        f"/admin/boards/{board}/export.md", f"/admin/boards/{board}/summary",
    ]
    failures = []
    for url in urls:
        response = _get(world, ADMIN, url)
        shown = sc.markers_in(sc.readable_text(response))
        if response.status_code != 200 or shown:
            failures.append(f"{url}: {response.status_code}, shows {shown}")
    assert not failures, "\n".join(failures)


def test_the_api_ignores_a_signed_in_web_session(world):
    """The API is exempt from CSRF, so a browser's session cookie must open nothing there: an
    organiser signed in on the web, without a token, is answered like an anonymous visitor."""
    failures = []
    client = world.clients[ORGANISER]
    for endpoint in sorted(e for e in MATRIX if e.startswith(("api.", "boards_api."))):
        for method in methods_of(world, endpoint):
            world.watch.wrote = False
            url = url_of(world, endpoint, ANONYMOUS)
            response = client.open(url, method=method,
                                   json={} if method in ("POST", "PATCH") else None)
            if world.watch.wrote:
                world.reset()
            expected = MATRIX[endpoint][ANONYMOUS]
            if classify(response) not in expected:
                failures.append(f"{method} {url}: got {classify(response)}, "
                                f"expected {'/'.join(sorted(expected))}")
    assert not failures, "\n".join(failures)


def test_a_board_participant_cannot_change_someone_elses_idea(world):
    s = world.scenario
    code, idea = s.board_code, s.ids["others_idea_id"]
    client = world.clients[BOARD_PARTICIPANT]
    failures = []
    for method, url in [("GET", f"/b/{code}/ideas/{idea}/edit"),
                        ("POST", f"/b/{code}/ideas/{idea}/edit"),
                        ("POST", f"/b/{code}/ideas/{idea}/delete")]:
        world.watch.wrote = False
        response = client.open(url, method=method, data={"text": "Minu tekst"})
        changed = sc.changed_tables(world.baseline, sc.snapshot()) if world.watch.wrote else []
        if changed:
            world.reset()
            failures.append(f"{method} {url} changed {changed}")
        if response.status_code not in (302, 403):
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_another_partners_objects_cannot_be_reached_through_ones_own(world):
    """Ids of the other partner's questions, programme items, ideas, comments, columns,
    themes and votes, put into the URLs and bodies of one's own event and board, open and
    change nothing."""
    s = world.scenario
    ids, code = s.ids, s.board_code
    event, board, idea = ids["event_id"], ids["board_id"], ids["idea_id"]
    staff = {"Authorization": f"Bearer {s.bearer[ORGANISER]}"}
    member = {"Authorization": f"Bearer {s.bearer[BOARD_PARTICIPANT]}"}
    attempts = [
        (ORGANISER, "GET", f"/admin/events/{event}/questions/{ids['their_question_id']}/delete",
         None),
        (ORGANISER, "POST", f"/admin/events/{event}/questions/{ids['their_question_id']}/delete",
         None),
        (ORGANISER, "POST", f"/admin/events/{event}/questions/{ids['their_question_id']}/move",
         None),
        (ORGANISER, "POST", f"/admin/events/{event}/agenda/{ids['their_item_id']}/delete", None),
        (ORGANISER, "GET", f"/admin/boards/{board}/ideas/{ids['their_idea_id']}", None),
        (ORGANISER, "POST", f"/admin/boards/{board}/ideas/{ids['their_idea_id']}/pin", None),
        (ORGANISER, "POST", f"/admin/boards/{board}/ideas/{idea}/move",
         {"move-column": ids["their_column_id"]}),
        (ORGANISER, "POST", f"/admin/boards/{board}/ideas/{idea}/merge",
         {"merge-into": ids["their_idea_id"]}),
        (ORGANISER, "POST", f"/admin/boards/{board}/comments/{ids['their_comment_id']}/hide",
         None),
        (ORGANISER, "POST", f"/admin/boards/{board}/columns/{ids['their_column_id']}/delete",
         None),
        (ORGANISER, "POST", f"/admin/boards/{board}/themes/{ids['their_theme_id']}/delete",
         None),
        (ORGANISER, "POST", f"/api/v1/boards/{code}/ideas/{ids['their_idea_id']}/hide",
         {"reason": "Kordus"}),
        (ORGANISER, "POST", f"/api/v1/boards/{code}/ideas/{idea}/merge",
         {"into_idea_id": ids["their_idea_id"]}),
        (ORGANISER, "POST", f"/api/v1/boards/{code}/ideas/{idea}/move",
         {"column_id": ids["their_column_id"]}),
        (ORGANISER, "POST", f"/api/v1/boards/{code}/ideas/{idea}/theme",
         {"theme_id": ids["their_theme_id"]}),
        (BOARD_PARTICIPANT, "GET", f"/b/{code}/ideas/{ids['their_idea_id']}", None),
        (BOARD_PARTICIPANT, "POST", f"/b/{code}/ideas/{ids['their_idea_id']}/vote", None),
        (BOARD_PARTICIPANT, "POST", f"/b/{code}/ideas", {"column": ids["their_column_id"],
                                                          "text": "Minu mõte"}),
        (BOARD_PARTICIPANT, "POST", f"/api/v1/boards/{code}/votes",
         {"idea_id": ids["their_idea_id"]}),
        (BOARD_PARTICIPANT, "DELETE", f"/api/v1/boards/{code}/votes/{ids['their_vote_id']}",
         None),
        (BOARD_PARTICIPANT, "POST", f"/api/v1/boards/{code}/ideas",
         {"column_id": ids["their_column_id"], "text": "Minu mõte"}),
    ]
    failures = []
    for role, method, url, body in attempts:
        world.watch.wrote = False
        if url.startswith("/api/"):
            headers = staff if role == ORGANISER else member
            response = world.clients[role].open(url, method=method, json=body, headers=headers)
        else:
            response = world.clients[role].open(url, method=method, data=body)
        changed = sc.changed_tables(world.baseline, sc.snapshot()) if world.watch.wrote else []
        if changed:
            world.reset()
            failures.append(f"{method} {url} as {role} changed {', '.join(changed)}")
        # the decisive check is that nothing changed; a page must not open, the API says no
        refused = response.status_code == 404 if method == "GET" else \
            response.status_code >= 400 if url.startswith("/api/") else True
        if not refused:
            failures.append(f"{method} {url} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_emails_to_anyone_else_carry_no_health_data(world):
    """Every kind of message, sent to the other participant and to staff, and an organiser's
    message to everyone: only Mari's own messages may mention her needs."""
    from koosloome.accounts.password_reset import queue_reset_email
    from koosloome.accounts.services import user_by_email
    from koosloome.messaging.kinds import MessageKind
    from koosloome.messaging.models import OutgoingEmail
    from koosloome.messaging.notify import notify
    from koosloome.registrations.models import Registration
    from tests.factories import writing

    s = world.scenario
    sent = world.clients[ORGANISER].post(f"/admin/events/{s.ids['event_id']}/message", data={
        "subject": "Teade", "body": "Bussi väljumine muutus.",
        "audience": ["confirmed", "waiting"], "send": "1"})
    assert sent.status_code == 302
    with writing(), world.app.test_request_context():
        peeter = db.session.get(Registration, s.ids["peeter_id"])
        for kind in MessageKind:
            notify(peeter, kind, position=1, subject="Teade", body="Tere")
        for role in sc.STAFF_ROLES:
            queue_reset_email(user_by_email(s.emails[role]), "et")
        db.session.commit()
    emails = [(e.kind, e.to_address, "\n".join([e.subject, e.body_text, e.body_html,
                                                 (e.calendar or b"").decode("utf-8")]))
              for e in db.session.scalars(select(OutgoingEmail))
              if e.to_address != "mari@example.ee"]
    world.reset()
    kinds = {kind for kind, _to, _text in emails}
    assert kinds >= {kind.value for kind in MessageKind} | {"password_reset"}, kinds
    assert any(to == "peeter@example.ee" and kind == "organiser_message"
               for kind, to, _text in emails)
    leaks = [f"{kind} to {to}: {sc.markers_in(text)}" for kind, to, text in emails
             if sc.markers_in(text)]
    assert not leaks, "\n".join(leaks)
