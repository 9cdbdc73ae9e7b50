"""Board pages through the test client: joining, posting, voting, facilitating, exporting."""

from __future__ import annotations

import re

from koosloome.accounts.models import Role
from koosloome.boards.models import BoardPhase, Idea, Vote
from koosloome.extensions import db
from tests.factories import join, make_idea


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- joining -----------------------------------------------------------------------------


def test_wrong_join_code_says_so_and_keeps_what_was_typed(client):
    response = client.post("/join", data={"code": "ZZZ999"})
    assert response.status_code == 400
    page = _text(response)
    assert 'class="error-summary"' in page and 'value="ZZZ999"' in page
    assert "Viga:" in page.split("</title>")[0]


def test_code_in_small_letters_leads_to_the_join_page(client, make_board):
    board = make_board()
    response = client.post("/join", data={"code": board.join_code.lower()})
    assert response.headers["Location"].endswith(f"/b/{board.join_code}/join")


def test_joining_sets_a_signed_cookie_for_that_board_only(client, make_board):
    board = make_board()
    response = client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"kb_{board.join_code}=") and f"Path=/b/{board.join_code}" in cookie
    assert "HttpOnly" in cookie
    assert client.get(f"/b/{board.join_code}").status_code == 200


def test_a_tampered_cookie_is_not_a_participant(client, make_board):
    board = make_board()
    client.set_cookie(f"kb_{board.join_code}", "forged.value", path=f"/b/{board.join_code}")
    assert client.get(f"/b/{board.join_code}").status_code == 302


def test_name_is_required_when_the_board_says_so(client, make_board):
    board = make_board(allow_anonymous=False)
    response = client.post(f"/b/{board.join_code}/join", data={"display_name": ""})
    assert response.status_code == 400
    assert "error-summary" in _text(response)


def test_registrant_joins_from_the_manage_link_with_the_name_filled_in(
    client, make_board, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event, name="Helju Rebane")

    token = registration.manage_token
    board = make_board(event_id=event.id)
    page = _text(client.get(f"/b/{board.join_code}/join?r={token}"))
    assert 'value="Helju Rebane"' in page
    client.post(f"/b/{board.join_code}/join", data={"display_name": "Helju", "r": token})
    assert board.participants[-1].registration_id == registration.id


def test_joining_again_with_the_same_manage_link_gets_the_same_participant_back(
    app, client, make_board, make_event, make_registration
):
    # Found: re-joining gave a fresh vote budget each time (5 joins, 5 times the votes).
    event = make_event()
    registration = make_registration(event, name="Helju Rebane")
    token = registration.manage_token
    board = make_board(event_id=event.id)
    client.post(f"/b/{board.join_code}/join", data={"display_name": "Helju", "r": token})
    other_browser = app.test_client()
    response = other_browser.post(f"/b/{board.join_code}/join",
                                  data={"display_name": "Helju", "r": token})
    assert response.status_code == 302
    db.session.refresh(board)
    assert [p.registration_id for p in board.participants] == [registration.id]
    assert "Helju" in _text(other_browser.get(f"/b/{board.join_code}"))  # it is theirs


def test_manage_link_of_another_event_fills_nothing(client, make_board, make_event,
                                                    make_registration):
    registration = make_registration(make_event(), name="Helju Rebane")

    board = make_board(event_id=make_event().id)
    page = _text(client.get(f"/b/{board.join_code}/join?r={registration.manage_token}"))
    assert "Helju Rebane" not in page and "notice-warning" in page


# --- posting -----------------------------------------------------------------------------


def test_empty_idea_gets_an_error_and_over_long_keeps_the_text(client, make_board, join_web):
    board = make_board()
    join_web(board)
    column = board.columns[1].id
    empty = client.post(f"/b/{board.join_code}/ideas", data={"column": column, "text": ""})
    assert empty.status_code == 400 and 'href="#text"' in _text(empty)
    long_text = "Pikk mõte " * 60
    response = client.post(f"/b/{board.join_code}/ideas", data={"column": column,
                                                                   "text": long_text})
    assert response.status_code == 400
    assert long_text.strip() in _text(response)
    assert db.session.query(Idea).count() == 0


def test_posted_idea_appears_in_its_column(client, make_board, join_web):
    board = make_board()
    join_web(board)
    response = client.post(f"/b/{board.join_code}/ideas",
                           data={"column": board.columns[2].id, "text": "Rahvamaja saal"})
    assert response.status_code == 302 and "#idea-" in response.headers["Location"]
    page = _text(client.get(f"/b/{board.join_code}"))
    assert "Rahvamaja saal" in page and 'role="status"' in page


