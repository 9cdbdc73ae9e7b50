"""The revision of what the public calendar feed shows, kept by the database.

``content_revision`` holds counters the database raises when what some public output shows
has changed; its row ``calendar`` counts every insert, update and delete of the rows the
calendar feed shows (event, venue, organisation, trip_day, trip_stop), except an update of
the event that moves only the seats taken (the registration triggers of 0027 write those).
The feed is then built once per change and served from a cache (the same triggers as
``koosloome.events.calendar_revision`` creates with the tables). On PostgreSQL the triggers
are deferred to the commit, so the one counter row is always the last row a transaction
locks.

Revision ID: 0030_calendar_revision
Revises: 0029_venue_county
Create Date: 2026-12-04 11:28:18

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_calendar_revision'
down_revision = '0029_venue_county'
branch_labels = None
depends_on = None

TABLES = ('event', 'venue', 'organisation', 'trip_day', 'trip_stop')
BUMP = ("INSERT INTO content_revision (name, value) VALUES ('calendar', 1) "
        "ON CONFLICT (name) DO UPDATE SET value = content_revision.value + 1")
EVENT_CHANGED_SQLITE = "NEW.seats_taken = OLD.seats_taken OR NEW.updated_at IS NOT OLD.updated_at"
EVENT_CHANGED_POSTGRESQL = ("NEW.seats_taken = OLD.seats_taken "
                            "OR NEW.updated_at IS DISTINCT FROM OLD.updated_at")
POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION calendar_revision_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {BUMP};
  RETURN NULL;
END
$$"""


def sqlite_triggers(table):
    statements = []
    for change in ('INSERT', 'UPDATE', 'DELETE'):
        when = f"\nWHEN {EVENT_CHANGED_SQLITE}" if table == 'event' and change == 'UPDATE' else ''
        statements.append(f"CREATE TRIGGER calendar_revision_{table}_{change.lower()} "
                          f"AFTER {change} ON {table}{when}\nBEGIN\n  {BUMP};\nEND")
    return statements


def postgresql_triggers(table):
    deferred = 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
    run = 'EXECUTE FUNCTION calendar_revision_bump()'
    if table != 'event':
        return [f"CREATE CONSTRAINT TRIGGER calendar_revision AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} {deferred} {run}"]
    return [f"CREATE CONSTRAINT TRIGGER calendar_revision AFTER INSERT OR DELETE ON event "
            f"{deferred} {run}",
            f"CREATE CONSTRAINT TRIGGER calendar_revision_update AFTER UPDATE ON event "
            f"{deferred} WHEN ({EVENT_CHANGED_POSTGRESQL}) {run}"]


def upgrade():
    op.create_table('content_revision',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_content_revision'))
    )
    op.execute("INSERT INTO content_revision (name, value) VALUES ('calendar', 0)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        for table in TABLES:
            for statement in postgresql_triggers(table):
                op.execute(statement)
    else:
        for table in TABLES:
            for statement in sqlite_triggers(table):
                op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS calendar_revision ON {table}')
        op.execute('DROP TRIGGER IF EXISTS calendar_revision_update ON event')
        op.execute('DROP FUNCTION IF EXISTS calendar_revision_bump()')
    else:
        for table in TABLES:
            for change in ('insert', 'update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS calendar_revision_{table}_{change}')
    op.drop_table('content_revision')
