"""Announcements (issue 19.4): subscribers (one row per address, case-insensitively unique;
double opt-in, unsubscribe and confirmation token hashes, when unsubscribed), announcements
(texts in Estonian and English, county filter, draft or sent) with the past events they are
limited to, and extra headers on outgoing e-mails (the one-click List-Unsubscribe).

Revision ID: 0025_announcements
Revises: 0024_files
Create Date: 2026-12-04 08:09:53.351900

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_announcements'
down_revision = "0024_files"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('county', sa.String(length=30), nullable=True),
    sa.Column('source', sa.Enum('site', 'registration', name='subscribersource', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_nonce', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=True),
    sa.Column('confirm_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriber')),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_subscriber_confirm_token_hash')),
    sa.UniqueConstraint('email_key', name=op.f('uq_subscriber_email_key')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_subscriber_token_hash'))
    )
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('subject_et', sa.String(length=300), nullable=False),
    sa.Column('body_et', sa.Text(), nullable=False),
    sa.Column('subject_en', sa.String(length=300), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('counties', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'sent', name='announcementstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_announcement_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_announcement_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['staff_user.id'], name=op.f('fk_announcement_sent_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement'))
    )
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('announcement_event',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], name=op.f('fk_announcement_event_announcement_id_announcement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_announcement_event_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'event_id', name=op.f('pk_announcement_event'))
    )
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_headers', sa.JSON(none_as_null=True), nullable=True))



def downgrade():
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_column('extra_headers')

    op.drop_table('announcement_event')
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_organisation_id'))

    op.drop_table('announcement')
    op.drop_table('subscriber')
