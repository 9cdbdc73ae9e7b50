"""The project record and its cost ledger: the project (name, number, period, lead partner),
each partner's budget and LEADER support, budget lines, indicator targets, and one table of
costs for every event, trip and arrangement. A board's participants may leave an address
for news of what comes of the ideas (with the time of their consent).

The costs that were kept elsewhere move into the ledger: a trip's costs (meals become
catering), what each arrangement costs, and any actual cost typed on an event beyond those
(as one "other" cost). Each is booked on the event's organiser, dated the event's first day
in Estonia, on no budget line (there is no project yet). Going back, a trip's own costs
return to ``trip_cost``; the events keep their actual cost.

Revision ID: 0023_project
Revises: 0022_actions
Create Date: 2026-12-04 07:31:15.218796

"""
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_project'
down_revision = '0022_actions'
branch_labels = None
depends_on = None

TALLINN = ZoneInfo("Europe/Tallinn")
#: What an arrangement's cost is in the ledger (others: "other").
ARRANGEMENT_CATEGORIES = {"sign_language": "interpreting", "captions": "interpreting",
                          "audio_description": "interpreting", "large_print": "materials",
                          "easy_read": "materials", "braille": "materials"}
OLD_TRIP_CATEGORIES = {"transport", "accommodation", "meals", "hosts", "insurance", "other"}

event_t = sa.table("event", sa.column("id", sa.Integer), sa.column("organisation_id", sa.Integer),
                   sa.column("starts_at", sa.String), sa.column("actual_cost", sa.Numeric),
                   sa.column("kind", sa.String))
trip_cost_t = sa.table("trip_cost", sa.column("event_id", sa.Integer),
                       sa.column("category", sa.String), sa.column("amount", sa.Numeric),
                       sa.column("supplier", sa.String), sa.column("note", sa.String),
                       sa.column("created_at", sa.DateTime(timezone=True)),
                       sa.column("updated_at", sa.DateTime(timezone=True)))
arrangement_t = sa.table("arrangement", sa.column("id", sa.Integer),
                         sa.column("event_id", sa.Integer), sa.column("kind", sa.String),
                         sa.column("cost", sa.Numeric), sa.column("supplier", sa.String))
cost_t = sa.table("cost", sa.column("organisation_id", sa.Integer),
                  sa.column("event_id", sa.Integer), sa.column("arrangement_id", sa.Integer),
                  sa.column("spent_on", sa.Date), sa.column("amount", sa.Numeric),
                  sa.column("category", sa.String), sa.column("supplier", sa.String),
                  sa.column("note", sa.String),
                  sa.column("created_at", sa.DateTime(timezone=True)),
                  sa.column("updated_at", sa.DateTime(timezone=True)))


