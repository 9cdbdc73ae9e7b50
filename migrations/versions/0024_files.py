"""Files: stored_file (the checked bytes of an upload, by a random key, with the detected type,
size, SHA-256 and uploader) and event_file (an event's or trip's material, photo or signed
attendance scan; only materials may be shared with the participants).

Revision ID: 0024_files
Revises: 0023_project
Create Date: 2026-12-04 07:52:00.920957

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_files'
down_revision = '0023_project'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['staff_user.id'], name=op.f('fk_stored_file_uploaded_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_file_key'))
    )
    op.create_table('event_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('material', 'photo', 'attendance_scan', name='eventfilekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('shared_with_participants', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'material' OR NOT shared_with_participants", name=op.f('ck_event_file_only_materials_shared')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_file_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_event_file_stored_file_id_stored_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_file')),
    sa.UniqueConstraint('stored_file_id', name=op.f('uq_event_file_stored_file_id'))
    )
    with op.batch_alter_table('event_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_file_event_id'), ['event_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_file_event_id'))

    op.drop_table('event_file')
    op.drop_table('stored_file')
