"""Participant pages of the idea boards: join by code, post, comment, vote, results, present.

Every page works without JavaScript; ``static/js/board.js`` adds live refresh and votes that
answer without a page load. Facilitator pages are in ``admin_routes.py`` on the same blueprint.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from koosloome.accounts.permissions import can_facilitate_board
from koosloome.boards import (
    admin_routes,  # noqa: F401  (facilitator views on the same blueprint)
    services,
)
from koosloome.boards.blueprint import bp
from koosloome.boards.forms import (
    CommentForm,
    IdeaForm,
    JoinCodeForm,
    JoinForm,
    PostIdeaForm,
    choice,
)
from koosloome.boards.identity import (
    cookie_token,
    participant_rate_key,
    remember_participant,
    web_participant,
)
from koosloome.boards.messages import vote_saved, vote_taken_back
from koosloome.boards.models import Board, BoardParticipant, BoardPhase, Idea
from koosloome.boards.poll import LIVE_CACHE_CONTROL, STATE_KEY, live_etag
from koosloome.boards.queries import load_board, load_comments
from koosloome.errors import DomainError, back_to
from koosloome.extensions import db, limiter
from koosloome.i18n import current_language
from koosloome.ratelimits import limit_board_joins, limit_code_lookups
from koosloome.registrations.links import registration_for_token

__all__ = ["bp"]

JOIN_LIMIT = "30 per minute; 300 per hour"
POST_LIMIT = "20 per minute; 200 per hour"
VOTE_LIMIT = "60 per minute"


# --- helpers -----------------------------------------------------------------------------


def _board(code: str) -> Board:
    """The board for ``code`` or 404."""
    try:
        return services.board_by_code(code)
    except services.UnknownJoinCode:
        abort(404)


def _is_facilitator(board: Board) -> bool:
    return bool(current_user.is_authenticated and can_facilitate_board(current_user, board))


def _board_url(board: Board, idea_id: int | None = None) -> str:
    anchor = f"idea-{idea_id}" if idea_id else None
    return url_for("boards.board_page", code=board.join_code, _anchor=anchor)


def _idea(board: Board, idea_id: int) -> Idea:
    """A visible idea of ``board``, else 404."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.board_id != board.id or idea.hidden:
        abort(404)
    return idea


