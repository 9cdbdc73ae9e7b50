"""Offers with a deadline: an event may hold a freed or chosen seat for a person for some
hours (never past its cut-off) before it goes to the next in line; a registration gets the
statuses "offered" (holds the seat, counts as active) and "lapsed".

Revision ID: 0016_offers
Revises: 0015_itinerary
Create Date: 2026-12-04 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_offers'
down_revision = '0015_itinerary'
branch_labels = None
depends_on = None

OLD_STATUSES = ('confirmed', 'waitlisted', 'pending', 'rejected', 'cancelled')
NEW_STATUSES = ('confirmed', 'waitlisted', 'pending', 'offered', 'rejected', 'cancelled',
                'lapsed')
OLD_ACTIVE = "status IN ('confirmed', 'waitlisted', 'pending') AND email IS NOT NULL"
NEW_ACTIVE = "status IN ('confirmed', 'waitlisted', 'pending', 'offered') AND email IS NOT NULL"


def _status_check(statuses):
    return "status IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def _swap(statuses, active):
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_active_email')
        batch_op.drop_constraint(op.f('ck_registration_registrationstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_registration_registrationstatus'),
                                         _status_check(statuses))
        batch_op.create_index('uq_registration_active_email', ['event_id', 'email'],
                              unique=True, sqlite_where=sa.text(active),
                              postgresql_where=sa.text(active))


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offer_cutoff_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_event_offer_hours_positive'),
                                         'offer_hours IS NULL OR offer_hours > 0')

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True))
    _swap(NEW_STATUSES, NEW_ACTIVE)


def downgrade():
    # An open offer goes back to the waiting list it came from; a lapsed one was cancelled.
    op.execute("UPDATE registration SET status = 'waitlisted' WHERE status = 'offered'")
    op.execute("UPDATE registration SET status = 'cancelled' WHERE status = 'lapsed'")
    _swap(OLD_STATUSES, OLD_ACTIVE)
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('offer_expires_at')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_offer_hours_positive'), type_='check')
        batch_op.drop_column('offer_cutoff_at')
        batch_op.drop_column('offer_hours')
