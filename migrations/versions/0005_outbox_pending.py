"""Outbox: messages queued unrendered (``pending`` holds their template values until the worker
renders them).

Revision ID: 0005_outbox_pending
Revises: 0004_boards
Create Date: 2026-11-26 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_outbox_pending"
down_revision = "0004_boards"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.drop_column("pending")
