"""The Content-Security-Policy blocks nothing our own pages need, and does block inline script."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_axe import EXTRA_PAGES, PAGES


def test_no_page_triggers_a_csp_violation(page, live_server):
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, live_server)
    for path, _who in [*PAGES.values(), *EXTRA_PAGES]:
        page.goto(live_server(path))
    page.goto(live_server("/login"))
    assert violations == []


def test_our_script_runs_under_the_policy(page, live_server):
    page.goto(live_server("/login"))
    page.click("main button[type=submit]")
    # the deferred script moves the focus: expect() waits for it without evaluating a string
    expect(page.locator(".error-summary")).to_be_focused(timeout=10_000)


def test_an_injected_inline_script_is_refused_and_reported(page, live_server):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server("/help"))
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
    }""")
    assert page.evaluate("window.__injected === undefined")
    # the report reaches the console a moment later: wait for it (a busy machine is slow)
    for _ in range(100):
        if any("Content Security Policy" in text for text in messages):
            break
        page.wait_for_timeout(50)
    assert any("Content Security Policy" in text for text in messages)  # the detector works
