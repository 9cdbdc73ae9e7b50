"""Facilitator pages of the idea boards (/admin/boards/...): create, run, moderate, export.

Every move, merge and grouping is a button or a select menu (WCAG 2.5.7: no dragging needed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from koosloome.accounts.models import Role
from koosloome.accounts.permissions import (
    facilitated_board_or_abort,
    staff_required,
)
from koosloome.boards import export, facilitation, services
from koosloome.boards.blueprint import bp
from koosloome.boards.forms import (
    BoardForm,
    Empty,
    HideForm,
    IdeaForm,
    MergeForm,
    MoveForm,
    NameForm,
    PaperVotesForm,
    PhaseForm,
    PostIdeaForm,
    ThemeChoiceForm,
    choice,
)
from koosloome.boards.models import Board, BoardColumn, BoardPhase, Idea, IdeaComment, Theme
from koosloome.boards.queries import BoardView, boards_for_user, load_board, load_comments
from koosloome.downloads import content_disposition
from koosloome.errors import DomainError, back_to
from koosloome.events.models import Event
from koosloome.extensions import db
from koosloome.i18n import format_date

# --- helpers -----------------------------------------------------------------------------


def _of_board(model: type[Any], object_id: int, board: Board) -> Any:
    item = db.session.get(model, object_id)
    if item is None or item.board_id != board.id:
        abort(404)
    return item


def _admin_url(board: Board) -> str:
    return url_for("boards.admin_board", board_id=board.id)


def _event_choices() -> list[SelectChoice]:
    """Events the board can be linked to: the user's partner's (all for admins)."""
    query = select(Event).order_by(Event.starts_at.desc())
    if current_user.role is not Role.ADMIN:
        org = current_user.organisation_id
        query = query.where(or_(Event.organisation_id == org, Event.co_organiser_id == org))
    choices = [choice(None, _("No event"))]
    for event in db.session.scalars(query):
        choices.append(choice(event.id, f"{event.title_et} ({format_date(event.starts_at)})"))
    return choices


def _settings(form: BoardForm) -> services.BoardSettings:
    return services.BoardSettings(
        title=form.title.data or "",
        question=form.question.data or "",
        intro_et=form.intro_et.data or "",
        intro_en=form.intro_en.data or "",
        event_id=form.event.data,
        allow_anonymous=bool(form.allow_anonymous.data),
        votes_per_participant=form.votes_per_participant.data or 0,
        multiple_votes_per_idea=bool(form.multiple_votes_per_idea.data),
        hide_others_while_collecting=bool(form.hide_others_while_collecting.data),
        results_only_when_closed=bool(form.results_only_when_closed.data),
    )


# --- list, create, settings --------------------------------------------------------------


@bp.get("/admin/boards/")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_boards() -> ResponseReturnValue:
    """The boards this user facilitates."""
    return render_template("boards/admin/list.html", boards=boards_for_user(current_user))


@bp.route("/admin/boards/new", methods=["GET", "POST"])
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_new_board() -> ResponseReturnValue:
    """Create a board: texts, columns, optional event link and settings."""
    form = BoardForm()
    form.event.choices = _event_choices()
    if request.method == "GET":
        form.columns.data = "\n".join(services.DEFAULT_COLUMNS)
    if form.validate_on_submit():
        board = services.create_board(
            current_user, _settings(form), (form.columns.data or "").splitlines()
        )
        flash(_("The board has been created. Its code is %(code)s.", code=board.join_code),
              "success")
        return redirect(_admin_url(board))
    return render_template("boards/admin/form.html", form=form, board=None), \
        400 if form.errors else 200


@bp.route("/admin/boards/<int:board_id>/settings", methods=["GET", "POST"])
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_settings(board_id: int) -> ResponseReturnValue:
    """Change the board's texts and settings."""
    board = facilitated_board_or_abort(board_id)
    form = BoardForm(obj=board)
    del form.columns
    form.event.choices = _event_choices()
    if request.method == "GET":
        form.event.data = board.event_id
    if board.event is not None and board.event_id not in {c.value for c in form.event.choices}:
        form.event.choices.append(choice(board.event.id, board.event.title_et))
    if form.validate_on_submit():
        try:
            services.update_settings(board, _settings(form), current_user)
        except DomainError as error:
            form.form_errors.append(error.describe())
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(_admin_url(board))
    return render_template("boards/admin/form.html", form=form, board=board), \
        400 if form.errors or form.form_errors else 200


# --- running the board -------------------------------------------------------------------


def _paper_form(board: Board) -> PostIdeaForm:
    form = PostIdeaForm(prefix="paper")
    del form.anonymous
    form.column.choices = [choice(column.id, column.title) for column in board.columns]
    return form


