"""The seats an event has given, kept on the event by triggers on ``registration``.

A registration's seat decision read a grouped count of the event's registrations, which grows
with the event; ``event.seats_taken`` now holds the figure, filled from the registrations here
and kept by the database on every insert, status or seats change and delete (the same
triggers as ``koosloome.registrations.seat_counter`` creates with the table).

Revision ID: 0027_event_seats_taken
Revises: 0026_cost_documents
Create Date: 2026-12-04 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_event_seats_taken'
down_revision = '0026_cost_documents'
branch_labels = None
depends_on = None

SEAT_STATUSES = "('confirmed', 'offered')"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER registration_seats_insert AFTER INSERT ON registration
WHEN NEW.status IN {SEAT_STATUSES}
BEGIN
  UPDATE event SET seats_taken = seats_taken + NEW.seats WHERE id = NEW.event_id;
END""",
    f"""CREATE TRIGGER registration_seats_delete AFTER DELETE ON registration
WHEN OLD.status IN {SEAT_STATUSES}
BEGIN
  UPDATE event SET seats_taken = seats_taken - OLD.seats WHERE id = OLD.event_id;
END""",
    f"""CREATE TRIGGER registration_seats_update
AFTER UPDATE OF status, seats, event_id ON registration
WHEN OLD.status IN {SEAT_STATUSES} OR NEW.status IN {SEAT_STATUSES}
BEGIN
  UPDATE event SET seats_taken = seats_taken - OLD.seats
    WHERE id = OLD.event_id AND OLD.status IN {SEAT_STATUSES};
  UPDATE event SET seats_taken = seats_taken + NEW.seats
    WHERE id = NEW.event_id AND NEW.status IN {SEAT_STATUSES};
END""",
)

POSTGRESQL_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION registration_seats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.status IN {SEAT_STATUSES} THEN
      UPDATE event SET seats_taken = seats_taken - OLD.seats WHERE id = OLD.event_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.status IN {SEAT_STATUSES} THEN
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


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats_taken', sa.Integer(), server_default='0',
                                      nullable=False))
    op.execute(f"""UPDATE event SET seats_taken = COALESCE((
        SELECT SUM(registration.seats) FROM registration
        WHERE registration.event_id = event.id AND registration.status IN {SEAT_STATUSES}), 0)""")
    dialect = op.get_bind().dialect.name
    for statement in {'sqlite': SQLITE_TRIGGERS, 'postgresql': POSTGRESQL_TRIGGERS}[dialect]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS registration_seats ON registration')
        op.execute('DROP FUNCTION IF EXISTS registration_seats()')
    else:
        for name in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS registration_seats_{name}')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('seats_taken')
