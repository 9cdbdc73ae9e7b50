"""Arrangements: what the organisers do about the needs people stated (one row per kind and
event), the volunteers who help, each person's pick-up, and the digests sent before events.

Revision ID: 0011_arrangements
Revises: 0010_age_bands
Create Date: 2026-12-03 16:44:22.922411

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_arrangements'
down_revision = '0010_age_bands'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('can_help_with', sa.Text(), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_volunteer_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer'))
    )
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('arrangement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('sign_language', 'captions', 'hearing_loop', 'step_free', 'front_seats', 'assistance_dog', 'large_print', 'easy_read', 'braille', 'files_in_advance', 'audio_description', 'quiet_room', 'rest_breaks', 'catering', 'transport', name='arrangementkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('to_arrange', 'requested', 'confirmed', 'done', 'impossible', name='arrangementstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_arrangement_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_id'], ['staff_user.id'], name=op.f('fk_arrangement_responsible_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_arrangement_volunteer_id_volunteer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangement')),
    sa.UniqueConstraint('event_id', 'kind', name=op.f('uq_arrangement_event_id_kind'))
    )
    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrangement_event_id'), ['event_id'], unique=False)

    op.create_table('arrangement_digest',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_arrangement_digest_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'days_before', name=op.f('pk_arrangement_digest'))
    )
    op.create_table('pickup',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('pickup_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_trip', sa.Boolean(), nullable=False),
    sa.Column('return_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accessible_vehicle', sa.Boolean(), nullable=False),
    sa.Column('driver_user_id', sa.Integer(), nullable=True),
    sa.Column('driver_volunteer_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['driver_user_id'], ['staff_user.id'], name=op.f('fk_pickup_driver_user_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['driver_volunteer_id'], ['volunteer.id'], name=op.f('fk_pickup_driver_volunteer_id_volunteer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_pickup_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_pickup'))
    )


def downgrade():
    op.drop_table('pickup')
    op.drop_table('arrangement_digest')
    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrangement_event_id'))

    op.drop_table('arrangement')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_organisation_id'))

    op.drop_table('volunteer')