def _render_admin_board(board: Board, phase_form: PhaseForm | None = None,
                        paper_form: PostIdeaForm | None = None,
                        status: int = 200) -> ResponseReturnValue:
    if phase_form is None:
        phase_form = PhaseForm(prefix="phase")
        phase_form.phase.data = board.phase.value
    view = load_board(board, facilitator=True)
    return render_template(
        "boards/admin/board.html", board=board, view=view, phase_form=phase_form,
        paper_form=paper_form or _paper_form(board),
    ), status


@bp.get("/admin/boards/<int:board_id>")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_board(board_id: int) -> ResponseReturnValue:
    """Run the board: phase, paper notes, every idea with its counts and a manage link."""
    return _render_admin_board(facilitated_board_or_abort(board_id))


@bp.post("/admin/boards/<int:board_id>/phase")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_board", board_id="board_id")
def admin_phase(board_id: int) -> ResponseReturnValue:
    """Move the board to another phase."""
    board = facilitated_board_or_abort(board_id)
    form = PhaseForm(prefix="phase")
    if not form.validate_on_submit():
        return _render_admin_board(board, phase_form=form, status=400)
    services.set_phase(board, BoardPhase(form.phase.data))
    labels = {c.value: c.label for c in form.phase.choices}  # type: ignore[union-attr]
    flash(_("The board is now in the phase: %(phase)s.", phase=labels[form.phase.data]),
          "success")
    return redirect(_admin_url(board))


@bp.post("/admin/boards/<int:board_id>/paper-ideas")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_board", board_id="board_id")
def admin_paper_idea(board_id: int) -> ResponseReturnValue:
    """Enter an idea from a paper note (someone without a device)."""
    board = facilitated_board_or_abort(board_id)
    form = _paper_form(board)
    if not form.validate_on_submit():
        return _render_admin_board(board, paper_form=form, status=400)
    idea = facilitation.post_on_behalf(board, current_user, form.column.data,
                                       form.text.data or "")
    flash(_("The paper note has been added to the board."), "success")
    return redirect(url_for("boards.admin_board", board_id=board.id, _anchor=f"idea-{idea.id}"))


# --- one idea ----------------------------------------------------------------------------


def _idea_forms(board: Board, idea: Idea, view: BoardView) -> dict[str, FlaskForm]:
    """Every form of the idea page, filled with the idea's current state."""
    edit = IdeaForm(prefix="edit")
    move = MoveForm(prefix="move")
    move.column.choices = [choice(column.id, column.title) for column in board.columns]
    theme = ThemeChoiceForm(prefix="theme")
    theme.theme.choices = [choice(None, _("No theme"))] + [
        choice(t.id, t.name) for t in board.themes
    ]
    merge = MergeForm(prefix="merge")
    # Grouped by column (<optgroup>), so a screen reader says where each idea is.
    merge.into.choices = [choice(None, _("Choose an idea"))] + [
        choice(card.id, card.text[:80], group=column.title)
        for column in view.columns for card in column.ideas
        if card.id != idea.id and not card.hidden
    ]
    if request.method == "GET":
        edit.text.data = idea.text
        move.column.data = idea.column_id
        theme.theme.data = idea.theme_id
    return {
        "edit": edit, "hide": HideForm(prefix="hide"), "move": move, "theme": theme,
        "merge": merge, "paper": PaperVotesForm(prefix="paper", data={
            "count": facilitation.paper_votes(idea)}), "button": Empty(),
    }


def _render_idea(board: Board, idea: Idea, failed: dict[str, FlaskForm] | None = None,
                 status: int = 200) -> ResponseReturnValue:
    view = load_board(board, facilitator=True)
    forms = _idea_forms(board, idea, view)
    forms.update(failed or {})
    return render_template(
        "boards/admin/idea.html", board=board, idea=idea, card=view.ideas.get(idea.id),
        forms=forms, comments=load_comments(idea, facilitator=True), revisions=idea.revisions,
        failed=failed or {},
    ), status


@bp.get("/admin/boards/<int:board_id>/ideas/<int:idea_id>")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_idea(board_id: int, idea_id: int) -> ResponseReturnValue:
    """Manage one idea: edit, hide, pin, move, theme, merge, paper votes, comments."""
    board = facilitated_board_or_abort(board_id)
    idea = _of_board(Idea, idea_id, board)
    if idea.merged_into_id is not None:
        return redirect(url_for("boards.admin_idea", board_id=board.id,
                                idea_id=idea.merged_into_id))
    return _render_idea(board, idea)


IdeaAction = Callable[[Idea, FlaskForm], Any]

