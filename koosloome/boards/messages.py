"""Translated messages for board outcomes, shared by the pages and the JSON API."""

from __future__ import annotations

from flask_babel import ngettext


def vote_saved(left: int) -> str:
    """Status after a vote: "Vote saved, 2 left"."""
    return ngettext("Vote saved, %(num)d vote left.", "Vote saved, %(num)d votes left.", left)


def vote_taken_back(left: int) -> str:
    """Status after taking a vote back."""
    return ngettext("Vote taken back, %(num)d vote left.", "Vote taken back, %(num)d votes left.",
                    left)
