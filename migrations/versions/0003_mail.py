"""Mail: the SEQUENCE of each queued calendar, and the record of one-off notices (reminders,
thank-yous) that makes them go out exactly once.

Revision ID: 0003_mail
Revises: 0002_feedback
Create Date: 2026-11-26 06:51:58.655130

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_mail"
down_revision = "0002_feedback"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration_notice',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_registration_notice_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'kind', name=op.f('pk_registration_notice'))
    )
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_column('calendar_sequence')

    op.drop_table('registration_notice')
