"""The declarative base, shared column types and the per-connection database settings."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, Engine, Enum, MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from koosloome.sqlite_gate import WriterGate

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The largest id an INTEGER primary key holds (PostgreSQL's int4); larger numbers name no row.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores instants in UTC and always returns aware datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Refuse naive datetimes: a wall-clock time without a zone is ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC instants")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Give back an aware UTC datetime whatever the driver returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values."""
    return Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_cls),
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """The one declarative base of every Koosloome model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """``created_at`` / ``updated_at`` kept by the ORM."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- SQLite: WAL, foreign keys, busy timeout and write transactions -------------------------
#
# SQLite allows one writer at a time. A transaction that reads first and writes later can fail
# at once with "database is locked" when another writer committed in between, whatever the busy
# timeout. So a request that may write starts its transaction with BEGIN IMMEDIATE: it waits its
# turn (up to the busy timeout) instead of failing, and counts seats with the write lock held.

_write_intent: ContextVar[bool] = ContextVar("koosloome_write_intent", default=False)
_late_write_lock: ContextVar[bool] = ContextVar("koosloome_late_write_lock", default=False)
WriteIntentTokens = tuple[Token[bool], Token[bool]]
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def write_intent() -> Iterator[None]:
    """Within this block, new SQLite transactions take the write lock when they begin."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def late_write_lock(view: F) -> F:
    """Mark a view that writes only through services that lock first (``lock_event``).

    Its request starts read-only on SQLite, and the lock is taken where the service asks for
    it (``take_write_lock``): loading, form validation and rendering errors then run outside
    the one-writer section instead of making every other writer wait for them.
    """
    view.late_write_lock = True  # type: ignore[attr-defined]
    return view


def begin_write_intent(value: bool, *, late: bool = False) -> WriteIntentTokens:
    """Set write intent for a request (``late``: take the lock only when a service asks);
    give the tokens back to ``end_write_intent`` after it (server threads are reused, so the
    setting must not outlive the request)."""
    return _write_intent.set(value and not late), _late_write_lock.set(value and late)


def end_write_intent(tokens: WriteIntentTokens) -> None:
    """Restore the write intent that was in force before ``begin_write_intent``."""
    intent, late = tokens
    _late_write_lock.reset(late)
    _write_intent.reset(intent)


def take_write_lock(session: Session) -> bool:
    """SQLite: make sure the session's transaction holds the write lock; False if it cannot.

    In a ``late_write_lock`` request a transaction that has only read is ended (there is
    nothing to lose; objects read in it reload on access) and a BEGIN IMMEDIATE one begins,
    waiting its turn. A transaction that has written, or a session with unflushed changes,
    is never ended here.
    """
    connection = session.connection()
    if connection.info.get("write_locked"):
        return True
    if not _late_write_lock.get() or connection.info.get("wrote") or \
            session.new or session.dirty or session.deleted:
        return False
    session.rollback()
    with write_intent():
        session.connection()
    return True


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the per-connection settings and the BEGIN handling on an SQLite engine."""
    database = engine.url.database
    gate = WriterGate(database) if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = _write_intent.get()
        if immediate and gate is not None and not connection.info.get("gate"):
            connection.info["gate"] = gate.acquire(busy_timeout_ms / 1000)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        connection.info["write_locked"] = immediate
        connection.info["wrote"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # A deferred transaction that has written holds the lock: never end it quietly.
        if not statement.lstrip()[:6].upper().startswith(("SELECT", "BEGIN", "PRAGMA")):
            connection.info["wrote"] = True

    def _leave_gate(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        # After COMMIT or ROLLBACK: a session hands its connection back when its transaction
        # ends (the connection events fire before the COMMIT, too early to let the next in).
        gate_pass = record.info.pop("gate", None) if record is not None else None
        if gate is not None and gate_pass is not None:
            gate.release(gate_pass)

    event.listen(engine, "checkin", _leave_gate)
    event.listen(engine, "invalidate", _leave_gate)
