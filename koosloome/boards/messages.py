"""Translated messages for board outcomes, shared by the pages and the JSON API."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext


def votes_left(left: int) -> str:
    """"You have 2 votes left"; with none, plainly that there are none."""
    if left <= 0:
        return _("You have no votes left.")
    return ngettext("You have %(num)d vote left.", "You have %(num)d votes left.", left)


def vote_saved(left: int) -> str:
    """Status after a vote: "Vote saved. You have 2 votes left."."""
    return _("Vote saved.") + " " + votes_left(left)


def vote_taken_back(left: int) -> str:
    """Status after taking a vote back."""
    return _("Vote taken back.") + " " + votes_left(left)
