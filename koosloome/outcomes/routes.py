"""What came of a workshop: the facilitators' list of a board's actions and their form, and
the public "what came of it" page (no personal data: no owner, no idea's author)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from koosloome.accounts.models import Organisation, Role, User
from koosloome.accounts.permissions import (
    can_facilitate_board,
    facilitated_board_or_abort,
    staff_required,
)
from koosloome.boards import services as boards
from koosloome.boards.models import Board
from koosloome.errors import InvalidFields
from koosloome.extensions import db
from koosloome.form_fields import show_rule_errors
from koosloome.outcomes import services, updates
from koosloome.outcomes.forms import ActionForm
from koosloome.outcomes.labels import FUNDING_LABELS, STATUS_LABELS, TARGET_GROUP_LABELS
from koosloome.outcomes.models import Action, ActionStatus
from koosloome.ratelimits import limit_code_lookups

bp = Blueprint("outcomes", __name__)
STAFF = (Role.ADMIN, Role.ORGANISER, Role.FACILITATOR)
LABELS = {"statuses": STATUS_LABELS, "groups": TARGET_GROUP_LABELS, "funding": FUNDING_LABELS}


def _can_facilitate(board: Board) -> bool:
    return bool(current_user.is_authenticated and can_facilitate_board(current_user, board))


def _form(board: Board, **kwargs) -> ActionForm:
    form = ActionForm(**kwargs)
    partners = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    staff = list(db.session.scalars(select(User).where(User.active.is_(True))
                                    .order_by(User.name)))
    form.set_choices(services.idea_choices(board), partners, staff)
    return form


def _save(board: Board, form: ActionForm, action: Action | None = None) -> Action | None:
    """The form's action saved, or None with the rules' errors beside their fields."""
    try:
        return services.save_action(board, form.values(), form.ideas.data or [], current_user,
                                    action)
    except InvalidFields as invalid:
        show_rule_errors(form, invalid.errors)
        return None


@bp.route("/admin/boards/<int:board_id>/actions", methods=["GET", "POST"])
@staff_required(*STAFF)
def board_actions(board_id: int) -> ResponseReturnValue:
    """The board's actions and the form to turn ideas into a new one (``?idea=`` ticks one)."""
    board = facilitated_board_or_abort(board_id)
    picked = request.args.getlist("idea", type=int)
    form = _form(board, data={"ideas": picked})
    if form.validate_on_submit() and _save(board, form) is not None:
        flash(_("The action is saved."), "success")
        return redirect(url_for(".board_actions", board_id=board.id))
    return render_template("outcomes/actions.html", board=board, form=form,
                           actions=services.actions_of(board), **LABELS), \
        422 if form.errors else 200


@bp.route("/admin/boards/<int:board_id>/actions/<int:action_id>", methods=["GET", "POST"])
@staff_required(*STAFF)
def edit_action(board_id: int, action_id: int) -> ResponseReturnValue:
    """Change an action: its status, next step, owner, funding."""
    board = facilitated_board_or_abort(board_id)
    action = services.find_action(board, action_id)
    if action is None:
        abort(404)
    form = _form(board, obj=action, data={
        "owner_user_id": str(action.owner_user_id or ""),
        "partner_id": str(action.partner_id or ""),
        "target_group": action.target_group.value, "status": action.status.value,
        "funding": action.funding.value if action.funding else ""})
    if not form.is_submitted():  # ``obj`` would give the Idea objects, not their ids
        form.ideas.data = [idea.id for idea in action.ideas]
    if form.validate_on_submit() and _save(board, form, action) is not None:
        flash(_("The action is saved."), "success")
        return redirect(url_for(".board_actions", board_id=board.id))
    return render_template("outcomes/action.html", board=board, form=form, action=action,
                           **LABELS), 422 if form.errors else 200


@bp.post("/admin/boards/<int:board_id>/actions/<int:action_id>/delete")
@staff_required(*STAFF)
def delete_action(board_id: int, action_id: int) -> ResponseReturnValue:
    """Take back an action entered by mistake."""
    board = facilitated_board_or_abort(board_id)
    action = services.find_action(board, action_id)
    if action is None:
        abort(404)
    services.remove_action(action, current_user)
    flash(_("The action is removed."), "success")
    return redirect(url_for(".board_actions", board_id=board.id))


@bp.get("/b/<code>/outcomes")
@limit_code_lookups
def what_came_of_it(code: str) -> ResponseReturnValue:
    """The public page: what the workshop's ideas became and where each stands."""
    try:
        board = boards.board_by_code(code)
    except boards.UnknownJoinCode:
        abort(404)
    actions = services.public_actions(board, _can_facilitate(board))
    return render_template("outcomes/public.html", board=board, actions=actions,
                           dropped=ActionStatus.DROPPED, **LABELS)


@bp.route("/b/<code>/news/<int:participant_id>/<token>", methods=["GET", "POST"])
@limit_code_lookups
def stop_news(code: str, participant_id: int, token: str) -> ResponseReturnValue:
    """The link in every news message: a page with a button (a mail scanner that follows
    links must not stop anyone's news), and the stop itself, at once."""
    try:
        board = boards.board_by_code(code)
    except boards.UnknownJoinCode:
        abort(404)
    participant = updates.subscriber_for(board, participant_id, token)
    if request.method == "POST":
        if participant is not None:
            updates.stop_news(participant)
        return render_template("outcomes/news_stopped.html", board=board)
    if participant is None:
        return render_template("outcomes/news_stopped.html", board=board)
    return render_template("outcomes/stop_news.html", board=board,
                           email=participant.updates_email)
