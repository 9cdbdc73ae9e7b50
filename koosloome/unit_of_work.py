"""One unit of work per request: what a view changed is committed in one place, or nothing is.

- A view that returns normally has its session committed *inside* the request's dispatch, so
  a commit that fails (the database went away) reaches the error handlers — a translated 503
  — instead of being lost in teardown after the page said "saved".
- A view that raises (a ``DomainError``, an ``abort``, a bug) has everything rolled back.
- So does one that answers with an error status (a form shown again with its errors, a 403
  from the API): a refused request changes nothing, not even a token's "last used".
- A request in which a business rule refused something (a ``DomainError`` was raised, even
  if the view caught it to show a form error) commits nothing: services check before they
  write, and this makes a refusal half-way through harmless as well.

A request that wrote nothing is left alone: its read transaction ends when the session is
removed after the response — after a streamed export has been read, without expiring (and
reloading, row by row) what the view loaded for it.

Views therefore hold no ``commit()`` or ``rollback()``; worker loops and commands, which are
not requests, keep their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import MANYTOONE, Session, make_transient_to_detached

from koosloome.extensions import db

#: ``Session.info`` key: the transaction has flushed a change
WROTE = "unit_of_work_wrote"


def note_refusal() -> None:
    """Called when a ``DomainError`` is raised: this request's writes are not to be kept."""
    if has_request_context():
        g.refused = True


class AfterCommit:
    """What a view returns to have its answer made after the commit (``render()``), when the
    answer needs nothing from the database: the transaction, and the locks it holds (an
    event's seats, SQLite's one writer), ends before the page is rendered."""

    def __init__(self, render: Callable[[], Any]) -> None:
        self.render = render


def unit_of_work(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``view`` so that its request commits or rolls back here, and only here."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = view(*args, **kwargs)
            if isinstance(result, AfterCommit):
                result = _commit_then_render(result)
            response = current_app.make_response(result)
        except BaseException:
            db.session.rollback()
            raise
        session = db.session()
        _finish(session, refused=g.pop("refused", False), failed=response.status_code >= 400)
        return response

    return run


def _commit_then_render(after: AfterCommit) -> Any:
    session = db.session()
    # What the view loaded keeps its values for the page: reloading it after the commit
    # would be a second transaction for nothing.
    session.expire_on_commit = False
    try:
        _finish(session, refused=g.pop("refused", False), failed=False)
    finally:
        session.expire_on_commit = True
    return after.render()


def _finish(session: Session, *, refused: bool, failed: bool) -> None:
    """Commit what the request wrote, or roll it back when it was refused or failed."""
    if not _wrote(session):
        return
    if refused or failed:
        session.rollback()
    else:
        session.commit()


def _wrote(session: Session) -> bool:
    """Whether the session's transaction holds changes, flushed or not."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def _note_flush(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


def _forget_writes(session: Session, *_args: Any) -> None:
    session.info.pop(WROTE, None)


def insert_now(instance: Any) -> None:
    """INSERT a new ``instance``'s row with one Core statement and put it in the session as
    if it had been loaded: for the few rows a hot path writes (a registration, its message),
    where the unit of work's flush (sorting, bookkeeping, fetching defaults back) costs several
    times the INSERT itself. Column defaults apply as in a flush and are set on the instance;
    anything it holds in relationships (a registration's needs) is flushed the usual way.
    Counts as a write of this request (``WROTE``)."""
    session = db.session()
    mapper = inspect(instance).mapper
    columns = {column.key: mapper.get_property_by_column(column).key
               for column in mapper.local_table.columns}
    values = {column: instance.__dict__[key] for column, key in columns.items()
              if key in instance.__dict__}
    # A parent given as an object (``Registration(event=event)``) gives its key, as a flush
    # would.
    for relationship in mapper.relationships:
        parent = instance.__dict__.get(relationship.key)
        if relationship.direction is MANYTOONE and parent is not None:
            for local, remote in relationship.local_remote_pairs:
                values[local.key] = getattr(parent, remote.key)
    # Values as parameters, not in the statement: its compiled form is cached by their names.
    result = session.execute(insert(mapper.local_table), values)
    session.info[WROTE] = True
    for column, value in result.last_inserted_params().items():
        setattr(instance, columns[column], value)
    for column, value in zip(mapper.local_table.primary_key, result.inserted_primary_key,
                             strict=True):
        setattr(instance, columns[column.key], value)
    make_transient_to_detached(instance)
    session.add(instance)


def init_unit_of_work(app: Flask) -> None:
    """Wrap every view of ``app`` (call after the blueprints are registered)."""
    factory = db.session.session_factory
    for name, listener in (("after_flush", _note_flush), ("after_commit", _forget_writes),
                           ("after_soft_rollback", _forget_writes)):
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = unit_of_work(view)
