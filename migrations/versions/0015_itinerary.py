"""A study trip's itinerary: its days (heading, where the group sleeps) and each day's stops
(time at the stop, place, host, what is learned, transport, meals, walking and steps).

Revision ID: 0015_itinerary
Revises: 0014_sms
Create Date: 2026-12-04 00:30:08.232215

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_itinerary'
down_revision = '0014_sms'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trip_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('title_et', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('overnight_et', sa.String(length=300), nullable=False),
    sa.Column('overnight_en', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_trip_day_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_day')),
    sa.UniqueConstraint('event_id', 'day', name='uq_trip_day_event_day')
    )
    with op.batch_alter_table('trip_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_day_event_id'), ['event_id'], unique=False)

    op.create_table('trip_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.Time(), nullable=False),
    sa.Column('place_et', sa.String(length=200), nullable=False),
    sa.Column('place_en', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('map_url', sa.String(length=500), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('learning_et', sa.Text(), nullable=False),
    sa.Column('learning_en', sa.Text(), nullable=False),
    sa.Column('transport_et', sa.String(length=300), nullable=False),
    sa.Column('transport_en', sa.String(length=300), nullable=False),
    sa.Column('meals_et', sa.String(length=300), nullable=False),
    sa.Column('meals_en', sa.String(length=300), nullable=False),
    sa.Column('walking_m', sa.Integer(), nullable=True),
    sa.Column('step_free', sa.Enum('yes', 'partly', 'no', 'unknown', name='stepfree', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('access_note_et', sa.String(length=500), nullable=False),
    sa.Column('access_note_en', sa.String(length=500), nullable=False),
    sa.CheckConstraint('walking_m IS NULL OR walking_m >= 0', name=op.f('ck_trip_stop_walking_not_negative')),
    sa.ForeignKeyConstraint(['day_id'], ['trip_day.id'], name=op.f('fk_trip_stop_day_id_trip_day'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_stop'))
    )
    with op.batch_alter_table('trip_stop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_stop_day_id'), ['day_id'], unique=False)



def downgrade():
    with op.batch_alter_table('trip_stop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_stop_day_id'))

    op.drop_table('trip_stop')
    with op.batch_alter_table('trip_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_day_event_id'))

    op.drop_table('trip_day')
