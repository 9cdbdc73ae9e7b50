"""Translated messages for board outcomes, shared by the pages and the JSON API."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from koosloome.boards import facilitation as f
from koosloome.boards import services as s
from koosloome.errors import DomainError, NotAllowed


def error_message(error: DomainError) -> str:
    """What to tell a person whose action a board rule refused."""
    if isinstance(error, s.BoardClosed):
        return _("This board is closed. Its results can be read but nothing can be changed.")
    if isinstance(error, s.WrongPhase):
        return {
            "collecting": _("Voting has not started yet. You can post ideas now."),
            "voting": _("Ideas cannot be posted or changed now: the board is in the voting phase."),
        }.get(error.phase.value, _("This is not possible in the board's current phase."))
    messages: list[tuple[type[DomainError], str]] = [
        (s.UnknownJoinCode, _("There is no board with this code. Check the code and try again.")),
        (s.NameRequired, _("Enter your name: this board does not allow anonymous participants.")),
        (s.InvalidText, _("Write your idea in at most 500 characters.")),
        (s.IdeaNotVotable, _("This idea cannot be voted for or commented on.")),
        (s.BudgetExhausted, _("You have used all your votes. Take a vote back from another "
                              "idea to vote for this one.")),
        (s.AlreadyVoted, _("You have already voted for this idea. On this board each idea "
                           "can get one vote from you.")),
        (s.NoVoteToTakeBack, _("You have no vote on this idea to take back.")),
        (f.CannotMerge, _("These ideas cannot be merged. Choose another idea.")),
        (f.ColumnNotEmpty, _("Move the ideas out of this column before removing it.")),
        (f.LastColumn, _("A board needs at least one column.")),
        (NotAllowed, _("You cannot change this.")),
    ]
    for kind, message in messages:
        if isinstance(error, kind):
            return message
    return _("This is not possible. Check what you entered and try again.")


def vote_saved(left: int) -> str:
    """Status after a vote: "Vote saved, 2 left"."""
    return ngettext("Vote saved, %(num)d vote left.", "Vote saved, %(num)d votes left.", left)


def vote_taken_back(left: int) -> str:
    """Status after taking a vote back."""
    return ngettext("Vote taken back, %(num)d vote left.", "Vote taken back, %(num)d votes left.",
                    left)
