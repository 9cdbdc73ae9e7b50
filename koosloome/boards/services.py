"""Rules of the idea boards."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from koosloome.boards.models import Board, BoardColumn
from koosloome.extensions import db

#: No 0/O, 1/I/l/L: a code read aloud or from a projector is not mistaken.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
DEFAULT_COLUMNS = ("Vajadused", "Ideed", "Ressursid", "Järgmised sammud")


def new_join_code() -> str:
    """A join code not used by any board yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalars(select(Board.id).where(Board.join_code == code)).first() is None:
            return code


def add_default_columns(board: Board) -> None:
    """Give a new board the four standard columns."""
    for position, title in enumerate(DEFAULT_COLUMNS):
        board.columns.append(BoardColumn(position=position, title=title))