def test_participant_cannot_edit_someone_elses_idea(client, make_board, join_web):
    board = make_board()
    other, _ = join(board, "Jaan")
    idea = make_idea(board, other)
    join_web(board)
    assert client.get(f"/b/{board.join_code}/ideas/{idea.id}/edit").status_code == 403
    client.post(f"/b/{board.join_code}/ideas/{idea.id}/delete")
    assert db.session.get(Idea, idea.id) is not None


def test_own_idea_can_be_edited_and_deleted(client, make_board, join_web):
    board = make_board()
    join_web(board)
    client.post(f"/b/{board.join_code}/ideas", data={"column": board.columns[0].id,
                                                      "text": "Esimene"})
    idea = db.session.query(Idea).one()
    client.post(f"/b/{board.join_code}/ideas/{idea.id}/edit", data={"text": "Parem"})
    db.session.refresh(idea)
    assert idea.text == "Parem"
    client.post(f"/b/{board.join_code}/ideas/{idea.id}/delete")
    assert db.session.query(Idea).count() == 0


def test_comment_builds_on_an_idea(client, make_board, join_web):
    board = make_board()
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author)
    join_web(board)
    client.post(f"/b/{board.join_code}/ideas/{idea.id}", data={"text": "Ja buss ka"})
    assert "Ja buss ka" in _text(client.get(f"/b/{board.join_code}/ideas/{idea.id}"))


# --- voting ------------------------------------------------------------------------------


def test_vote_and_take_it_back_with_status_messages(client, make_board, join_web):
    board = make_board(votes_per_participant=3, phase=BoardPhase.VOTING)
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author)
    join_web(board)
    client.post(f"/b/{board.join_code}/ideas/{idea.id}/vote")
    page = _text(client.get(f"/b/{board.join_code}"))
    assert "Hääl salvestatud. Sul on jäänud 2 häält." in page
    assert f'id="unvote-{idea.id}"' in page
    response = client.post(f"/b/{board.join_code}/ideas/{idea.id}/unvote",
                           headers={"X-Requested-With": "fetch"})
    assert response.json == {"ok": True, "message": "Hääl võetud tagasi. Sul on jäänud 3 häält.",
                             "votes_left": 3}


def test_vote_beyond_the_budget_is_refused_and_changes_nothing(client, make_board, join_web):
    board = make_board(votes_per_participant=1, phase=BoardPhase.VOTING)
    author, _ = join(board, "Jaan")
    first, second = make_idea(board, author, "A"), make_idea(board, author, "B")
    join_web(board)
    client.post(f"/b/{board.join_code}/ideas/{first.id}/vote")
    response = client.post(f"/b/{board.join_code}/ideas/{second.id}/vote",
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409
    assert "kõik oma hääled" in response.json["message"]
    assert db.session.query(Vote).count() == 1


def test_hidden_idea_cannot_be_voted_for_and_is_not_shown(client, make_board, join_web):
    board = make_board(phase=BoardPhase.VOTING)
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author, "Peidetud mõte")
    idea.hidden = True
    db.session.commit()
    join_web(board)
    assert "Peidetud mõte" not in _text(client.get(f"/b/{board.join_code}"))
    assert client.post(f"/b/{board.join_code}/ideas/{idea.id}/vote").status_code == 404
    assert db.session.query(Vote).count() == 0


