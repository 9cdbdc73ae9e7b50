"""Keyboard-only journeys (no mouse), visible focus never hidden, reflow and text spacing."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from koosloome.extensions import db
from koosloome.registrations.models import Registration
from koosloome.selection.models import ApplicationReview, ApplicationScore
from koosloome.trips.models import TravelDetails
from tests.browser.conftest import LiveServer, sign_in
from tests.browser.test_axe import EXTRA_PAGES, PAGES
from tests.factories import manage_path_of
from tests.files.samples import pdf_bytes

_counter = itertools.count(1)

#: Our focus style: a 3 px outline and a yellow (#ffdd00) halo; the default style is not enough.
FOCUS_STYLE = """(el) => {
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
      || style.boxShadow.includes('255, 221, 0');
}"""


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until ``selector`` has the focus; every stop must show a visible focus
    indicator that is in the viewport (WCAG 2.4.7, 2.4.11)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const style = getComputedStyle(el);
              const rect = el.getBoundingClientRect();
              const focusStyle = (FOCUS_PLACEHOLDER);
              return {visible: focusStyle(el),
                      inView: rect.bottom > 0 && rect.top < window.innerHeight,
                      match: el.matches(selector), html: el.outerHTML.slice(0, 120)};
            }""".replace("FOCUS_PLACEHOLDER", FOCUS_STYLE),
            selector,
        )
        if state is None:
            continue
        assert state["visible"], f"no visible focus on {state['html']}"
        assert state["inView"], f"focused element out of view: {state['html']}"
        if state["match"]:
            return
    raise AssertionError(f"Tab never reached {selector}")


def _manage_path_of(live_server: LiveServer, email: str) -> str:
    with live_server.app.app_context():
        return manage_path_of(email)


def _keyboard_page(browser, live_server: LiveServer):
    context = browser.new_context()
    context.add_cookies([{"name": "lang", "value": "et", "url": live_server.url}])
    return context, context.new_page()


