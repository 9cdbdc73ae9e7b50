"""Outgoing SMS: short messages to people without e-mail (when an SMS provider is set), queued
with the change they tell about and sent by the worker.

Revision ID: 0014_sms
Revises: 0013_groups
Create Date: 2026-12-03 21:14:56.325942

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_sms'
down_revision = '0013_groups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('to_number', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('pending', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'failed', name='smsstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_outgoing_sms_event_id_event'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_outgoing_sms_registration_id_registration'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_sms'))
    )
    with op.batch_alter_table('outgoing_sms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_sms_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_sms_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('ix_outgoing_sms_status_due', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('outgoing_sms', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_sms_status_due')
        batch_op.drop_index(batch_op.f('ix_outgoing_sms_registration_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_sms_event_id'))

    op.drop_table('outgoing_sms')
