"""Every page type passes axe-core's WCAG 2.2 AA rules, in Estonian and English.

``PAGES`` names a sample URL for every endpoint that renders HTML; a test fails when a route
exists that this sweep does not visit, so new pages cannot skip the check.
"""

from __future__ import annotations

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import WCAG_TAGS, join_board, sign_in

#: endpoint → (sample path, who looks: "anonymous" or "staff")
PAGES: dict[str, tuple[str, str]] = {
    "events.home": ("/", "anonymous"),
    "events.event_page": ("/events/eakate-kaasamine-voru", "anonymous"),
    "site.help_page": ("/help", "anonymous"),
    "site.accessibility_statement": ("/accessibility", "anonymous"),
    "accounts.login": ("/login", "anonymous"),
    "admin.dashboard": ("/admin/", "staff"),
    "announcements.list_announcements": ("/admin/announcements", "staff"),
    "announcements.new_announcement": ("/admin/announcements/new", "staff"),
    "announcements.edit_announcement": ("/admin/announcements/{announcement_draft}", "staff"),
    "announcements.preview_announcement": ("/admin/announcements/{announcement_draft}/preview",
                                           "staff"),
    "announcements.subscribe": ("/subscribe", "anonymous"),
    "announcements.confirm": ("/subscribe/confirm/{confirm_token}", "anonymous"),
    "announcements.unsubscribe": ("/u/{unsubscribe_token}", "anonymous"),
    "registrations.register": ("/events/eakate-kaasamine-voru/register", "anonymous"),
    "venues.list_venues": ("/admin/venues/", "staff"),
    "venues.new_venue": ("/admin/venues/new", "staff"),
    "venues.edit_venue": ("/admin/venues/{venue}/edit", "staff"),
    "arrangements.event_arrangements": ("/admin/events/{event}/arrangements", "staff"),
    "itinerary.overview": ("/admin/events/{trip}/itinerary", "staff"),
    "itinerary.edit_day": ("/admin/events/{trip}/itinerary/days/{trip_day}", "staff"),
    "itinerary.add_stop": ("/admin/events/{trip}/itinerary/days/{trip_day}/stops", "staff"),
    "itinerary.edit_stop": ("/admin/events/{trip}/itinerary/stops/{trip_stop}", "staff"),
    "arrangements.edit_arrangement": ("/admin/events/{event}/arrangements/captions", "staff"),
    "arrangements.event_pickups": ("/admin/events/{event}/pickups", "staff"),
    "arrangements.edit_pickup": ("/admin/events/{event}/pickups/{registration}", "staff"),
    "arrangements.driver_routes": ("/admin/events/{event}/pickups/routes", "staff"),
    "arrangements.list_volunteers": ("/admin/volunteers/", "staff"),
    "calls.all_calls": ("/admin/calls", "staff"),
    "calls.event_calls": ("/admin/events/{event}/calls", "staff"),
    "arrangements.new_volunteer": ("/admin/volunteers/new", "staff"),
    "arrangements.edit_volunteer": ("/admin/volunteers/{volunteer}/edit", "staff"),
    "registrations.manage": ("/r/{token}", "anonymous"),
    "registrations.edit": ("/r/{token}/edit", "anonymous"),
    "registrations.cancel": ("/r/{token}/cancel", "anonymous"),
    "registrations.accept": ("/r/{offered_token}/accept", "anonymous"),
    "trips.travel": ("/r/{traveller_token}/travel", "anonymous"),
    "trips.travel_list": ("/admin/events/{czechia}/travel", "staff"),
    "trips.costs": ("/admin/events/{past_trip}/costs", "staff"),
    "trips.trip_report": ("/admin/events/{past_trip}/report", "staff"),
    "trips.learned": ("/events/oppereis-austria/learned", "anonymous"),
    "outcomes.board_actions": ("/admin/boards/{outcome_board}/actions", "staff"),
    "outcomes.edit_action": ("/admin/boards/{outcome_board}/actions/{action}", "staff"),
    "outcomes.what_came_of_it": ("/b/ANTS24/outcomes", "anonymous"),
    "outcomes.stop_news": ("/{news}", "anonymous"),
    "files.event_files": ("/admin/events/{event}/files", "staff"),
    "files.delete_file": ("/admin/events/{event}/files/{event_file}/delete", "staff"),
    "selection.overview": ("/admin/events/{trip}/selection", "staff"),
    "selection.review": ("/admin/events/{trip}/selection/{applicant}", "staff"),
    "selection.compare": ("/admin/events/{trip}/selection/compare?r={applicant}&r={applicant2}",
                          "staff"),
    "selection.criteria_settings": ("/admin/events/{trip}/selection/settings", "staff"),
    "selection.decisions": ("/admin/events/{trip}/selection/decisions", "staff"),
    "selection.delete_criterion": (
        "/admin/events/{trip}/selection/settings/criteria/{criterion}/delete", "staff"),
    "registrations.withdraw_consent": ("/r/{token}/health-consent", "anonymous"),
    "registrations.lost_link": ("/lost-link", "anonymous"),
    "registrations.erase": ("/r/{token}/erase", "anonymous"),
    "groups.register": ("/events/eakate-kaasamine-voru/group", "anonymous"),
    "groups.manage": ("/g/{group_token}", "anonymous"),
    "groups.cancel": ("/g/{group_token}/cancel", "anonymous"),
    "event_admin.list_events": ("/admin/events/", "staff"),
    "event_admin.new_event": ("/admin/events/new", "staff"),
    "event_admin.overview": ("/admin/events/{event}", "staff"),
    "event_admin.edit_event": ("/admin/events/{event}/edit", "staff"),
    "event_admin.cancel": ("/admin/events/{event}/cancel", "staff"),
    "event_admin.questions": ("/admin/events/{trip}/questions", "staff"),
    "event_admin.delete_question": ("/admin/events/{trip}/questions/{question}/delete", "staff"),
    "registration_admin.list_registrations": ("/admin/events/{event}/registrations", "staff"),
    "registration_admin.detail": ("/admin/registrations/{registration}", "staff"),
    "registration_admin.change_status": (
        "/admin/registrations/{registration}/status?to=rejected", "staff"),
    "registration_admin.phone_registration": ("/admin/events/{event}/registrations/new",
                                              "staff"),
    "registration_admin.confirmation": ("/admin/registrations/{registration}/confirmation",
                                        "staff"),
    "registration_admin.check_in_list": ("/admin/events/{event}/check-in", "staff"),
    "registration_admin.check_in": ("/admin/registrations/{registration}/check-in", "staff"),
    "registration_admin.walk_in": ("/admin/events/{event}/walk-in", "staff"),
    "event_admin.agenda": ("/admin/events/{event}/agenda", "staff"),
    "event_admin.message": ("/admin/events/{event}/message", "staff"),
    "feedback.personal": ("/r/{past_token}/feedback", "anonymous"),
    "feedback.anonymous": ("/f/ELVA24", "anonymous"),
    "feedback.overview": ("/admin/events/{past}/feedback", "staff"),
    "feedback.paper": ("/admin/events/{past}/feedback/paper", "staff"),
    "reports.needs_overview": ("/admin/events/{event}/needs", "staff"),
    "reports.transport": ("/admin/events/{event}/transport", "staff"),
    "reports.leader_report": ("/admin/reports/leader", "staff"),
    "reports.project_dashboard": ("/admin/project", "staff"),
    "projects.settings": ("/admin/project/settings", "staff"),
    "projects.budget_line": ("/admin/project/lines/{line}", "staff"),
    "projects.delete_line": ("/admin/project/lines/{line}/delete", "staff"),
    "projects.costs": ("/admin/costs", "staff"),
    "projects.edit_cost": ("/admin/costs/{cost}", "staff"),
    "projects.delete_cost": ("/admin/costs/{cost}/delete", "staff"),
    # Idea boards: KUVR24 is voting (board 1, ideas 1–8), TUBA25 is collecting (board 2).
    "boards.join_code": ("/join", "anonymous"),
    "boards.join": ("/b/TUBA25/join", "anonymous"),
    "boards.board_page": ("/b/KUVR24", "participant"),
    "boards.idea_page": ("/b/KUVR24/ideas/1", "participant"),
    "boards.edit_idea": ("/b/TUBA25", "author"),  # opens the edit page of an idea it posts
    "boards.results": ("/b/KUVR24/results", "staff"),
    "boards.present": ("/b/KUVR24/present", "anonymous"),
    "boards.admin_boards": ("/admin/boards/", "staff"),
    "boards.admin_new_board": ("/admin/boards/new", "staff"),
    "boards.admin_board": ("/admin/boards/1", "staff"),
    "boards.admin_settings": ("/admin/boards/1/settings", "staff"),
    "boards.admin_structure": ("/admin/boards/2/structure", "staff"),
    "boards.admin_idea": ("/admin/boards/1/ideas/1", "staff"),
    "boards.admin_summary": ("/admin/boards/1/summary", "staff"),
    "site.privacy": ("/privacy", "anonymous"),
    "privacy.overview": ("/admin/privacy/", "staff"),
    "reports.audit_log": ("/admin/audit", "staff"),
    "users.user_list": ("/admin/users/", "staff"),
    "users.create_user": ("/admin/users/new", "staff"),
    "users.edit_user": ("/admin/users/1", "staff"),
    "accounts.forgot_password": ("/forgot-password", "anonymous"),
    "accounts.reset_password": ("/reset-password/not-a-valid-link", "anonymous"),
}
#: more pages and states: (path, who looks)
EXTRA_PAGES = [
    ("/events/no-such-event", "anonymous"),  # error page (404)
    ("/events/ligipaasetav-teenus-tartu", "anonymous"),  # full, with a waiting list
    ("/events/oppereis-rootsi", "anonymous"),  # study trip by application
    ("/events/oppereis-austria", "anonymous"),  # a trip that is over, with its report
    ("/", "staff"),  # public pages with the staff menu
    # The home page's list (two events a page in the browser tests; five upcoming events):
    ("/?page=2", "anonymous"),  # a middle page: previous, numbers, next
    ("/?page=3", "anonymous"),  # the last page
    ("/?partner=tas&county=tartu", "anonymous"),  # narrowed: the choices selected
    ("/?partner=tas&page=2", "anonymous"),  # narrowed, a later page
    ("/?kind=workshop&county=tartu", "anonymous"),  # nothing matches: "clear the choices"
    ("/r/{token}?new=1", "anonymous"),  # confirmation panel
    ("/r/{offered_token}", "anonymous"),  # a place offered, with its deadline and button
    ("/events/oppereis-tsehhi", "anonymous"),  # trip with offers out
    ("/g/{group_token}?new=1", "anonymous"),  # the group's confirmation panel
    ("/admin/registrations/{group_member}", "staff"),  # with the group's contact
    ("/r/{cancelled_token}", "anonymous"),  # cancelled: over, with "register again"
    ("/events/oppereis-rootsi/register", "anonymous"),  # extra questions
    ("/admin/events/{trip}/costs", "staff"),  # no costs yet
    ("/admin/events/{trip}/report", "staff"),  # no report yet
    ("/events/ligipaasetav-teenus-tartu/register", "anonymous"),  # full: waiting list
    ("/events/vabatahtlike-seminar-elva/register", "anonymous"),  # past: closed
    ("/admin/events/{event}/feedback", "staff"),  # survey not switched on yet
    ("/admin/events/{event}/needs?names=1", "staff"),  # named list of needs
    ("/admin/events/2/needs?names=1", "staff"),
    ("/admin/events/2/transport", "staff"),
    ("/b/TUBA25", "participant"),  # collecting: the form to post an idea
    ("/b/TUBA25/present", "anonymous"),  # big screen with the QR code
    ("/admin/boards/2", "staff"),  # collecting, with the paper-note form
    ("/admin/boards/2/ideas/9", "staff"),  # an idea with a theme, collecting phase
]
#: forms submitted empty, to check the error summary and messages: (path, submit selector)
ERROR_STATES = [
    ("/login", "main button[type=submit]"),
    ("/admin/events/{event}/walk-in", "main form button[type=submit]"),
    ("/events/oppereis-rootsi/register", "main form button[type=submit]"),
    ("/lost-link", "main form button[type=submit]"),
    ("/events/eakate-kaasamine-voru/group", "main form button[type=submit]:not([name])"),
    ("/forgot-password", "main form button[type=submit]"),
    ("/r/{traveller_token}/travel", "main form button[type=submit]"),
]
#: staff forms that show errors when sent as they stand: (path, submit selector)
STAFF_ERROR_STATES = [
    ("/admin/reports/leader?start=2025-06-30&end=2025-01-01&partner=all",
     "main form button[type=submit]"),
    ("/join", "main button[type=submit]"),
    ("/admin/audit?start=2025-02-01&end=2025-01-01", "main form button[type=submit]"),
    ("/admin/users/new", "main form button[type=submit]"),
    ("/admin/venues/new", "main form button[type=submit]"),
    ("/admin/volunteers/new", "main form button[type=submit]"),
    ("/admin/events/{trip}/itinerary/days/{trip_day}/stops", "main form button[type=submit]"),
    ("/admin/events/{trip}/costs", "main form button[type=submit]:not(.button-secondary)"),
    ("/admin/events/{trip}/selection/settings", "#criterion-form button[type=submit]"),
    ("/admin/boards/{outcome_board}/actions", "main form button[type=submit]"),
    ("/admin/costs?start=2025-06-30&end=2025-01-01", "main form button[type=submit]"),
    ("/admin/events/{event}/files", "main form button[type=submit]"),
    ("/admin/announcements/new", "main form button[type=submit]"),
    ("/subscribe", "main form button[type=submit]"),
]
#: endpoints that do not render an HTML page, and why
NOT_PAGES = {
    "static": "files",
    "site.healthz": "JSON health check",
    "site.logo": "image (a funder's logo in the footer)",
    "site.set_language": "redirect",
    "site.toggle_display": "redirect",
    "api.get_event": "JSON API",
    "api.list_events": "JSON API",
    "api.list_registrations": "JSON API",
    "api.openapi": "JSON API description",
    "venues_api.get_venue": "JSON API",
    "venues_api.list_venues": "JSON API",
    "reports.attendance_sheet": "PDF",
    "reports.leader_csv": "CSV file",
    "reports.leader_xlsx": "XLSX file",
    "reports.leader_pdf_download": "PDF",
    "reports.export_csv": "CSV file",
    "reports.export_xlsx": "XLSX file",
    "events.calendar_feed": "iCalendar feed",
    "events.event_ics": "iCalendar file",
    "boards.live": "HTML fragment polled by board.js (inside the board page)",
    "boards.qr_code": "SVG image (shown on the present page)",
    "boards.admin_export_csv": "CSV download",
    "boards.admin_export_markdown": "Markdown download",
    "boards_api.get_board": "JSON API",
}
#: blueprints that answer JSON only
JSON_BLUEPRINTS = ("api.", "arrangements_api.", "calls_api.", "groups_api.", "itinerary_api.",
                   "trips_api.", "selection_api.", "outcomes_api.", "projects_api.",
                   "reports_api.", "files_api.", "announcements_api.",
                   "certificates_api.")
