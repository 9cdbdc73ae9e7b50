"""A trip's leader (a staff member): they alone, with admins, see the travellers' emergency
contacts.

Revision ID: 0021_trip_leader
Revises: 0020_selection
Create Date: 2026-12-04 04:35:53.820855

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_trip_leader'
down_revision = '0020_selection'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trip_leader_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_event_trip_leader_id_staff_user'), 'staff_user', ['trip_leader_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_trip_leader_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('trip_leader_id')

