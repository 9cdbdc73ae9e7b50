"""Keyboard-only journeys on the idea boards (issue 7): Tab, Shift+Tab, Enter, Space, arrows.

A participant joins by code, posts an idea, votes and takes the vote back (with JavaScript on
and off); a facilitator moves an idea to another column and merges two. Focus must always be
visible.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select

from koosloome.accounts.services import user_by_email
from koosloome.boards import services
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea
from koosloome.extensions import db
from tests.browser.conftest import LiveServer, sign_in

MAX_TABS = 80


def tab_to(page: Any, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{selector} not reached with {key}")


def assert_focus_visible(page: Any) -> None:
    """The focused element shows the focus style and lies inside the viewport."""
    style = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
        return {outline: s.outlineStyle, shadow: s.boxShadow, top: r.top, bottom: r.bottom,
                height: window.innerHeight};
    }""")
    assert style["outline"] != "none" or style["shadow"] != "none", style
    assert style["bottom"] > 0 and style["top"] < style["height"], style


def _new_board(live_server: LiveServer, phase: BoardPhase = BoardPhase.COLLECTING,
               ideas: tuple[str, ...] = ()) -> tuple[str, int, list[int]]:
    """A fresh board made by the demo admin; returns its code, id and idea ids."""
    with live_server.app.app_context():
        admin = user_by_email(live_server.admin_email)
        board = services.create_board(admin, services.BoardSettings(
            title="Klaviatuuri töötuba", question="Kuidas me saaksime…?",
            votes_per_participant=3,
        ))
        author = BoardParticipant(board=board, display_name="Ene")
        db.session.add(author)
        db.session.flush()
        idea_ids = []
        for text in ideas:
            idea = Idea(board=board, column=board.columns[0], participant=author, text=text)
            db.session.add(idea)
            db.session.flush()
            idea_ids.append(idea.id)
        board.phase = phase
        db.session.commit()
        return board.join_code, board.id, idea_ids


def _set_phase(live_server: LiveServer, code: str, phase: BoardPhase) -> None:
    with live_server.app.app_context():
        board = db.session.scalars(select(Board).where(Board.join_code == code)).one()
        board.phase = phase
        db.session.commit()


