"""The trip report: what was learned (overall and at each stop), whom the group met, what the
travellers will do next; published as the trip's "what we learned" page.

Revision ID: 0019_trip_report
Revises: 0018_trip_costs
Create Date: 2026-12-04 01:48:52.700561

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_trip_report'
down_revision = '0018_trip_costs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trip_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('summary_et', sa.Text(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('next_steps_et', sa.Text(), nullable=False),
    sa.Column('next_steps_en', sa.Text(), nullable=False),
    sa.Column('contacts', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_trip_report_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_report')),
    sa.UniqueConstraint('event_id', name=op.f('uq_trip_report_event_id'))
    )
    with op.batch_alter_table('trip_stop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('learned_et', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('learned_en', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('trip_stop', schema=None) as batch_op:
        batch_op.drop_column('learned_en')
        batch_op.drop_column('learned_et')

    op.drop_table('trip_report')