#: action → (which form of ``_idea_forms``, what the service does, the success message)
IDEA_ACTIONS: dict[str, tuple[str, IdeaAction, Callable[[Any], str]]] = {
    "edit": ("edit", lambda idea, form: facilitation.edit_idea(
        idea, current_user, form.text.data or ""), lambda _r: _("The idea has been saved.")),
    "hide": ("hide", lambda idea, form: facilitation.hide_idea(
        idea, current_user, form.reason.data or ""), lambda _r: _("The idea is now hidden.")),
    "unhide": ("button", lambda idea, _f: facilitation.unhide_idea(idea, current_user),
               lambda _r: _("The idea is shown again.")),
    "pin": ("button", lambda idea, _f: facilitation.set_pinned(idea, current_user, True),
            lambda _r: _("The idea is pinned to the top of its column.")),
    "unpin": ("button", lambda idea, _f: facilitation.set_pinned(idea, current_user, False),
              lambda _r: _("The idea is no longer pinned.")),
    "move": ("move", lambda idea, form: facilitation.move_idea(
        idea, current_user, form.column.data), lambda _r: _("The idea has been moved.")),
    "theme": ("theme", lambda idea, form: facilitation.set_theme(
        idea, current_user, form.theme.data), lambda _r: _("The theme has been saved.")),
    "merge": ("merge", lambda idea, form: facilitation.merge_ideas(
        idea, current_user, form.into.data),
        lambda returned: ngettext(
            "The ideas have been merged; %(num)d extra vote was returned.",
            "The ideas have been merged; %(num)d extra votes were returned.", returned
        ) if returned else _("The ideas have been merged.")),
    "paper-votes": ("paper", lambda idea, form: facilitation.set_paper_votes(
        idea, current_user, form.count.data or 0),
        lambda _r: _("The votes from paper have been saved.")),
}


@bp.post("/admin/boards/<int:board_id>/ideas/<int:idea_id>/<action>")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_idea", board_id="board_id", idea_id="idea_id")
def admin_idea_action(board_id: int, idea_id: int, action: str) -> ResponseReturnValue:
    """Apply one facilitator action to an idea (see ``IDEA_ACTIONS``)."""
    board = facilitated_board_or_abort(board_id)
    idea = _of_board(Idea, idea_id, board)
    if action not in IDEA_ACTIONS:
        abort(404)
    key, apply, success = IDEA_ACTIONS[action]
    form = _idea_forms(board, idea, load_board(board, facilitator=True))[key]
    if not form.validate_on_submit():
        return _render_idea(board, idea, failed={key: form}, status=400)
    result = apply(idea, form)
    flash(success(result), "success")
    target = idea.merged_into_id or idea.id
    return redirect(url_for("boards.admin_idea", board_id=board.id, idea_id=target))


@bp.post("/admin/boards/<int:board_id>/comments/<int:comment_id>/<any(hide, show):action>")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_comment(board_id: int, comment_id: int, action: str) -> ResponseReturnValue:
    """Hide a comment from participants, or show it again."""
    board = facilitated_board_or_abort(board_id)
    comment = db.session.get(IdeaComment, comment_id)
    if comment is None or comment.idea.board_id != board.id:
        abort(404)
    try:
        facilitation.set_comment_hidden(comment, current_user, action == "hide")
    except DomainError as error:
        flash(error.describe(), "error")
    else:
        flash(_("The comment is now hidden.") if action == "hide"
              else _("The comment is shown again."), "success")
    return redirect(url_for("boards.admin_idea", board_id=board.id, idea_id=comment.idea_id,
                            _anchor="comments"))


# --- columns and themes ------------------------------------------------------------------


def _render_structure(board: Board, failed: dict[str, FlaskForm] | None = None,
                      status: int = 200) -> ResponseReturnValue:
    forms: dict[str, FlaskForm] = {
        "new-column": NameForm(prefix="new-column"),
        "new-theme": NameForm(prefix="new-theme"),
    }
    for column in board.columns:
        forms[f"column-{column.id}"] = NameForm(prefix=f"column-{column.id}",
                                                data={"name": column.title})
    for theme in board.themes:
        forms[f"theme-{theme.id}"] = NameForm(prefix=f"theme-{theme.id}", data={"name": theme.name})
    forms.update(failed or {})
    return render_template("boards/admin/structure.html", board=board, forms=forms,
                           failed=failed or {}, button=Empty()), status


@bp.get("/admin/boards/<int:board_id>/structure")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_structure(board_id: int) -> ResponseReturnValue:
    """Columns (rename, reorder, add, remove) and themes (rename, add, remove)."""
    return _render_structure(facilitated_board_or_abort(board_id))


