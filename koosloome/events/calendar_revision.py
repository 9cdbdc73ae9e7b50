"""The revision of what the public calendar feed shows, kept by the database itself.

The feed (``events.feed``) is built once per change and then served from a cache; it must
know, with one small query, whether anything it shows has changed. It shows rows of five
tables: the events, their venues (name, address, access facts), their organisers (name,
address), a trip's days and stops. Triggers on those tables raise
``content_revision.value`` of the row ``calendar`` with every insert, update and delete, in
the same transaction, whatever code (or SQL) made the change: a venue renamed changes the
revision as surely as an event cancelled. (The last changed time of the events would not:
a venue or a trip's stop has none, deletions leave no trace, and the clocks of two app
servers need not agree.)

One change is left out on purpose: the seats taken, which triggers on ``registration`` write
into ``event.seats_taken`` (``registrations.seat_counter``) with every registration. The
feed does not show them, and the revision must not move with every registration. An update
of the event that changes ``seats_taken`` and nothing else is the only one that does not
count; an update by the application also sets ``updated_at``, so it counts even then.

On PostgreSQL the triggers are deferred to the commit: a transaction takes the one counter
row last, after every other row it locks, so two transactions cannot wait on each other
through it.

The triggers are created with the tables (``create_all``, the tests) and by migration
``0030_calendar_revision``; this module and that migration must say the same.
"""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, ScalarSelect, String, Table, event, select
from sqlalchemy.orm import Mapped, mapped_column

from koosloome.accounts.models import Organisation
from koosloome.db import Base
from koosloome.events.models import Event, TripDay, TripStop
from koosloome.extensions import db
from koosloome.venues.models import Venue

#: The row of ``content_revision`` that counts the feed's changes.
CALENDAR = "calendar"
#: The tables whose rows the feed shows (a test holds this to what building the feed reads).
WATCHED = (Event.__table__, Venue.__table__, Organisation.__table__, TripDay.__table__,
           TripStop.__table__)

#: Raises the revision; creates the row when it is missing (an emptied table).
BUMP = ("INSERT INTO content_revision (name, value) VALUES ('calendar', 1) "
        "ON CONFLICT (name) DO UPDATE SET value = content_revision.value + 1")
#: An update of the event that is not the seat counter's own.
EVENT_CHANGED_SQLITE = "NEW.seats_taken = OLD.seats_taken OR NEW.updated_at IS NOT OLD.updated_at"
EVENT_CHANGED_POSTGRESQL = ("NEW.seats_taken = OLD.seats_taken "
                            "OR NEW.updated_at IS DISTINCT FROM OLD.updated_at")


class ContentRevision(Base):
    """A counter the database raises whenever what some public output shows has changed."""

    __tablename__ = "content_revision"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def sqlite_triggers(table: str) -> list[str]:
    """The SQLite triggers that raise the revision on every change of ``table``'s rows."""
    statements = []
    for change in ("INSERT", "UPDATE", "DELETE"):
        when = f"\nWHEN {EVENT_CHANGED_SQLITE}" if table == "event" and change == "UPDATE" else ""
        statements.append(f"CREATE TRIGGER calendar_revision_{table}_{change.lower()} "
                          f"AFTER {change} ON {table}{when}\nBEGIN\n  {BUMP};\nEND")
    return statements


POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION calendar_revision_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {BUMP};
  RETURN NULL;
END
$$"""


def postgresql_triggers(table: str) -> list[str]:
    """The PostgreSQL function and triggers (deferred to the commit) for ``table``."""
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    run = "EXECUTE FUNCTION calendar_revision_bump()"
    if table != "event":
        return [POSTGRESQL_FUNCTION,
                f"CREATE CONSTRAINT TRIGGER calendar_revision AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} {deferred} {run}"]
    return [POSTGRESQL_FUNCTION,
            f"CREATE CONSTRAINT TRIGGER calendar_revision AFTER INSERT OR DELETE ON event "
            f"{deferred} {run}",
            f"CREATE CONSTRAINT TRIGGER calendar_revision_update AFTER UPDATE ON event "
            f"{deferred} WHEN ({EVENT_CHANGED_POSTGRESQL}) {run}"]


def calendar_revision_query() -> ScalarSelect[int]:
    """The revision as a scalar subquery (NULL before the first change)."""
    return (select(ContentRevision.value).where(ContentRevision.name == CALENDAR)
            .scalar_subquery())


def current_revision() -> int:
    """The calendar's revision now (0 before anything was written)."""
    return db.session.scalar(select(calendar_revision_query())) or 0


def _install(table: Table) -> None:
    for statement in sqlite_triggers(table.name):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgresql_triggers(table.name):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


for _table in WATCHED:
    _install(_table)
