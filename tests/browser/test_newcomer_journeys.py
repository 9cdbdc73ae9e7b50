"""The journeys a newcomer tripped on (issue 16), in both languages, with JavaScript on and
off: what they see and where the keyboard takes them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer
from tests.factories import manage_path_of

LANGUAGES = {"et": ("Viga:", "Midagi on puudu või valesti"), "en": ("Error:", "There is a problem")}


def _context(browser, live_server: LiveServer, language: str, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["et", "en"])
def test_every_mistake_is_listed_at_once_and_read_first(browser, live_server, language,
                                                        javascript):
    context, page = _context(browser, live_server, language, javascript)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    page.check("#needs_mobility-0")  # only "I use a wheelchair"
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    prefix, heading = LANGUAGES[language]
    assert page.title().startswith(prefix)
    summary = page.locator(".error-summary")
    assert heading in summary.inner_text()
    targets = summary.locator("a").evaluate_all("links => links.map(a => a.hash)")
    assert targets == ["#name", "#email", "#consent_privacy", "#consent_health"]
    if javascript:
        # koosloome.js (deferred) moves the focus once the page has loaded: wait for it, as
        # a busy machine may run the check before the script (no timing luck either way).
        # expect() polls from outside: wait_for_function would evaluate a string in the page,
        # which our Content-Security-Policy refuses as soon as the first check comes too early.
        expect(page.locator(".error-summary")).to_be_focused(timeout=10_000)
    else:
        # The skip link, then the first error: nothing stands between them.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hash") == "#name"
    context.close()


CANCELLED = {"et": ("See registreering on tühistatud.", "Registreeru uuesti"),
             "en": ("This registration is cancelled.", "Register again")}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["et", "en"])
def test_a_cancelled_registration_is_plainly_over_with_a_way_back(browser, live_server,
                                                                   language, javascript):
    context, page = _context(browser, live_server, language, javascript)
    email = f"tuhistaja-{language}-{int(javascript)}@example.ee"
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    page.fill("#name", "Tühistaja Test")
    page.fill("#email", email)
    page.check("#companion")
    page.check("#consent_privacy")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-receipt]")
    with live_server.app.app_context():
        path = manage_path_of(email)
    page.goto(live_server(f"{path}/cancel"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{path}")
    said, again = CANCELLED[language]
    main = page.inner_text("main")
    assert said in main
    assert page.get_by_role("link", name=again).get_attribute("href") == \
        "/events/eakate-kaasamine-voru/register"
    assert page.locator(f'a[href="{path}/edit"]').count() == 0
    headings = page.locator("main h1, main h2, main h3").all_inner_texts()
    assert len(headings) == len(set(headings)), headings
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["et", "en"])
def test_long_titles_wrap_with_a_hyphen_at_320_px_in_large_text(browser, live_server, language,
                                                               javascript):
    """Issue 16.10: "Inspiratsioonisem|inar" broke mid-syllable without a hyphen."""
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "lang", "value": language, "url": live_server.url},
                         {"name": "display", "value": "large", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server("/events/eakate-kaasamine-voru"))
    heading = page.locator("h1")
    if language == "et":  # "Inspiratsiooniseminar"; the English title has no word that long
        assert "\u00ad" in heading.evaluate("h => h.textContent")
    assert heading.evaluate("h => h.scrollWidth <= h.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(live_server("/events/oppereis-rootsi/register"))
    apply = {"et": "Esita taotlus", "en": "Apply"}[language]
    assert page.locator("h1").inner_text().startswith(apply)
    context.close()