def _structure_change(board: Board, key: str | None, change: Callable[[str], Any],
                      message: str) -> ResponseReturnValue:
    """Validate the name form ``key`` (if any), apply ``change``, commit, go back."""
    name = ""
    if key is not None:
        form = NameForm(prefix=key)
        if not form.validate_on_submit():
            return _render_structure(board, failed={key: form}, status=400)
        name = form.name.data or ""
    change(name)  # refused: back to the structure page, with the reason (``back_to``)
    flash(message, "success")
    return redirect(url_for("boards.admin_structure", board_id=board.id))


@bp.post("/admin/boards/<int:board_id>/columns")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_structure", board_id="board_id")
def admin_add_column(board_id: int) -> ResponseReturnValue:
    """Add a column."""
    board = facilitated_board_or_abort(board_id)
    return _structure_change(board, "new-column",
                             lambda name: facilitation.add_column(board, name),
                             _("The column has been added."))


@bp.post(
    "/admin/boards/<int:board_id>/columns/<int:column_id>/<any(rename, up, down, delete):action>"
)
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_structure", board_id="board_id")
def admin_column(board_id: int, column_id: int, action: str) -> ResponseReturnValue:
    """Rename, move or remove a column."""
    board = facilitated_board_or_abort(board_id)
    column = _of_board(BoardColumn, column_id, board)
    if action == "rename":
        return _structure_change(board, f"column-{column.id}",
                                 lambda name: facilitation.rename_column(column, name),
                                 _("The column has been renamed."))
    if action == "delete":
        return _structure_change(board, None, lambda _n: facilitation.delete_column(column),
                                 _("The column has been removed."))
    return _structure_change(
        board, None, lambda _n: facilitation.move_column(column, -1 if action == "up" else 1),
        _("The column has been moved."),
    )


@bp.post("/admin/boards/<int:board_id>/themes")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_structure", board_id="board_id")
def admin_add_theme(board_id: int) -> ResponseReturnValue:
    """Add a theme to group ideas under."""
    board = facilitated_board_or_abort(board_id)
    return _structure_change(board, "new-theme", lambda name: facilitation.add_theme(board, name),
                             _("The theme has been added."))


@bp.post("/admin/boards/<int:board_id>/themes/<int:theme_id>/<any(rename, delete):action>")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
@back_to("boards.admin_structure", board_id="board_id")
def admin_theme(board_id: int, theme_id: int, action: str) -> ResponseReturnValue:
    """Rename or remove a theme."""
    board = facilitated_board_or_abort(board_id)
    theme = _of_board(Theme, theme_id, board)
    if action == "rename":
        return _structure_change(board, f"theme-{theme.id}",
                                 lambda name: facilitation.rename_theme(theme, name),
                                 _("The theme has been renamed."))
    return _structure_change(board, None, lambda _n: facilitation.delete_theme(theme),
                             _("The theme has been removed."))


# --- results: summary and exports --------------------------------------------------------


@bp.get("/admin/boards/<int:board_id>/summary")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_summary(board_id: int) -> ResponseReturnValue:
    """A printable summary for the LEADER report."""
    board = facilitated_board_or_abort(board_id)
    view = load_board(board, ranked=True, show_counts=True)
    return render_template("boards/admin/summary.html", board=board, view=view)


def _export_labels() -> dict[str, str]:
    return {
        "column": _("Column"), "rank": _("Rank"), "idea": _("Idea"), "votes": _("Votes"),
        "theme": _("Theme"), "author": _("Author"), "comments": _("Comments"),
        "merged": _("Merged ideas"), "anonymous": _("Anonymous"), "question": _("Question"),
        "participants": _("Participants"), "ideas": _("Ideas"), "themes": _("Themes"),
        "none": _("No ideas"),
    }


def _download(body: str, mimetype: str, filename: str) -> ResponseReturnValue:
    return body, 200, {
        "Content-Type": f"{mimetype}; charset=utf-8",
        "Content-Disposition": content_disposition(filename),
    }


@bp.get("/admin/boards/<int:board_id>/export.csv")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_export_csv(board_id: int) -> ResponseReturnValue:
    """Ranked results as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read it)."""
    board = facilitated_board_or_abort(board_id)
    view = load_board(board, ranked=True, show_counts=True)
    body = "\ufeff" + export.results_csv(view, _export_labels())
    return _download(body, "text/csv", f"board-{board.join_code}.csv")


@bp.get("/admin/boards/<int:board_id>/export.md")
@staff_required(Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
def admin_export_markdown(board_id: int) -> ResponseReturnValue:
    """Ranked results as Markdown."""
    board = facilitated_board_or_abort(board_id)
    view = load_board(board, ranked=True, show_counts=True)
    body = export.results_markdown(
        view, _export_labels(),
        lambda n: ngettext("%(num)d vote", "%(num)d votes", n),
    )
    return _download(body, "text/markdown", f"board-{board.join_code}.md")
