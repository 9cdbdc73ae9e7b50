"""Call tasks: each message a person without an e-mail address would have received, to be read
to them on the phone, with the outcome of each call.

Revision ID: 0012_call_tasks
Revises: 0011_arrangements
Create Date: 2026-12-03 17:44:49.894124

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_call_tasks'
down_revision = '0011_arrangements'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.Enum('open', 'reached', 'no_answer', 'message_left', 'wrong_number', name='calloutcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_call_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_call_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_call_task_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_call_by_id'], ['staff_user.id'], name=op.f('fk_call_task_last_call_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_call_task_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_task'))
    )
    with op.batch_alter_table('call_task', schema=None) as batch_op:
        batch_op.create_index('ix_call_task_event_outcome', ['event_id', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_task_registration_id'), ['registration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('call_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_task_registration_id'))
        batch_op.drop_index('ix_call_task_event_outcome')

    op.drop_table('call_task')
