"""The seats an event has given, kept on the event by the database itself.

A registration decides its status with the event locked (``seating.lifecycle.lock_event``),
and needs the seats taken at that moment. Counting them (a grouped sum over the event's
registrations) costs more the fuller the event; so ``event.seats_taken`` holds the figure,
and triggers on ``registration`` keep it: every insert, status or seats change and delete of
a confirmed or offered registration moves it, in the same transaction, whatever code (or
SQL) made the change. The event's lock, taken before any seat decision, orders the updates.

The triggers are created with the table (``create_all``, the tests) and by migration
``0027_event_seats_taken``; this module and that migration must say the same.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

from koosloome.registrations.models import Registration

#: ``SEAT_STATUSES`` as the triggers spell them (a test holds the two together).
SEAT_STATUS_SQL = "('confirmed', 'offered')"

SQLITE_TRIGGERS = (
    """CREATE TRIGGER registration_seats_insert AFTER INSERT ON registration
WHEN NEW.status IN ('confirmed', 'offered')
BEGIN
  UPDATE event SET seats_taken = seats_taken + NEW.seats WHERE id = NEW.event_id;
END""",
    """CREATE TRIGGER registration_seats_delete AFTER DELETE ON registration
WHEN OLD.status IN ('confirmed', 'offered')
BEGIN
  UPDATE event SET seats_taken = seats_taken - OLD.seats WHERE id = OLD.event_id;
END""",
    """CREATE TRIGGER registration_seats_update
AFTER UPDATE OF status, seats, event_id ON registration
WHEN OLD.status IN ('confirmed', 'offered') OR NEW.status IN ('confirmed', 'offered')
BEGIN
  UPDATE event SET seats_taken = seats_taken - OLD.seats
    WHERE id = OLD.event_id AND OLD.status IN ('confirmed', 'offered');
  UPDATE event SET seats_taken = seats_taken + NEW.seats
    WHERE id = NEW.event_id AND NEW.status IN ('confirmed', 'offered');
END""",
)

POSTGRESQL_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION registration_seats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.status IN ('confirmed', 'offered') THEN
      UPDATE event SET seats_taken = seats_taken - OLD.seats WHERE id = OLD.event_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.status IN ('confirmed', 'offered') THEN
      UPDATE event SET seats_taken = seats_taken + NEW.seats WHERE id = NEW.event_id;
    END IF;
  END IF;
  RETURN NULL;
END
$$""",
    """CREATE TRIGGER registration_seats
AFTER INSERT OR DELETE OR UPDATE OF status, seats, event_id ON registration
FOR EACH ROW EXECUTE FUNCTION registration_seats()""",
)


def _install(table: Table) -> None:
    for statement in SQLITE_TRIGGERS:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_TRIGGERS:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


_install(Registration.__table__)
