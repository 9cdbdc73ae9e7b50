"""Every page type passes axe-core's WCAG 2.2 AA rules, in Estonian and English.

``PAGES`` names a sample URL for every endpoint that renders HTML; a test fails when a route
exists that this sweep does not visit, so new pages cannot skip the check.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import WCAG_TAGS, sign_in

#: endpoint → (sample path, who looks: "anonymous" or "staff")
PAGES: dict[str, tuple[str, str]] = {
    "events.home": ("/", "anonymous"),
    "events.event_page": ("/events/eakate-kaasamine-voru", "anonymous"),
    "site.help_page": ("/help", "anonymous"),
    "accounts.login": ("/login", "anonymous"),
    "admin.dashboard": ("/admin/", "staff"),
    "registrations.register": ("/events/eakate-kaasamine-voru/register", "anonymous"),
    "registrations.manage": ("/r/{token}", "anonymous"),
    "registrations.edit": ("/r/{token}/edit", "anonymous"),
    "registrations.cancel": ("/r/{token}/cancel", "anonymous"),
    "registrations.withdraw_consent": ("/r/{token}/health-consent", "anonymous"),
    "registrations.lost_link": ("/lost-link", "anonymous"),
    "reports.needs_overview": ("/admin/events/1/needs", "staff"),
    "reports.transport": ("/admin/events/1/transport", "staff"),
    "reports.leader_report": ("/admin/reports/leader", "staff"),
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
    ("/events/oppereis-austria", "anonymous"),  # study trip by application
    ("/", "staff"),  # public pages with the staff menu
    ("/r/{token}?new=1", "anonymous"),  # confirmation panel
    ("/events/oppereis-austria/register", "anonymous"),  # extra questions
    ("/events/ligipaasetav-teenus-tartu/register", "anonymous"),  # full: waiting list
    ("/events/vabatahtlike-seminar-elva/register", "anonymous"),  # past: closed
    ("/admin/events/1/needs?names=1", "staff"),  # named list of needs
    ("/admin/events/2/needs?names=1", "staff"),
    ("/admin/events/2/transport", "staff"),
]
#: forms submitted empty, to check the error summary and messages: (path, submit selector)
ERROR_STATES = [
    ("/login", "main button[type=submit]"),
    ("/events/oppereis-austria/register", "main form button[type=submit]"),
    ("/lost-link", "main form button[type=submit]"),
    ("/forgot-password", "main form button[type=submit]"),
]
#: staff forms that show errors when sent as they stand: (path, submit selector)
STAFF_ERROR_STATES = [
    ("/admin/reports/leader?start=2025-06-30&end=2025-01-01&partner=all",
     "main form button[type=submit]"),
    ("/admin/audit?start=2025-02-01&end=2025-01-01", "main form button[type=submit]"),
    ("/admin/users/new", "main form button[type=submit]"),
]
#: endpoints that do not render an HTML page, and why
NOT_PAGES = {
    "static": "files",
    "site.healthz": "JSON health check",
    "site.set_language": "redirect",
    "api.get_event": "JSON API",
    "api.list_events": "JSON API",
    "api.list_registrations": "JSON API",
    "api.openapi": "JSON API description",
    "reports.attendance_sheet": "PDF",
    "reports.leader_csv": "CSV file",
    "reports.leader_xlsx": "XLSX file",
    "reports.leader_pdf_download": "PDF",
    "reports.export_csv": "CSV file",
    "reports.export_xlsx": "XLSX file",
}
#: endpoints that take POST only (their result pages are in the sweep)
POST_ONLY = {"accounts.logout", "users.send_password_link"}

_axe = Axe()


def test_every_html_route_is_in_the_sweep(live_server):
    endpoints = {rule.endpoint for rule in live_server.app.url_map.iter_rules()
                 if "GET" in (rule.methods or set())}
    missing = endpoints - set(PAGES) - set(NOT_PAGES) - POST_ONLY
    assert not missing, f"add these endpoints to the axe sweep: {sorted(missing)}"


def _assert_no_violations(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(("path", "who"), list(PAGES.values()) + EXTRA_PAGES)
def test_page_has_no_axe_violations(page, live_server, language, path, who):
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    if who == "staff":
        sign_in(page, live_server)
    page.goto(live_server(path))
    _assert_no_violations(page, language)


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize(("path", "submit"), ERROR_STATES)
def test_form_with_errors_has_no_axe_violations(page, live_server, language, path, submit):
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    page.goto(live_server(path))
    page.click(submit)
    page.wait_for_selector(".error-summary")
    # The deferred script moves focus after the element appears: wait for it, don't race it.
    page.wait_for_function("document.activeElement.classList.contains('error-summary')",
                           timeout=5000)
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


def test_page_does_not_scroll_sideways_at_320_px(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/events/eakate-kaasamine-voru", "/help"):
        page.goto(live_server(path))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()


def test_the_axe_harness_reports_a_real_violation(page):
    page.set_content('<!doctype html><html lang="et"><title>t</title><img src="x.png"></html>')
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count >= 1
