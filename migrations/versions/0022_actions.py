"""Actions: what a workshop board's ideas became (what, owner, partner, target group, status
with the reason when dropped, next step, funding) and the ideas each came from.

Revision ID: 0022_actions
Revises: 0021_trip_leader
Create Date: 2026-12-04 04:51:22.009130

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_actions'
down_revision = '0021_trip_leader'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('target_group', sa.Enum('older', 'disabled', 'both', 'community', name='targetgroup', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('planned', 'started', 'running', 'done', 'dropped', name='actionstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('dropped_reason', sa.String(length=500), nullable=False),
    sa.Column('next_step', sa.String(length=500), nullable=False),
    sa.Column('next_step_on', sa.Date(), nullable=True),
    sa.Column('funding', sa.Enum('leader', 'esf', 'municipality', 'own', 'other', name='fundingsource', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status != 'dropped' OR dropped_reason != ''", name=op.f('ck_outcome_action_dropped_says_why')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_outcome_action_board_id_board'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_user_id'], ['staff_user.id'], name=op.f('fk_outcome_action_owner_user_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'], name=op.f('fk_outcome_action_partner_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_action'))
    )
    with op.batch_alter_table('outcome_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_action_board_id'), ['board_id'], unique=False)

    op.create_table('action_idea',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['outcome_action.id'], name=op.f('fk_action_idea_action_id_outcome_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_action_idea_idea_id_idea'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'idea_id', name=op.f('pk_action_idea'))
    )


def downgrade():
    op.drop_table('action_idea')
    with op.batch_alter_table('outcome_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_action_board_id'))

    op.drop_table('outcome_action')
