"""The no-change poll of a board's live fragment: answered before Flask's request machinery
(``koosloome.boards.poll``), with the same ETag and headers, and only when it may be."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from koosloome.boards.models import BoardPhase
from tests.factories import join, make_idea

#: Headers every answer gets anyway, or that belong to one answer (the ETag itself).
OWN_HEADERS = {"ETag", "Content-Length", "Content-Type"}


class CountingSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, counting the requests that open it."""

    opened = 0

    def open_session(self, app, request):
        CountingSessionInterface.opened += 1
        return super().open_session(app, request)


def _poll(client, code: str, etag: str, **headers: str):
    return client.get(f"/b/{code}/live", headers={"If-None-Match": etag, **headers})


def test_no_change_poll_skips_sessions_hooks_and_the_view(app, client, make_board, join_web):
    calls: list[str] = []
    app.session_interface = CountingSessionInterface()
    app.before_request(lambda: calls.append("before_request"))
    app.after_request(lambda response: calls.append("after_request") or response)
    app.teardown_request(lambda _error: calls.append("teardown"))
    board = make_board()
    join_web(board)
    etag = client.get(f"/b/{board.join_code}/live").headers["ETag"]
    calls.clear()
    CountingSessionInterface.opened = 0
    assert _poll(client, board.join_code, etag).status_code == 304
    assert calls == [] and CountingSessionInterface.opened == 0
    # The same request after a change reaches Flask: the spies do see Flask's work.
    make_idea(board, join(board, "Jaan")[0])
    assert _poll(client, board.join_code, etag).status_code == 200
    assert calls == ["before_request", "after_request", "teardown"]
    assert CountingSessionInterface.opened == 1


def test_the_shortcuts_304_carries_the_headers_of_flasks_own(client, make_board, join_web):
    """The big screen's poll (``?view=present``) is always answered by Flask: its 304 has
    every header a participant's 304 must have."""
    board = make_board()
    join_web(board)
    mine = client.get(f"/b/{board.join_code}/live").headers["ETag"]
    screen = client.get(f"/b/{board.join_code}/live?view=present").headers["ETag"]
    fast = _poll(client, board.join_code, mine)
    flask = client.get(f"/b/{board.join_code}/live?view=present",
                       headers={"If-None-Match": screen})
    assert fast.status_code == flask.status_code == 304
    assert fast.headers["ETag"] == mine and fast.get_data() == b""
    assert {k: v for k, v in fast.headers.items() if k not in OWN_HEADERS} == \
        {k: v for k, v in flask.headers.items() if k not in OWN_HEADERS}
    assert fast.headers["Cache-Control"] == "no-cache, private"
    assert fast.headers["Vary"] == "Cookie"
    assert "Content-Security-Policy" in fast.headers


def test_the_etag_follows_the_language(client, make_board, join_web):
    board = make_board()
    join_web(board)
    estonian = client.get(f"/b/{board.join_code}/live").headers["ETag"]
    english = _poll(client, board.join_code, estonian, **{"Accept-Language": "en"})
    assert english.status_code == 200 and english.headers["ETag"] != estonian
    assert _poll(client, board.join_code, english.headers["ETag"],
                 **{"Accept-Language": "en"}).status_code == 304
    client.set_cookie("lang", "et")  # the language switch wins over the browser's wish
    assert _poll(client, board.join_code, estonian,
                 **{"Accept-Language": "en"}).status_code == 304
    client.set_cookie("lang", "en")
    assert _poll(client, board.join_code, estonian).status_code == 200


def test_the_etag_follows_the_board_and_the_reader(app, client, make_board, join_web):
    board = make_board(phase=BoardPhase.VOTING)
    join_web(board)
    other = app.test_client()
    join_web(board, "Jaan", on=other)
    mine = client.get(f"/b/{board.join_code}/live").headers["ETag"]
    theirs = other.get(f"/b/{board.join_code}/live").headers["ETag"]
    assert theirs != mine
    assert _poll(client, board.join_code, theirs).status_code == 200
    assert _poll(client, board.join_code, f"{theirs}, {mine}").status_code == 304
    assert _poll(client, board.join_code, "*").status_code == 304
    make_idea(board, join(board, "Ene")[0])
    changed = _poll(client, board.join_code, mine)
    assert changed.status_code == 200 and changed.headers["ETag"] != mine


def test_what_the_shortcut_cannot_prove_goes_to_flask(app, client, make_board, join_web):
    board = make_board()
    join_web(board)
    etag = client.get(f"/b/{board.join_code}/live").headers["ETag"]
    stranger = app.test_client()
    # a cookie not signed with our key: not a participant
    stranger.set_cookie(f"kb_{board.join_code}", "forged.value", path=f"/b/{board.join_code}")
    assert _poll(stranger, board.join_code, etag).status_code == 403
    assert _poll(app.test_client(), board.join_code, etag).status_code == 403  # no cookie
    assert _poll(client, "ZZZZZZ", "*").status_code == 404  # unknown code
    # only a GET without a query string, of the code as linked, is taken: these are Flask's
    assert client.get(f"/b/{board.join_code}/live?x=1",
                      headers={"If-None-Match": etag}).status_code == 304
    control = f"/b/{board.join_code[:3]}%01{board.join_code[3:]}/live"
    assert client.get(control, headers={"If-None-Match": etag}).status_code == 404
    assert client.head(f"/b/{board.join_code}/live",
                       headers={"If-None-Match": etag}).status_code == 304


def test_guessing_codes_through_the_poll_is_still_limited(make_config, make_board):
    """Misses reach Flask and its code look-up limit, If-None-Match or not; a participant,
    who proves the code with a signed cookie, still gets a 304 after the allowance is
    spent (no guessing there)."""
    from koosloome import create_app
    from koosloome.extensions import db, limiter

    app = create_app(make_config(RATELIMIT_ENABLED=True, CODE_LOOKUP_RATE_LIMIT="5 per hour"))
    with app.app_context():
        db.session.remove()
        board = make_board()
        try:
            client = app.test_client()
            client.post(f"/b/{board.join_code}/join", data={"display_name": "Mari"})
            etag = client.get(f"/b/{board.join_code}/live").headers["ETag"]
            guesses = [_poll(client, code, "*").status_code
                       for code in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF")]
            assert guesses == [404] * 5 + [429]
            assert _poll(client, board.join_code, etag).status_code == 304
            assert client.get(f"/b/{board.join_code}/live").status_code == 429
        finally:
            limiter.reset()
            db.session.remove()
            db.engine.dispose()
