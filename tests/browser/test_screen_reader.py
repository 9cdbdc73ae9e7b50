"""What a screen reader hears (issue 16.12): the registration, manage and board journeys read
through the accessibility tree (Playwright's ARIA snapshot), in both languages. axe checks
rules; these check the experience: every control has a name and role, required fields and
errors are announced, the reading order follows the visual order, status messages are live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer
from tests.factories import manage_path_of

WORDS = {
    "et": {"details": "Sinu andmed", "needs": "Mida vajad osalemiseks?",
           "name": "Ees- ja perekonnanimi",
           "problem": "Midagi on puudu või valesti", "name_error": "Sisesta oma nimi",
           "registered": "Oled registreeritud", "change": "Muuda oma andmeid või vajadusi"},
    "en": {"details": "Your details", "needs": "What do you need to take part?",
           "name": "Full name",
           "problem": "There is a problem", "name_error": "Enter your name",
           "registered": "You are registered", "change": "Change your details or needs"},
}
#: Roles of controls; each must carry a name in the snapshot (- role "name").
CONTROLS = ("textbox", "checkbox", "radio", "combobox", "button", "link", "spinbutton")


def _page(browser, live_server: LiveServer, language: str):
    context = browser.new_context()
    context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    return context, context.new_page()


def _unnamed(snapshot: str) -> list[str]:
    """Snapshot lines of controls without an accessible name."""
    pattern = re.compile(rf"^\s*- ({'|'.join(CONTROLS)})(\s*\[[^\]]*\])*\s*:?\s*$")
    return [line for line in snapshot.splitlines() if pattern.match(line)]


def _headings_in_visual_order(page) -> None:
    """The order a screen reader reads (the DOM) is the order the eye sees (top to bottom)."""
    tops = page.locator("main h1, main h2, main h3").evaluate_all(
        "hs => hs.filter(h => h.offsetParent !== null).map(h => h.getBoundingClientRect().top)")
    assert tops == sorted(tops), tops


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_registration_form_reads_with_names_in_order(browser, live_server, language):
    words = WORDS[language]
    context, page = _page(browser, live_server, language)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    snapshot = page.locator("main").aria_snapshot()
    assert _unnamed(snapshot) == []
    assert snapshot.index(words["details"]) < snapshot.index(words["needs"])
    name = page.get_by_role("textbox", name=words["name"], exact=True)
    assert name.evaluate("el => el.required || el.getAttribute('aria-required') === 'true'")
    # Every group of checkboxes is a named group (fieldset and legend).
    groups = page.locator("main fieldset")
    assert groups.count() >= 5
    for index in range(groups.count()):
        assert groups.nth(index).evaluate(
            "f => !!(f.querySelector('legend') && f.querySelector('legend').textContent.trim())")
    _headings_in_visual_order(page)
    context.close()


LIST_WORDS = {
    "et": {"search": "Otsi sündmusi", "county": "Maakond", "show": "Näita sündmusi",
           "pages": "Sündmuste leheküljed", "previous": "Eelmine lehekülg",
           "current": "Lehekülg 2 / 3, praegune lehekülg", "last": "Lehekülg 3",
           "next": "Järgmine lehekülg", "results": "5 tulevast sündmust – lehekülg 2 / 3"},
    "en": {"search": "Find events", "county": "County", "show": "Show events",
           "pages": "Pages of events", "previous": "Previous page",
           "current": "Page 2 of 3, this page", "last": "Page 3", "next": "Next page",
           "results": "5 upcoming events – page 2 of 3"},
}


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_event_list_reads_its_form_its_count_and_its_pages(browser, live_server,
                                                               language):
    words = LIST_WORDS[language]
    context, page = _page(browser, live_server, language)
    page.goto(live_server("/?page=2"))
    snapshot = page.locator("main").aria_snapshot()
    assert _unnamed(snapshot) == []
    search = page.get_by_role("search", name=words["search"])
    expect(search.get_by_role("combobox", name=words["county"])).to_be_visible()
    expect(search.get_by_role("button", name=words["show"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["results"], level=2)).to_be_visible()
    pages = page.get_by_role("navigation", name=words["pages"])
    names = pages.get_by_role("link").evaluate_all(
        "links => links.map(a => a.getAttribute('aria-label') || a.textContent.trim())")
    assert names == [words["previous"], "Lehekülg 1" if language == "et" else "Page 1",
                     words["current"], words["last"], words["next"]]
    expect(pages.get_by_role("link", name=words["current"])).to_have_attribute(
        "aria-current", "page")
    _headings_in_visual_order(page)
    context.close()


@pytest.mark.parametrize("language", ["et", "en"])
def test_errors_are_announced_and_tied_to_their_fields(browser, live_server, language):
    words = WORDS[language]
    context, page = _page(browser, live_server, language)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    page.check("#needs_mobility-0")
    page.click("main form button[type=submit]")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["problem"])
    snapshot = summary.aria_snapshot()
    assert f'heading "{words["problem"]}"' in snapshot
    assert f'link "{words["name_error"]}"' in snapshot
    name = page.get_by_role("textbox", name=words["name"], exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile(re.escape(words["name_error"])))
    # The summary's link takes the reader to the field.
    summary.get_by_role("link", name=words["name_error"]).click()
    expect(name).to_be_focused()
    context.close()


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_confirmation_and_the_manage_page_read_as_they_look(browser, live_server,
                                                                language):
    words = WORDS[language]
    email = f"lugeja-{language}@example.ee"
    context, page = _page(browser, live_server, language)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    page.fill("#name", "Ekraani Lugeja")
    page.fill("#email", email)
    page.check("#consent_privacy")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-receipt]")
    snapshot = page.locator("main").aria_snapshot()
    assert re.search(rf'heading "{words["registered"]}" \[level=1\]', snapshot), snapshot
    # The outcome gets the focus, so it is what is read first.
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert _unnamed(snapshot) == []
    _headings_in_visual_order(page)
    with live_server.app.app_context():
        path = manage_path_of(email)
    page.goto(live_server(path))
    snapshot = page.locator("main").aria_snapshot()
    assert _unnamed(snapshot) == []
    assert f'link "{words["change"]}"' in snapshot
    # Flash messages land in a live region.
    assert page.locator("main [role=status]").count() >= 1
    _headings_in_visual_order(page)
    context.close()


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_board_names_its_vote_buttons_and_announces_votes(browser, live_server, language):
    from koosloome.boards.models import BoardPhase
    from tests.browser.test_board_keyboard import _new_board, wait_for_text

    code, _board_id, ideas = _new_board(live_server, BoardPhase.VOTING,
                                        ("Kohvinurk rahvamajas",))
    context, page = _page(browser, live_server, language)
    page.goto(live_server(f"/b/{code}/join"))
    page.fill("#display_name", "Lugeja")
    page.click("main form button[type=submit]")
    vote = page.locator(f"#vote-{ideas[0]}")
    expect(vote).to_have_accessible_name(re.compile("Kohvinurk rahvamajas"))
    snapshot = page.locator("main").aria_snapshot()
    assert _unnamed(snapshot) == []
    announcer = page.locator("#board-announcer")
    expect(announcer).to_have_attribute("role", "status")
    vote.click()
    wait_for_text(page, "#board-announcer", {"et": "Hääl salvestatud.",
                                             "en": "Vote saved."}[language])
    context.close()
