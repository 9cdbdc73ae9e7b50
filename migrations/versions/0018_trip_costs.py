"""A trip's money: the cost per traveller and their own part (shown before they accept), and
the actual costs by category, whose sum is the event's actual cost.

Revision ID: 0018_trip_costs
Revises: 0017_travel_details
Create Date: 2026-12-04 01:36:35.644690

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_trip_costs'
down_revision = '0017_travel_details'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trip_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('transport', 'accommodation', 'meals', 'hosts', 'insurance', 'other', name='costcategory', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_trip_cost_amount_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_trip_cost_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_cost'))
    )
    with op.batch_alter_table('trip_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_cost_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_per_person', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('own_contribution', sa.Numeric(precision=10, scale=2), nullable=True))



def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('own_contribution')
        batch_op.drop_column('cost_per_person')

    with op.batch_alter_table('trip_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_cost_event_id'))

    op.drop_table('trip_cost')
