"""Staff sign-ins can be ended: a session version on each account, part of every sign-in.

Revision ID: 0007_session_version
Revises: 0006_outbox_claims
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_session_version"
down_revision = "0006_outbox_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade():
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