def _local_day(value):
    """The day in Estonia of a stored instant (text on SQLite, a datetime on PostgreSQL)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TALLINN).date()


def _move_costs_into_the_ledger():
    connection = op.get_bind()
    now = datetime.now(UTC)
    events = {row.id: row for row in connection.execute(sa.select(event_t))}
    rows, booked = [], {}
    for cost in connection.execute(sa.select(trip_cost_t)):
        event = events[cost.event_id]
        rows.append({"organisation_id": event.organisation_id, "event_id": event.id,
                     "arrangement_id": None, "spent_on": _local_day(event.starts_at),
                     "amount": cost.amount,
                     "category": "catering" if cost.category == "meals" else cost.category,
                     "supplier": cost.supplier, "note": cost.note,
                     "created_at": cost.created_at, "updated_at": cost.updated_at})
        booked[event.id] = booked.get(event.id, Decimal(0)) + Decimal(cost.amount)
    for arrangement in connection.execute(
            sa.select(arrangement_t).where(arrangement_t.c.cost.is_not(None))):
        event = events[arrangement.event_id]
        rows.append({"organisation_id": event.organisation_id, "event_id": event.id,
                     "arrangement_id": arrangement.id, "spent_on": _local_day(event.starts_at),
                     "amount": arrangement.cost,
                     "category": ARRANGEMENT_CATEGORIES.get(arrangement.kind, "other"),
                     "supplier": arrangement.supplier or "", "note": "",
                     "created_at": now, "updated_at": now})
        booked[event.id] = booked.get(event.id, Decimal(0)) + Decimal(arrangement.cost)
    for event in events.values():
        rest = Decimal(event.actual_cost or 0) - booked.get(event.id, Decimal(0))
        if rest > 0:
            rows.append({"organisation_id": event.organisation_id, "event_id": event.id,
                         "arrangement_id": None, "spent_on": _local_day(event.starts_at),
                         "amount": rest, "category": "other", "supplier": "",
                         "note": "Sündmuse tegelik kulu, nagu see enne kuluarvestust sisestati",
                         "created_at": now, "updated_at": now})
    if rows:
        op.bulk_insert(cost_t, rows)
    # The ledger is the truth from now on: each event's actual cost is its costs' sum (the
    # old paths could leave it below, e.g. a trip's costs without its arrangements').
    op.execute(sa.text(
        "UPDATE event SET actual_cost = (SELECT SUM(cost.amount) FROM cost "
        "WHERE cost.event_id = event.id) WHERE id IN (SELECT event_id FROM cost)"))


def _return_trip_costs():
    connection = op.get_bind()
    trips = sa.select(event_t.c.id).where(event_t.c.kind == "study_trip")
    rows = [{"event_id": cost.event_id,
             "category": "meals" if cost.category == "catering" else
             cost.category if cost.category in OLD_TRIP_CATEGORIES else "other",
             "amount": cost.amount, "supplier": cost.supplier, "note": cost.note,
             "created_at": cost.created_at, "updated_at": cost.updated_at}
            for cost in connection.execute(sa.select(cost_t).where(
                cost_t.c.event_id.in_(trips), cost_t.c.arrangement_id.is_(None)))]
    if rows:
        op.bulk_insert(trip_cost_t, rows)


def upgrade():
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_et', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('lead_partner_id', sa.Integer(), nullable=True),
    sa.Column('note_et', sa.Text(), nullable=False),
    sa.Column('note_en', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_project_period_in_order')),
    sa.ForeignKeyConstraint(['lead_partner_id'], ['organisation.id'], name=op.f('fk_project_lead_partner_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    op.create_table('indicator_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.Enum('events_held', 'participants', 'target_group_participants', 'organisations', 'actions_started', 'services_launched', name='indicator', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.CheckConstraint('target >= 0', name=op.f('ck_indicator_target_target_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_indicator_target_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_target')),
    sa.UniqueConstraint('project_id', 'indicator', name=op.f('uq_indicator_target_project_id_indicator'))
    )
    op.create_table('project_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('leader_support', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.CheckConstraint('budget >= 0', name=op.f('ck_project_partner_budget_not_negative')),
    sa.CheckConstraint('leader_support IS NULL OR (leader_support >= 0 AND leader_support <= budget)', name=op.f('ck_project_partner_support_within_budget')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_project_partner_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_partner_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_partner')),
    sa.UniqueConstraint('project_id', 'organisation_id', name=op.f('uq_project_partner_project_id_organisation_id'))
    )
    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_partner_project_id'), ['project_id'], unique=False)

    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('name_et', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('planned', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('event_kind', sa.Enum('seminar', 'workshop', 'study_trip', name='eventkind', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('planned >= 0', name=op.f('ck_budget_line_planned_not_negative')),
    sa.ForeignKeyConstraint(['partner_id'], ['project_partner.id'], name=op.f('fk_budget_line_partner_id_project_partner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_partner_id'), ['partner_id'], unique=False)

    op.create_table('cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('budget_line_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('arrangement_id', sa.Integer(), nullable=True),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('category', sa.Enum('venue', 'catering', 'interpreting', 'transport', 'speakers', 'travel', 'accommodation', 'hosts', 'insurance', 'materials', 'other', name='costcategory', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_cost_amount_not_negative')),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_cost_arrangement_id_arrangement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['budget_line_id'], ['budget_line.id'], name=op.f('fk_cost_budget_line_id_budget_line'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_cost_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_cost_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_cost_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost')),
    sa.UniqueConstraint('arrangement_id', name=op.f('uq_cost_arrangement_id'))
    )
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_budget_line_id'), ['budget_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('board_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updates_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('updates_language', sa.String(length=5), nullable=False,
                                      server_default='et'))
        batch_op.add_column(sa.Column('updates_consent_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('updates_nonce', sa.String(length=32), nullable=True))
    with op.batch_alter_table('board_participant', schema=None) as batch_op:
        batch_op.alter_column('updates_language', server_default=None)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('actual_cost', type_=sa.Numeric(precision=12, scale=2),
                              existing_type=sa.Numeric(precision=10, scale=2),
                              existing_nullable=True)
    _move_costs_into_the_ledger()
    with op.batch_alter_table('trip_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_cost_event_id'))

    op.drop_table('trip_cost')


def downgrade():
    op.create_table('trip_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=13), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('transport', 'accommodation', 'meals', 'hosts', 'insurance', 'other')", name=op.f('ck_trip_cost_costcategory')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_trip_cost_amount_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_trip_cost_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_cost'))
    )
    with op.batch_alter_table('trip_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_cost_event_id'), ['event_id'], unique=False)

    _return_trip_costs()
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('actual_cost', type_=sa.Numeric(precision=10, scale=2),
                              existing_type=sa.Numeric(precision=12, scale=2),
                              existing_nullable=True)
    with op.batch_alter_table('board_participant', schema=None) as batch_op:
        batch_op.drop_column('updates_nonce')
        batch_op.drop_column('updates_consent_at')
        batch_op.drop_column('updates_language')
        batch_op.drop_column('updates_email')
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_cost_event_id'))
        batch_op.drop_index(batch_op.f('ix_cost_budget_line_id'))

    op.drop_table('cost')
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_partner_id'))

    op.drop_table('budget_line')
    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_partner_project_id'))

    op.drop_table('project_partner')
    op.drop_table('indicator_target')
    op.drop_table('project')