#: endpoints that take POST only (their result pages are in the sweep)
POST_ONLY = {
    "accounts.logout", "users.send_password_link", "event_admin.duplicate", "event_admin.publish",
    "event_admin.move_question", "registration_admin.note", "registration_admin.undo_check_in",
    "feedback.open_survey", "feedback.close_survey", "feedback.add_question",
    "feedback.hide_answer", "event_admin.delete_agenda_item",
    "boards.post_idea", "boards.delete_idea", "boards.vote", "boards.unvote",
    "boards.admin_phase", "boards.admin_paper_idea", "boards.admin_idea_action",
    "boards.admin_comment", "boards.admin_add_column", "boards.admin_column",
    "boards.admin_add_theme", "boards.admin_theme", "itinerary.delete_day", "trips.delete_cost",
    "itinerary.delete_stop", "selection.save_quotas", "trips.set_leader",
    "outcomes.delete_action", "projects.partner_budget", "projects.targets",
    "announcements.send_announcement", "announcements.erase",
}
#: downloads that are not HTML pages
DOWNLOADS = {
    "feedback.qr_code", "feedback.export_csv", "evidence.pdf", "evidence.zip_file",
    "reports.claim_xlsx", "reports.claim_zip_download", "projects.cost_document",
    "registrations.invite", "registrations.download_data", "calls.event_calls_pdf",
    "calls.letter", "trips.travel_xlsx", "trips.trip_list", "reports.attendance_xlsx",
    "files.download", "registrations.material",
    "certificates.participant_certificate", "certificates.event_certificates",
    "certificates.registration_certificate",
}

