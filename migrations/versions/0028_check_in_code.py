"""A registration's check-in QR code, stored: made once when the first message that carries
it is rendered, instead of for every message (segno's best-of-eight masks and the PNG took
more than half of each confirmation's delivery). Going back drops the codes; messages then
make them again as they are built.

Revision ID: 0028_check_in_code
Revises: 0027_event_seats_taken
Create Date: 2026-12-04 11:30:35

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_check_in_code'
down_revision = '0027_event_seats_taken'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'check_in_code',
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('png', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_check_in_code_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_check_in_code')),
    )


def downgrade():
    op.drop_table('check_in_code')
