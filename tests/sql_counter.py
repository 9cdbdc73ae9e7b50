"""Count the SQL statements a block of code sends: the one listener the query-count tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from koosloome.extensions import db


@contextmanager
def counting_statements(engine: Engine | None = None, *,
                        skip: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Collect every statement sent to ``engine`` (the app's by default) inside the block,
    except those that start with one of ``skip`` (e.g. ``BEGIN``, which SQLite sends and
    PostgreSQL's driver does not)."""
    statements: list[str] = []
    target = engine if engine is not None else db.engine
    skipped = tuple(prefix.upper() for prefix in skip)

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not (skipped and statement.lstrip().upper().startswith(skipped)):
            statements.append(statement)

    event.listen(target, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", record)