def wait_for_text(page, selector: str, text: str, timeout: float = 10.0) -> None:
    """Wait until ``selector`` contains ``text``. (Playwright's wait_for_function evaluates a
    string in the page, which our Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in (page.locator(selector).text_content() or ""):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} never said {text!r}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_participant_joins_posts_votes_and_takes_the_vote_back(browser, live_server,
                                                              javascript):
    code, _board_id, _ideas = _new_board(live_server)
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "lang", "value": "et", "url": live_server.url}])
    page = context.new_page()

    page.goto(live_server("/join"))
    tab_to(page, "#code")
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(live_server(f"/b/{code}/join"))
    tab_to(page, "#display_name")
    page.keyboard.type("Mari")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server(f"/b/{code}") + "*")

    tab_to(page, "#column")
    page.keyboard.press("ArrowDown")  # the second column, Ideed
    tab_to(page, "#text")
    page.keyboard.type("Kohvinurk rahvamajas")
    tab_to(page, "#post-idea button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Sinu mõte on lisatud.")
    card = page.locator(".idea-card", has_text="Kohvinurk rahvamajas")
    idea_id = card.get_attribute("data-idea-id")
    assert page.locator("#column-heading, h2", has_text="Ideed").count() >= 1

    _set_phase(live_server, code, BoardPhase.VOTING)
    page.goto(live_server(f"/b/{code}"))
    tab_to(page, f"#vote-{idea_id}")
    size = page.locator(f"#vote-{idea_id}").bounding_box()
    assert size["width"] >= 44 and size["height"] >= 44
    page.keyboard.press("Space")
    if javascript:
        wait_for_text(page, '#board-announcer', 'Hääl salvestatud. Sul on jäänud 2 häält.')
        assert page.evaluate("document.activeElement.id") == f"unvote-{idea_id}"
        assert page.locator("#board-announcer").get_attribute("role") == "status"
    else:
        page.wait_for_selector("text=Hääl salvestatud. Sul on jäänud 2 häält.")
        tab_to(page, f"#unvote-{idea_id}")
    assert_focus_visible(page)
    if javascript:
        page.keyboard.press("Enter")
        wait_for_text(page, '#board-announcer', 'Hääl võetud tagasi. Sul on jäänud 3 häält.')
        assert page.evaluate("document.activeElement.id") == f"vote-{idea_id}"
    else:
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Hääl võetud tagasi. Sul on jäänud 3 häält.")
    context.close()


def test_the_welcome_goes_once_the_participant_votes(browser, live_server):
    """Issue 16.11: "Tere tulemast! Oled tahvliga liitunud." stayed on screen while voting."""
    code, _board_id, ideas = _new_board(live_server, BoardPhase.VOTING, ("Kohvinurk",))
    context = browser.new_context()
    context.add_cookies([{"name": "lang", "value": "et", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server(f"/b/{code}/join"))
    page.fill("#display_name", "Mari")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".status-region .notice")
    assert "Tere tulemast" in page.inner_text(".status-region")
    page.click(f"#vote-{ideas[0]}")
    wait_for_text(page, "#board-announcer", "Hääl salvestatud.")
    assert page.locator(".status-region .notice").count() == 0
    context.close()


def test_typed_text_and_focus_survive_a_live_refresh(browser, live_server):
    code, _board_id, _ideas = _new_board(live_server)
    context = browser.new_context()
    context.add_cookies([{"name": "lang", "value": "et", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server(f"/b/{code}/join"))
    tab_to(page, "#display_name")
    page.keyboard.type("Jaan")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server(f"/b/{code}") + "*")
    tab_to(page, "#text")
    page.keyboard.type("Pool mõtet")
    with live_server.app.app_context():
        board = db.session.scalars(select(Board).where(Board.join_code == code)).one()
        other, _token = services.join_board(board, "Ene")
        services.post_idea(board, other, board.columns[0].id, "Uus mõte teiselt")
        db.session.commit()
    page.wait_for_selector("text=Uus mõte teiselt", timeout=15000)
    wait_for_text(page, '#board-announcer', '1 uus mõte')
    assert page.input_value("#text") == "Pool mõtet"
    assert page.evaluate("document.activeElement.id") == "text"
    context.close()


def test_facilitator_moves_an_idea_and_merges_two_with_the_keyboard(page, live_server):
    page.context.add_cookies([{"name": "lang", "value": "et", "url": live_server.url}])
    code, board_id, (first, second) = _new_board(live_server, BoardPhase.VOTING,
                                                 ("Buss kolmapäeviti", "Kolmapäevane buss"))
    sign_in(page, live_server)
    page.goto(live_server(f"/admin/boards/{board_id}"))
    tab_to(page, f"#manage-{first}")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server(f"/admin/boards/{board_id}/ideas/{first}"))

    tab_to(page, "#move-column")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Ressursid
    tab_to(page, "#move-heading ~ form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Mõte on teisaldatud.")

    page.goto(live_server(f"/admin/boards/{board_id}/ideas/{second}"))
    tab_to(page, "#merge-into")
    page.keyboard.press("ArrowDown")  # the only other idea
    tab_to(page, "#merge-heading ~ form button[type=submit]")
    tab_to(page, "#merge-into", backwards=True)  # Shift+Tab back works too
    tab_to(page, "#merge-heading ~ form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server(f"/admin/boards/{board_id}/ideas/{first}"))
    page.wait_for_selector("text=Mõtted on ühendatud.")

    with live_server.app.app_context():
        moved = db.session.get(Idea, first)
        merged = db.session.get(Idea, second)
        assert moved.column.title == "Ressursid"
        assert merged.merged_into_id == first
    assert code