_axe = Axe()


def test_every_html_route_is_in_the_sweep(live_server):
    endpoints = {rule.endpoint for rule in live_server.app.url_map.iter_rules()
                 if "GET" in (rule.methods or set())}
    missing = {e for e in endpoints - set(PAGES) - set(NOT_PAGES) - POST_ONLY - DOWNLOADS
               if not e.startswith(JSON_BLUEPRINTS)}
    assert not missing, f"add these endpoints to the axe sweep: {sorted(missing)}"


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll ``expression`` (evaluated over CDP, which our CSP allows) until it is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def _assert_no_violations(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="module")
def visitor(browser, live_server):
    """``visitor(language, who)`` → a page in that language, signed in for "staff"; one
    browser context per combination, reused across the sweep (the pages are only read)."""
    contexts = {}

    def get(language: str, who: str):
        if (language, who) not in contexts:
            context = browser.new_context()
            context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
            page = context.new_page()
            if who == "staff":
                sign_in(page, live_server)
            contexts[(language, who)] = (context, page)
        return contexts[(language, who)][1]

    yield get
    for context, _page in contexts.values():
        context.close()


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(("path", "who"), list(PAGES.values()) + EXTRA_PAGES)
def test_page_has_no_axe_violations(visitor, browser, live_server, language, path, who):
    if who in ("participant", "author"):
        # Joining and posting change state: these get a fresh context each.
        context = browser.new_context()
        context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
        page = context.new_page()
        join_board(page, live_server, path.split("/")[2])
        page.goto(live_server(path))
        if who == "author":
            page.fill("#text", "Mõte ligipääsetavuse testist")
            page.click("#post-idea button[type=submit]")
            page.click("a[id^=edit-]")
            page.wait_for_selector("h1")
        _assert_no_violations(page, language)
        context.close()
        return
    page = visitor(language, who)
    page.goto(live_server(path))
    _assert_no_violations(page, language)


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(("path", "submit"), ERROR_STATES)
def test_form_with_errors_has_no_axe_violations(page, live_server, language, path, submit):
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    if path.startswith("/admin/"):
        sign_in(page, live_server)
    page.goto(live_server(path))
    page.click(submit)
    page.wait_for_selector(".error-summary")
    # The deferred script moves focus after the element appears: wait for it, don't race it
    # (polled from here: evaluating a string inside the page is forbidden by our CSP).
    wait_until(page, "document.activeElement.classList.contains('error-summary')")
    _assert_no_violations(page, language)


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_registration_confirmation_has_no_axe_violations(page, live_server, language):
    """The page a registration with an e-mail address is answered with (its details, what
    happens next; the link goes by e-mail)."""
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    page.fill("#name", "Axe Kontroll")
    page.fill("#email", f"axe-{language}@example.ee")
    page.check("#needs_mobility-0")
    page.check("#consent_privacy")
    page.check("#consent_health")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-receipt]")
    _assert_no_violations(page, language)


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(("path", "submit"), STAFF_ERROR_STATES)
def test_staff_form_with_errors_has_no_axe_violations(page, live_server, language, path, submit):
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    sign_in(page, live_server)
    page.goto(live_server(path))
    page.click(submit)
    page.wait_for_selector(".error-summary")
    _assert_no_violations(page, language)


@pytest.mark.parametrize("language", ["et", "en"])
def test_new_password_form_has_no_axe_violations(page, live_server, language):
    from koosloome.accounts.password_reset import reset_token
    from koosloome.accounts.services import user_by_email

    with live_server.app.test_request_context():
        token = reset_token(user_by_email(live_server.admin_email))
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    page.goto(live_server(f"/reset-password/{token}"))
    _assert_no_violations(page, language)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    _assert_no_violations(page, language)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server("/"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_axe_harness_reports_a_real_violation(page):
    page.set_content('<!doctype html><html lang="et"><title>t</title><img src="x.png"></html>')
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count >= 1


@pytest.mark.parametrize("path", ["/", "/events/eakate-kaasamine-voru/register", "/r/{token}"])
def test_large_text_and_high_contrast_pass_axe(browser, live_server, path):
    context = browser.new_context()
    context.add_cookies([{"name": "display", "value": "contrast,large", "url": live_server.url},
                         {"name": "lang", "value": "et", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server(path))
    assert "display-large" in (page.locator("html").get_attribute("class") or "")
    _assert_no_violations(page, "et")
    context.close()
