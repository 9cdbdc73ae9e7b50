"""News of what came of a workshop, for the participants who asked for it when they joined
its board: one short e-mail each time an action from its ideas moves on, in their language,
with a link that stops the news at once. Nothing is sent before the board is closed (its
ideas and results are held back until then)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from koosloome.boards.models import Board, BoardParticipant, BoardPhase
from koosloome.extensions import db
from koosloome.messaging.kinds import MessageKind
from koosloome.messaging.notify import queue_templated
from koosloome.outcomes.labels import STATUS_LABELS
from koosloome.outcomes.models import Action, ActionStatus
from koosloome.tokens import keyed_token, same_secret

PURPOSE = "board-updates:"


def stop_token(participant: BoardParticipant) -> str:
    """The secret in the participant's stop link (keyed by the app's secret and their nonce:
    a copy of the database alone cannot make it)."""
    assert participant.updates_nonce is not None
    return keyed_token(current_app.config["SECRET_KEY"], PURPOSE, participant.updates_nonce)


def stop_url(board: Board, participant: BoardParticipant) -> str:
    """The absolute link that stops the news."""
    return (f"{current_app.config['BASE_URL']}/b/{board.join_code}/news/{participant.id}/"
            f"{stop_token(participant)}")


def subscriber_for(board: Board, participant_id: int, token: str) -> BoardParticipant | None:
    """The board's participant the stop link is for, while they still get the news."""
    participant = db.session.get(BoardParticipant, participant_id)
    if (participant is None or participant.board_id != board.id
            or participant.updates_nonce is None):
        return None
    return participant if same_secret(stop_token(participant), token) else None


def stop_news(participant: BoardParticipant) -> None:
    """Forget the address and the consent at once (the link stops working too)."""
    participant.updates_email = None
    participant.updates_consent_at = None
    participant.updates_nonce = None
    db.session.flush()


def subscribers(board: Board) -> list[BoardParticipant]:
    """Those of the board who asked for news and still get it."""
    return list(db.session.scalars(select(BoardParticipant).where(
        BoardParticipant.board_id == board.id, BoardParticipant.updates_email.is_not(None),
        BoardParticipant.updates_nonce.is_not(None)).order_by(BoardParticipant.id)))


def tell_of_change(board: Board, action: Action, before: ActionStatus | None) -> int:
    """Queue the news of an action that moved on (a new status) to everyone who asked;
    returns how many. Nothing while the board is still open."""
    if board.phase is not BoardPhase.CLOSED or before is None or before is action.status:
        return 0
    told = 0
    for participant in subscribers(board):
        language = participant.updates_language
        with force_locale(language):
            status = str(STATUS_LABELS[action.status])
        assert participant.updates_email is not None
        queue_templated(
            MessageKind.ACTION_UPDATE, to_address=participant.updates_email,
            to_name=participant.display_name, language=language,
            name=participant.display_name, title=action.title, board=board.title,
            status=status, dropped=action.status is ActionStatus.DROPPED,
            reason=action.dropped_reason, next_step=action.next_step,
            page=f"{current_app.config['BASE_URL']}/b/{board.join_code}/outcomes",
            stop=stop_url(board, participant))
        told += 1
    return told
