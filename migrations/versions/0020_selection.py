"""Selection of applicants: named criteria per event, each reviewer's scores, the organisers'
review of an application (partner, target-group organisation, shortlisted, note) and seat quotas
per partner.

Revision ID: 0020_selection
Revises: 0019_trip_report
Create Date: 2026-12-04 03:59:12.609219

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_selection'
down_revision = '0019_trip_report'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_quota',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats >= 0', name=op.f('ck_partner_quota_seats_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_partner_quota_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_partner_quota_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_quota')),
    sa.UniqueConstraint('event_id', 'organisation_id', name='uq_partner_quota_once')
    )
    with op.batch_alter_table('partner_quota', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_quota_event_id'), ['event_id'], unique=False)

    op.create_table('selection_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_et', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_et', sa.String(length=500), nullable=False),
    sa.Column('description_en', sa.String(length=500), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_score BETWEEN 1 AND 10', name=op.f('ck_selection_criterion_max_score_range')),
    sa.CheckConstraint('weight BETWEEN 1 AND 5', name=op.f('ck_selection_criterion_weight_range')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_selection_criterion_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selection_criterion'))
    )
    with op.batch_alter_table('selection_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_criterion_event_id'), ['event_id'], unique=False)

    op.create_table('application_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('target_group_org', sa.Boolean(), nullable=True),
    sa.Column('shortlisted', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'], name=op.f('fk_application_review_partner_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_application_review_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_review')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_application_review_registration_id'))
    )
    op.create_table('application_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_application_score_score_not_negative')),
    sa.ForeignKeyConstraint(['criterion_id'], ['selection_criterion.id'], name=op.f('fk_application_score_criterion_id_selection_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_application_score_registration_id_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['staff_user.id'], name=op.f('fk_application_score_reviewer_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_score')),
    sa.UniqueConstraint('registration_id', 'criterion_id', 'reviewer_id', name='uq_application_score_once')
    )
    with op.batch_alter_table('application_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_score_registration_id'), ['registration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('application_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_score_registration_id'))
        batch_op.drop_index(batch_op.f('ix_application_score_criterion_id'))

    op.drop_table('application_score')
    op.drop_table('application_review')
    with op.batch_alter_table('selection_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_criterion_event_id'))

    op.drop_table('selection_criterion')
    with op.batch_alter_table('partner_quota', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_quota_event_id'))

    op.drop_table('partner_quota')