def _wants_json() -> bool:
    """Requests sent by board.js get a JSON answer instead of a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


def _column_choices(board: Board) -> list[SelectChoice]:
    return [choice(column.id, column.title) for column in board.columns]


def _render_board(
    board: Board, participant: BoardParticipant, form: PostIdeaForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    if form is None:
        form = PostIdeaForm()
        form.column.choices = _column_choices(board)
        wanted = request.args.get("column", type=int)
        if wanted in {column.id for column in board.columns}:
            form.column.data = wanted
    view = load_board(board, participant)
    return render_template(
        "boards/board.html", board=board, view=view, participant=participant, form=form,
        facilitator=_is_facilitator(board),
    ), status


def _join_redirect(board: Board) -> ResponseReturnValue:
    if board.phase is BoardPhase.CLOSED:
        return redirect(url_for("boards.results", code=board.join_code))
    return redirect(url_for("boards.join", code=board.join_code))


# --- joining -----------------------------------------------------------------------------


@bp.route("/join", methods=["GET", "POST"])
@limit_code_lookups
@limiter.limit(JOIN_LIMIT, methods=["POST"])
def join_code() -> ResponseReturnValue:
    """Type the board code shown by the facilitator."""
    form = JoinCodeForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if form.validate_on_submit():
        try:
            board = services.board_by_code(form.code.data or "")
        except services.UnknownJoinCode as error:
            form.code.errors = [error.describe()]
        else:
            return redirect(url_for("boards.join", code=board.join_code))
    return render_template("boards/join_code.html", form=form), 400 if form.errors else 200


@bp.route("/b/<code>/join", methods=["GET", "POST"])
@limit_code_lookups
@limiter.limit(JOIN_LIMIT, methods=["POST"])
@limit_board_joins(302)
def join(code: str) -> ResponseReturnValue:
    """Join a board with a display name (or without, when the board allows it)."""
    board = _board(code)
    if code != board.join_code:
        return redirect(url_for("boards.join", code=board.join_code, **request.args))
    if web_participant(board) is not None:
        return redirect(_board_url(board))
    if board.phase is BoardPhase.CLOSED:
        return redirect(url_for("boards.results", code=board.join_code))
    form = JoinForm()
    token = request.args.get("r") if request.method == "GET" else form.r.data
    registration = registration_for_token(token) if token else None
    linked = services.registration_for_board(board, registration)
    if request.method == "GET" and linked and registration is not None:
        form.display_name.data = registration.name
        form.updates_email.data = registration.email
        form.r.data = token
    if form.validate_on_submit():
        try:
            _participant, secret = services.join_board(
                board, form.display_name.data or "", registration if linked else None,
                updates_email=form.updates_email.data if form.updates.data else None,
                language=current_language(),
            )
        except services.NameRequired as error:
            form.display_name.errors = [error.describe()]
        except DomainError as error:
            form.form_errors.append(error.describe())
        else:
            flash(_("Welcome! You have joined the board."), "success")
            response = redirect(_board_url(board))
            remember_participant(response, board, secret)
            return response
    return render_template(
        "boards/join.html", board=board, form=form, linked=linked,
        bad_link=bool(token) and not linked,
    ), 400 if form.errors or form.form_errors else 200


# --- the board ---------------------------------------------------------------------------


@bp.get("/b/<code>")
@limit_code_lookups
def board_page(code: str) -> ResponseReturnValue:
    """The board: columns of ideas, the form to post one, vote buttons while voting."""
    board = _board(code)
    if code != board.join_code:
        return redirect(_board_url(board))
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    if board.phase is BoardPhase.CLOSED:
        return redirect(url_for("boards.results", code=board.join_code))
    return _render_board(board, participant)


@bp.get("/b/<code>/live")
@limit_code_lookups
def live(code: str) -> ResponseReturnValue:
    """The board's changing part as an HTML fragment for polling; 304 when nothing changed."""
    present = request.args.get("view") == "present"
    # The ETag from one small query: nothing else is loaded while nothing changed. A
    # participant's poll that holds it is answered before Flask (``poll.LivePollShortcut``),
    # which leaves the state it read here when it cannot answer.
    state = None if present else request.environ.get(STATE_KEY)
    if state is None:
        state = services.live_state(code, None if present else cookie_token(code))
    if state is None:
        abort(404)
    if state.participant_id is None and not present:
        abort(403)
    etag = live_etag(state, current_language(), present)
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        # Read after the revision: the fragment is never older than its ETag says.
        board = db.session.get(Board, state.board_id)
        if board is None:  # deleted in between
            abort(404)
        participant = (db.session.get(BoardParticipant, state.participant_id)
                       if state.participant_id else None)
        view = load_board(board, participant)
        template = "boards/_present_live.html" if present else "boards/_live.html"
        response = make_response(render_template(
            template, board=board, view=view, participant=participant
        ))
    response.set_etag(etag)
    response.headers["Cache-Control"] = LIVE_CACHE_CONTROL
    response.vary.add("Cookie")
    return response