def test_voting_in_the_collecting_phase_is_refused(client, make_board, join_web):
    board = make_board()
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author)
    join_web(board)
    response = client.post(f"/b/{board.join_code}/ideas/{idea.id}/vote",
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409 and db.session.query(Vote).count() == 0


def test_others_ideas_are_hidden_while_collecting_when_asked(client, make_board, join_web):
    board = make_board(hide_others_while_collecting=True)
    author, _ = join(board, "Jaan")
    make_idea(board, author, "Jaani mõte")
    join_web(board)
    page = _text(client.get(f"/b/{board.join_code}"))
    assert "Jaani mõte" not in page and "1 teiste mõte on peidetud" in page


def test_counts_are_hidden_until_closed_when_asked(client, make_board, join_web):
    board = make_board(results_only_when_closed=True, phase=BoardPhase.VOTING)
    author, _ = join(board, "Jaan")
    idea = make_idea(board, author)
    join_web(board)
    client.post(f"/b/{board.join_code}/ideas/{idea.id}/vote")
    page = _text(client.get(f"/b/{board.join_code}"))
    assert "1 sinult" in page and "1 hääl," not in page


def test_closed_board_shows_ranked_results_to_anyone(client, make_board):
    board = make_board(phase=BoardPhase.VOTING)
    mari, _ = join(board)
    low, high = make_idea(board, mari, "Vähem"), make_idea(board, mari, "Rohkem")
    db.session.add_all([Vote(board_id=board.id, idea_id=high.id, participant_id=mari.id)])
    board.phase = BoardPhase.CLOSED
    db.session.commit()
    assert client.get(f"/b/{board.join_code}").headers["Location"].endswith("/results")
    page = _text(client.get(f"/b/{board.join_code}/results"))
    assert page.index("Rohkem") < page.index("Vähem")
    assert client.post(f"/b/{board.join_code}/ideas/{low.id}/vote").status_code == 302


def test_results_before_closing_are_for_facilitators_only(client, make_board, join_web):
    board = make_board()
    join_web(board)
    assert client.get(f"/b/{board.join_code}/results").status_code == 302


def test_live_fragment_answers_304_when_nothing_changed(client, make_board, join_web):
    board = make_board()
    join_web(board)
    first = client.get(f"/b/{board.join_code}/live")
    etag = first.headers["ETag"]
    assert client.get(f"/b/{board.join_code}/live",
                      headers={"If-None-Match": etag}).status_code == 304
    client.post(f"/b/{board.join_code}/ideas", data={"column": board.columns[0].id,
                                                      "text": "Uus"})
    changed = client.get(f"/b/{board.join_code}/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Uus" in _text(changed)


def test_live_fragment_is_for_participants_and_the_big_screen(app, client, make_board,
                                                              join_web):
    board = make_board()
    assert client.get("/b/ZZZZZZ/live").status_code == 404
    assert client.get(f"/b/{board.join_code}/live").status_code == 403  # not joined
    screen = client.get(f"/b/{board.join_code}/live?view=present")
    assert screen.status_code == 200
    assert client.get(f"/b/{board.join_code}/live?view=present",
                      headers={"If-None-Match": screen.headers["ETag"]}).status_code == 304
    join_web(board, "Mari")
    mari = client.get(f"/b/{board.join_code}/live")
    other = app.test_client()
    join_web(board, "Jaan", on=other)
    jaan = other.get(f"/b/{board.join_code}/live")
    # Each reader's fragment differs (own ideas and votes): so must the ETag.
    assert mari.status_code == jaan.status_code == 200
    assert len({screen.headers["ETag"], mari.headers["ETag"], jaan.headers["ETag"]}) == 3
    assert client.get(f"/b/{board.join_code}/live",
                      headers={"If-None-Match": jaan.headers["ETag"]}).status_code == 200


def test_present_view_shows_code_and_a_qr_code(client, make_board):
    board = make_board()
    page = _text(client.get(f"/b/{board.join_code}/present"))
    assert board.join_code in page and f"/b/{board.join_code}/qr.svg" in page
    svg = client.get(f"/b/{board.join_code}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


# --- facilitating ------------------------------------------------------------------------


def test_pages_need_a_facilitator_of_the_board(client, make_board, make_user, login):
    board = make_board()
    assert client.get(f"/admin/boards/{board.id}").status_code == 302  # to the login page
    login(make_user(Role.FACILITATOR, "tas"))
    assert client.get(f"/admin/boards/{board.id}").status_code == 403
    assert client.get("/admin/boards/").status_code == 200


def test_create_a_board_through_the_form(client, make_user, login):
    login(make_user(Role.FACILITATOR))
    response = client.post("/admin/boards/new", data={
        "title": "Töötuba", "question": "Kuidas me saaksime…?", "event": "",
        "columns": "Mured\nLahendused", "votes_per_participant": "5", "allow_anonymous": "y",
    })
    assert response.status_code == 302, _text(response)
    page = _text(client.get(response.headers["Location"]))
    assert "Mured" in page and "Lahendused" in page


def test_facilitator_moves_merges_groups_hides_and_pins(client, make_board, login):
    board = make_board(phase=BoardPhase.VOTING)
    login(board_creator(board))
    mari, _ = join(board)
    first, second = make_idea(board, mari, "Buss"), make_idea(board, mari, "Transport")
    base = f"/admin/boards/{board.id}/ideas"
    client.post(f"{base}/{first.id}/move", data={"move-column": board.columns[3].id})
    client.post(f"/admin/boards/{board.id}/themes", data={"new-theme-name": "Liikumine"})
    theme = board.themes[0]
    client.post(f"{base}/{first.id}/theme", data={"theme-theme": theme.id})
    client.post(f"{base}/{first.id}/pin")
    response = client.post(f"{base}/{second.id}/merge", data={"merge-into": first.id})
    assert response.headers["Location"].endswith(f"{base}/{first.id}")
    client.post(f"{base}/{first.id}/paper-votes", data={"paper-count": "4"})
    db.session.expire_all()
    assert (first.column_id, first.theme_id, first.pinned) == (board.columns[3].id, theme.id,
                                                               True)
    assert second.merged_into_id == first.id
    page = _text(client.get(f"{base}/{first.id}"))
    assert "Transport" in page and "4 häält" in page
    hide = client.post(f"{base}/{first.id}/hide", data={"hide-reason": ""})
    assert hide.status_code == 400 and "error-summary" in _text(hide)
    client.post(f"{base}/{first.id}/hide", data={"hide-reason": "Kordus"})
    db.session.expire_all()
    assert first.hidden and first.hidden_reason == "Kordus"


def test_columns_are_renamed_and_reordered_with_buttons(client, make_board, login):
    board = make_board()
    login(board_creator(board))
    first = board.columns[0]
    client.post(f"/admin/boards/{board.id}/columns/{first.id}/rename",
                data={f"column-{first.id}-name": "Mured"})
    client.post(f"/admin/boards/{board.id}/columns/{first.id}/down")
    db.session.expire_all()
    assert [c.title for c in board.columns][:2] == ["Ideed", "Mured"]


def test_phase_changes_through_the_form(client, make_board, login):
    board = make_board()
    login(board_creator(board))
    client.post(f"/admin/boards/{board.id}/phase", data={"phase-phase": "voting"})
    db.session.expire_all()
    assert board.phase is BoardPhase.VOTING


def test_paper_note_is_posted_on_behalf(client, make_board, login):
    board = make_board()
    login(board_creator(board))
    client.post(f"/admin/boards/{board.id}/paper-ideas",
                data={"paper-column": board.columns[0].id, "paper-text": "Paberil"})
    idea = db.session.query(Idea).one()
    assert idea.text == "Paberil" and idea.participant.proxy


def test_exports_rank_ideas_and_defuse_formulas(client, make_board, login):
    board = make_board(phase=BoardPhase.VOTING)
    login(board_creator(board))
    mari, _ = join(board)
    make_idea(board, mari, "=HYPERLINK(\"x\")")
    winner = make_idea(board, mari, "Võitja")
    db.session.add(Vote(board_id=board.id, idea_id=winner.id, participant_id=mari.id))
    db.session.commit()
    csv = _text(client.get(f"/admin/boards/{board.id}/export.csv"))
    assert csv.index("Võitja") < csv.index("'=HYPERLINK")
    markdown = _text(client.get(f"/admin/boards/{board.id}/export.md"))
    assert "1. Võitja — 1 hääl" in markdown
    summary = _text(client.get(f"/admin/boards/{board.id}/summary"))
    assert "Osalejad" in summary and "Võitja" in summary


def test_dashboard_links_to_the_boards(client, make_user, login):
    login(make_user(Role.ORGANISER))
    assert "/admin/boards/" in _text(client.get("/admin/"))


def test_join_and_vote_are_rate_limited_per_participant(make_config, make_board):
    from koosloome import create_app
    from koosloome.extensions import limiter

    app = create_app(make_config(RATELIMIT_ENABLED=True))
    with app.app_context():
        db.session.remove()
        board = make_board(phase=BoardPhase.VOTING)
        client = app.test_client()
        client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
        author, _ = join(board, "Jaan")
        idea = make_idea(board, author)
        codes = [client.post(f"/b/{board.join_code}/ideas/{idea.id}/unvote").status_code
                 for _ in range(61)]
        assert codes[:60] == [302] * 60 and codes[60] == 429
        other = app.test_client()
        other.post(f"/b/{board.join_code}/join", data={"display_name": "Ene"})
        assert other.post(f"/b/{board.join_code}/ideas/{idea.id}/unvote").status_code == 302
        limiter.reset()
        db.session.remove()
        db.engine.dispose()


def test_joins_of_a_board_from_one_address_are_limited_tightly(make_config, make_board):
    """Issue 15.11: every join is a fresh vote budget; one address cannot join a board over
    and over (a refused form does not count), while another board is not affected."""
    from koosloome import create_app
    from koosloome.extensions import limiter

    app = create_app(make_config(RATELIMIT_ENABLED=True))
    with app.app_context():
        db.session.remove()
        board, other_board = make_board(), make_board()
        try:
            def join_fresh(code: str, name: str = "Mari") -> int:
                return app.test_client().post(f"/b/{code}/join",
                                              data={"display_name": name}).status_code

            assert join_fresh(board.join_code, name="x" * 500) == 400  # not counted
            codes = [join_fresh(board.join_code) for _ in range(7)]
            assert codes == [302] * 6 + [429]
            assert join_fresh(other_board.join_code) == 302
            api = app.test_client().post(f"/api/v1/boards/{board.join_code}/participants",
                                         json={"display_name": "Skript"})
            assert api.status_code == 429
            db.session.expire_all()
            assert len(board.participants) == 6
        finally:
            limiter.reset()
            db.session.remove()
            db.engine.dispose()


def board_creator(board):
    """The facilitator who created ``board``."""
    from koosloome.accounts.models import User

    return db.session.get(User, board.created_by_id)


def test_no_inline_scripts_or_styles_on_board_pages(client, make_board, join_web):
    board = make_board()
    join_web(board)
    page = _text(client.get(f"/b/{board.join_code}"))
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page