def _sign_in_with_the_keyboard(page, live_server: LiveServer) -> None:
    """The admin signs in, typing and pressing keys only."""
    page.goto(live_server("/login"))
    tab_to(page, "#email")
    page.keyboard.type(live_server.admin_email)
    page.keyboard.press("Tab")
    page.keyboard.type(live_server.admin_password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")


def test_register_with_access_needs_and_a_companion_then_cancel(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    email = f"klaviatuur{next(_counter)}@example.ee"
    page.goto(live_server("/events/eakate-kaasamine-voru"))
    tab_to(page, 'a[href$="/register"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/register")
    tab_to(page, "#name")
    page.keyboard.type("Klaviatuuri Kasutaja")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#needs_mobility-0")  # wheelchair
    page.keyboard.press("Space")
    tab_to(page, "#companion")
    page.keyboard.press("Space")
    tab_to(page, "#companion_name")
    page.keyboard.type("Abiline Aino")
    tab_to(page, "#consent_privacy")
    page.keyboard.press("Space")
    tab_to(page, "#consent_health")
    page.keyboard.press("Space")
    tab_to(page, 'main form button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-receipt]")
    assert "Oled registreeritud" in page.inner_text("h1")
    assert "Abiline Aino" in page.inner_text("main")
    assert "Kasutan ratastooli" in page.inner_text("main")
    assert email in page.inner_text("main")  # the link went there

    page.goto(live_server(_manage_path_of(live_server, email)))  # as from the e-mail

    tab_to(page, 'a[href$="/cancel"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/cancel")
    tab_to(page, "button.button-warning")
    with page.expect_navigation():  # the page posts to its own URL: wait for the answer
        page.keyboard.press("Enter")
    assert "Tühistatud" in page.inner_text("main")
    context.close()


def test_a_contact_registers_a_group_with_the_keyboard(browser, live_server):
    """The village society's chair registers two people, adding the second with the "add a
    person" button, and lands on the group's page."""
    context, page = _keyboard_page(browser, live_server)
    page.goto(live_server("/events/eakate-kaasamine-voru"))
    tab_to(page, 'a[href$="/group"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/group")
    tab_to(page, "#people")
    page.keyboard.press("Home")  # one person to begin with
    tab_to(page, "form.form-group button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("fieldset[id^=person-]").count() == 1
    tab_to(page, "#contact_name")
    page.keyboard.type("Klaviatuuri Kontakt")
    tab_to(page, "#contact_email")
    page.keyboard.type(f"kontakt{next(_counter)}@example.ee")
    tab_to(page, "#members-0-name")
    page.keyboard.type("Esimene Eakas")
    tab_to(page, "#members-0-needs_mobility-0")  # wheelchair
    page.keyboard.press("Space")
    tab_to(page, 'button[name="add_person"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.input_value("#members-0-name") == "Esimene Eakas"  # nothing typed is lost
    tab_to(page, "#members-1-name")
    page.keyboard.type("Teine Eakas")
    tab_to(page, "#consent_declared")
    page.keyboard.press("Space")
    tab_to(page, "#health_declared")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]:not([name])")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Registreerisid 2 inimest" in page.inner_text("h1")
    main = page.inner_text("main")
    assert "Esimene Eakas" in main and "Teine Eakas" in main
    context.close()


def test_radio_groups_work_with_arrow_keys(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    tab_to(page, "#language-0")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "language-1"
    assert page.is_checked("#language-1")
    context.close()


def test_errors_are_reached_from_the_summary_with_the_keyboard(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    page.goto(live_server("/events/eakate-kaasamine-voru/register"))
    tab_to(page, 'main form button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    # the deferred script focuses the summary once the page has loaded: wait for it
    expect(page.locator(".error-summary")).to_be_focused(timeout=10_000)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first link of the summary
    assert page.evaluate("document.activeElement.id") == "name"
    context.close()


def test_narrow_the_event_list_and_page_through_it_with_the_keyboard(browser, live_server):
    """A partner chosen with the arrow keys, the form sent, then the next page: each step a
    visible focus; the page link keeps the choice and lands on the list, past the form."""
    context, page = _keyboard_page(browser, live_server)
    page.goto(live_server("/"))
    tab_to(page, "#partner")
    page.keyboard.press("ArrowDown")  # "Tartumaa Arendusselts"
    assert page.input_value("#partner") == "tas"
    tab_to(page, "form[role=search] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "partner=tas" in page.url
    assert "Sinu valikutele vastab 4 sündmust – lehekülg 1 / 2" in page.inner_text("#results")
    tab_to(page, "a[rel=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/?page=2&partner=tas#results")
    assert "lehekülg 2 / 2" in page.inner_text("#results")
    assert page.input_value("#partner") == "tas"
    # The list's heading is in view: the reader lands on the list, not above the form.
    assert page.evaluate("document.getElementById('results').getBoundingClientRect().top") < 100
    context.close()


def test_organiser_signs_in_and_checks_someone_in_with_the_keyboard(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/events/{event}/check-in"))
    tab_to(page, ".check-in-row:not(.is-in) button")
    name = page.evaluate("document.activeElement.closest('li').querySelector('strong').innerText")
    with page.expect_navigation():  # the list posts and comes back: wait for the answer
        page.keyboard.press("Enter")
    assert f"{name} on kohal." in page.inner_text(".status-region")
    context.close()


def test_organiser_marks_an_arrangement_done_with_the_keyboard(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/events/{event}/arrangements"))
    assert "Korraldatud 5 / 7" in page.inner_text("#arrangement-progress")
    tab_to(page, "a[href$='/arrangements/captions']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/arrangements/captions")
    tab_to(page, "input[name=status]:checked")
    for _ in range(3):  # to arrange → requested → confirmed → done
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "done"
    tab_to(page, "#supplier")
    page.keyboard.type("Kirjutustõlge OÜ")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/arrangements")
    assert "Korraldus on salvestatud." in page.inner_text("main")
    assert "Korraldatud 6 / 7" in page.inner_text("#arrangement-progress")
    row = page.locator("tr", has_text="Kirjutustõlk")
    assert "Tehtud" in row.inner_text() and "Kirjutustõlge OÜ" in row.inner_text()
    context.close()


def test_organiser_writes_and_sends_an_announcement_with_the_keyboard(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/announcements"))
    assert "Kevadel tulevad uued töötoad" in page.inner_text("main")  # the demo's sent one
    tab_to(page, "main a[href$='/admin/announcements/new']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/announcements/new")
    tab_to(page, "#subject_et")
    page.keyboard.type("Jõulupidu Võrus")
    tab_to(page, "#body_et")
    page.keyboard.type("Tule jõulupeole!")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/preview")
    assert "Selle saab e-postiga" in page.inner_text("#recipient-count")
    assert "Tule jõulupeole!" in page.inner_text("main")
    tab_to(page, "#send-announcement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/announcements")
    assert "Teade on teel" in page.inner_text("main")
    row = page.locator("tr", has_text="Jõulupidu Võrus")
    assert "Saadetud" in row.inner_text()
    context.close()


def test_organiser_works_through_the_call_list_with_the_keyboard(browser, live_server):
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/events/{event}/calls"))
    assert "1 kõne on teha." in page.inner_text("#calls-count")
    tab_to(page, "form input[name=outcome]")  # the first choice of the call still to make
    page.keyboard.press("Space")  # reached: told them
    tab_to(page, "form input[name=note]")
    page.keyboard.type("Tuleb bussiga")
    with page.expect_navigation():  # wait for the answer, not the page already shown
        page.keyboard.press("Enter")
    assert "Salvestatud: Sain kätte: ütlesin edasi." in page.inner_text("main")
    assert "0 kõnet on teha." in page.inner_text("#calls-count")
    context.close()


PUBLIC_PAGES = [
    "/",
    "/?page=2",
    "/?partner=tas&page=2",
    "/?kind=workshop&county=tartu",
    "/events/eakate-kaasamine-voru",
    "/events/oppereis-rootsi/register",
    "/privacy",
    "/r/{token}",
    "/help",
    "/accessibility",
    "/lost-link",
    "/login",
]


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px = a 1280 px window at 200 % zoom
def test_no_sideways_scrolling_at_320_px_and_200_percent_zoom(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in PUBLIC_PAGES:
        page.goto(live_server(path))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    context.close()


#: every staff page of the axe sweep
STAFF_PAGES = sorted({path for path, who in [*PAGES.values(), *EXTRA_PAGES] if who == "staff"})

#: What does not fit: the page scrolling sideways, a box cutting its content off (scrolling or
#: clipped), an element past the right edge. On a narrow screen a two-dimensional table may
#: scroll inside its focusable, named region (.table-wrap); nothing else may, and on a wide
#: screen nothing at all.
REFLOW_PROBLEMS = """(narrow) => {
  const width = window.innerWidth;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 40) + '"';
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const scrollRegion = '.table-wrap[role=region][tabindex="0"][aria-labelledby]';
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page}px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;  // visually hidden on purpose
    const cut = el.scrollWidth - el.clientWidth;
    if (clips(el) && cut > 1 && !el.matches('input, select, textarea')
        && !(narrow && el.matches(scrollRegion))) {
      problems.push(`${name(el)} cuts off ${cut}px`);
    }
    let box = el.parentElement;  // the nearest box that clips or scrolls: checked on its own
    while (box && box !== document.body && !clips(box)) box = box.parentElement;
    if (rect.right > width + 1 && (!box || box === document.body)) {
      problems.push(`${name(el)} ends at ${Math.round(rect.right)}px`);
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def staff_page(browser, live_server):
    """``staff_page(language, javascript)`` → a page signed in as staff in that language, with
    or without JavaScript; one browser context each, reused by every width."""
    pages = {}

    def get(language: str, javascript: bool = True):
        key = (language, javascript)
        if key not in pages:
            context = browser.new_context(java_script_enabled=javascript)
            context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
            pages[key] = context.new_page()
            sign_in(pages[key], live_server)
        return pages[key]

    yield get
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["et", "en"])
def test_staff_pages_fit_the_window_at_320_and_1280_px(staff_page, live_server, language, width,
                                                       javascript):
    """WCAG 1.4.10 Reflow for the back office: no sideways page scrolling at 320 px, nothing
    cut off or past the edge; a 1280 px window shows every table whole. The layout is CSS
    alone: the same with JavaScript off."""
    page = staff_page(language, javascript)
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    for path in STAFF_PAGES:
        page.goto(live_server(path))
        problems += [f"{path}: {problem}"
                     for problem in page.evaluate(REFLOW_PROBLEMS, width < 640)[:3]]
    assert not problems, f"at {width}px:\n" + "\n".join(problems)


TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""


def test_wcag_text_spacing_does_not_break_the_layout(browser, live_server):
    # The user style sheet is injected like a bookmarklet would: past our CSP, on purpose.
    context = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        page.goto(live_server(path))
        page.add_style_tag(content=TEXT_SPACING)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} overflows by {overflow}px with text spacing"
    context.close()


def test_a_study_trip_from_application_to_travel_details_with_the_keyboard(browser,
                                                                           live_server):
    """Apply for the trip, be scored and chosen by an organiser, accept the offered place
    before its deadline and give the travel details: every step with the keyboard only."""
    email = f"reisija{next(_counter)}@example.ee"
    context, page = _keyboard_page(browser, live_server)
    page.goto(live_server("/events/oppereis-rootsi"))
    tab_to(page, 'a[href$="/register"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/register")
    tab_to(page, "#name")
    page.keyboard.type("Klaviatuuri Reisija")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "main form textarea[name^=q_]")
    page.keyboard.type("Tahan näha, kuidas eakad ise teenuseid kavandavad.")
    page.keyboard.press("Tab")
    page.keyboard.type("Räägin sellest külaseltsi koosolekul.")
    tab_to(page, "#consent_privacy")
    page.keyboard.press("Space")
    tab_to(page, 'main form button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-receipt]")
    manage = _manage_path_of(live_server, email)
    with live_server.app.app_context():
        applicant = db.session.scalars(select(Registration).where(
            Registration.email == email)).one().id

    staff, office = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(office, live_server)
    # the organiser scores the application and chooses it on the selection's own page
    office.goto(live_server(f"/admin/events/{{trip}}/selection/{applicant}"))
    assert "Tahan näha, kuidas eakad ise teenuseid kavandavad." in office.inner_text("main")
    tab_to(office, "main form select[name^=score_]")
    office.keyboard.type("4")
    tab_to(office, "#shortlisted")
    office.keyboard.press("Space")
    tab_to(office, 'main form button[type="submit"]')
    with office.expect_navigation():
        office.keyboard.press("Enter")
    with live_server.app.app_context():
        review = db.session.scalars(select(ApplicationReview).where(
            ApplicationReview.registration_id == applicant)).one()
        assert review.shortlisted
        assert db.session.scalars(select(ApplicationScore.score).where(
            ApplicationScore.registration_id == applicant)).all() == [4]
    office.goto(live_server(f"/admin/registrations/{applicant}"))
    tab_to(office, 'main form button[type="submit"]')  # "Paku kohta"
    assert "Paku kohta" in office.evaluate("document.activeElement.innerText")
    with office.expect_navigation():
        office.keyboard.press("Enter")
    assert "Pakutud, vastu võtta hiljemalt" in office.inner_text("main")
    staff.close()

    page.goto(live_server(manage))  # as from the offer's e-mail
    assert "Sulle pakutakse kohta" in page.inner_text("main")
    tab_to(page, 'form[action$="/accept"] button')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Võtsid koha vastu" in page.inner_text(".status-region")
    tab_to(page, 'a[href$="/travel"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/travel")
    for selector, text in (("#document_name", "KLAVIATUURI REISIJA"),
                           ("#date_of_birth", "1950-05-17"),
                           ("#document_expiry", "2035-01-31"),
                           ("#emergency_name", "Abiline Aino"),
                           ("#emergency_phone", "+372 5555 1111")):
        tab_to(page, selector)
        if page.evaluate("document.activeElement.type") == "date":
            year, month, day = text.split("-")
            page.keyboard.type(f"{month}{day}{year}")  # the test browser's (en-US) order
            assert page.input_value(selector) == text
        else:
            page.keyboard.type(text)
    tab_to(page, 'main form button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Aitäh: sinu reisiandmed on salvestatud." in page.inner_text(".status-region")
    with live_server.app.app_context():
        details = db.session.scalars(select(TravelDetails)).all()
        assert any(d.document_name == "KLAVIATUURI REISIJA" and d.date_of_birth.year == 1950
                   for d in details)
    context.close()


def test_a_facilitator_turns_an_idea_into_an_action_with_the_keyboard(browser, live_server):
    """Issue 19: from the board's most-voted idea to an action with its owner and funding."""
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/boards/{outcome_board}/actions"))
    tab_to(page, "#title")
    page.keyboard.type("Naabrite sõiduring")
    tab_to(page, "input[name=ideas]")
    page.keyboard.press("Space")  # the first idea: the most voted
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, "#owner")
    page.keyboard.type("Antsla külade selts")
    tab_to(page, "#funding")
    page.keyboard.press("ArrowDown")  # LEADER
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():  # the page posts to its own address
        page.keyboard.press("Enter")
    assert "Tegevus on salvestatud." in page.inner_text("main")
    assert "Naabrite sõiduring" in page.inner_text("main")
    context.close()


def test_an_organiser_enters_a_cost_with_a_receipt_with_the_keyboard(browser, live_server):
    """Issue 19: a cost on the usual budget line, with its supplier and its receipt (the
    file is chosen in the system's dialog, which the test stands in for)."""
    context, page = _keyboard_page(browser, live_server)
    _sign_in_with_the_keyboard(page, live_server)
    page.goto(live_server("/admin/costs"))
    tab_to(page, "#amount")
    page.keyboard.type("64,50")
    tab_to(page, "#category")
    page.keyboard.press("ArrowDown")  # catering
    tab_to(page, "#supplier")
    page.keyboard.type("Elva kohvik")
    tab_to(page, "#document")
    page.set_input_files("#document", files=[{
        "name": "tsekk.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Kohviku arve")}])
    tab_to(page, "main form[method=post] button[type=submit]")
    with page.expect_navigation():  # the page posts to its own address
        page.keyboard.press("Enter")
    assert "Kulu on lisatud." in page.inner_text("main")
    entry = page.locator("li", has_text="Elva kohvik")
    assert "Dokument" in entry.inner_text()
    context.close()