@bp.post("/b/<code>/ideas")
@limiter.limit(POST_LIMIT, key_func=participant_rate_key)
@back_to("boards.board_page", code="code")
def post_idea(code: str) -> ResponseReturnValue:
    """Post an idea into a column."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    form = PostIdeaForm()
    form.column.choices = _column_choices(board)
    if not form.validate_on_submit():
        return _render_board(board, participant, form, 400)
    idea = services.post_idea(board, participant, form.column.data, form.text.data or "",
                              bool(form.anonymous.data))
    flash(_("Your idea has been posted."), "success")
    return redirect(_board_url(board, idea.id))


@bp.route("/b/<code>/ideas/<int:idea_id>", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, key_func=participant_rate_key, methods=["POST"])
def idea_page(code: str, idea_id: int) -> ResponseReturnValue:
    """One idea with its comments, and the form to build on it."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    idea = _idea(board, idea_id)
    if idea.merged_into_id is not None:
        return redirect(url_for("boards.idea_page", code=board.join_code,
                                idea_id=idea.merged_into_id))
    if board.hide_others_while_collecting and board.phase is BoardPhase.COLLECTING \
            and idea.participant_id != participant.id:
        abort(404)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(idea, participant, form.text.data or "")
        except DomainError as error:
            form.form_errors.append(error.describe())
        else:
            flash(_("Your comment has been added."), "success")
            return redirect(url_for("boards.idea_page", code=board.join_code, idea_id=idea.id,
                                    _anchor="comments"))
    view = load_board(board, participant)
    return render_template(
        "boards/idea.html", board=board, idea=idea, card=view.ideas.get(idea.id),
        comments=load_comments(idea), form=form, participant=participant,
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/b/<code>/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@back_to("boards.board_page", code="code", anchor="idea-{idea_id}")
def edit_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Edit one's own idea while the board collects ideas."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    idea = _idea(board, idea_id)
    if idea.participant_id != participant.id:
        abort(403)
    form = IdeaForm(obj=idea)
    if form.validate_on_submit():
        services.edit_own_idea(idea, participant, form.text.data or "")
        flash(_("Your idea has been saved."), "success")
        return redirect(_board_url(board, idea.id))
    return render_template(
        "boards/edit_idea.html", board=board, idea=idea, form=form
    ), 400 if form.errors else 200


@bp.post("/b/<code>/ideas/<int:idea_id>/delete")
@back_to("boards.board_page", code="code", anchor="idea-{idea_id}")
def delete_idea(code: str, idea_id: int) -> ResponseReturnValue:
    """Delete one's own idea while the board collects ideas."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    idea = _idea(board, idea_id)
    services.delete_own_idea(idea, participant)
    flash(_("Your idea has been deleted."), "success")
    return redirect(_board_url(board))


def _vote_response(board: Board, idea_id: int, message: str, ok: bool,
                   left: int | None = None) -> ResponseReturnValue:
    """JSON for board.js, else a flash message and back to the idea on the board."""
    if _wants_json():
        body: dict[str, Any] = {"ok": ok, "message": message}
        if left is not None:
            body["votes_left"] = left
        return jsonify(body), 200 if ok else 409
    flash(message, "success" if ok else "error")
    return redirect(_board_url(board, idea_id))


@bp.post("/b/<code>/ideas/<int:idea_id>/vote")
@limiter.limit(VOTE_LIMIT, key_func=participant_rate_key)
def vote(code: str, idea_id: int) -> ResponseReturnValue:
    """Give one vote to an idea."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    idea = _idea(board, idea_id)
    try:
        _vote, left = services.cast_vote(board, participant, idea)
    except DomainError as error:
        return _vote_response(board, idea_id, error.describe(), ok=False)
    return _vote_response(board, idea_id, vote_saved(left), ok=True, left=left)


@bp.post("/b/<code>/ideas/<int:idea_id>/unvote")
@limiter.limit(VOTE_LIMIT, key_func=participant_rate_key)
def unvote(code: str, idea_id: int) -> ResponseReturnValue:
    """Take back one vote from an idea."""
    board = _board(code)
    participant = web_participant(board)
    if participant is None:
        return _join_redirect(board)
    idea = _idea(board, idea_id)
    try:
        left = services.take_back_vote(board, participant, idea)
    except DomainError as error:
        return _vote_response(board, idea_id, error.describe(), ok=False)
    return _vote_response(board, idea_id, vote_taken_back(left), ok=True, left=left)


# --- results and the big screen -----------------------------------------------------------


@bp.get("/b/<code>/results")
@limit_code_lookups
def results(code: str) -> ResponseReturnValue:
    """Ranked results: for everyone once closed, for facilitators at any time."""
    board = _board(code)
    facilitator = _is_facilitator(board)
    if board.phase is not BoardPhase.CLOSED and not facilitator:
        flash(_("The results are shown when the facilitator closes the board."), "info")
        return redirect(_board_url(board))
    view = load_board(board, web_participant(board), ranked=True, show_counts=True)
    return render_template("boards/results.html", board=board, view=view,
                           facilitator=facilitator)


def join_url(board: Board) -> str:
    """The absolute address people open to join (also inside the QR code)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("boards.join",
                                                                 code=board.join_code)


@bp.get("/b/<code>/present")
@limit_code_lookups
def present(code: str) -> ResponseReturnValue:
    """The big-screen view: question, code, address and QR code; top ideas once closed."""
    board = _board(code)
    view = load_board(board, ranked=board.phase is BoardPhase.CLOSED)
    return render_template("boards/present.html", board=board, view=view,
                           join_url=join_url(board))


@bp.get("/b/<code>/qr.svg")
@limit_code_lookups
def qr_code(code: str) -> ResponseReturnValue:
    """The join address as a QR code (SVG)."""
    board = _board(code)
    buffer = io.BytesIO()
    segno.make(join_url(board), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title=join_url(board)
    )
    response = make_response(buffer.getvalue())
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

