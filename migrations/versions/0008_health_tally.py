"""Counts of health answers kept after the retention purge deletes the answers themselves.

Revision ID: 0008_health_tally
Revises: 0007_session_version
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_health_tally"
down_revision = "0007_session_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "health_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("checked_in", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name=op.f("fk_health_tally_event_id_event"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_tally")),
        sa.UniqueConstraint("event_id", "dimension", "value",
                            name=op.f("uq_health_tally_event_id_dimension_value")),
    )
    with op.batch_alter_table("health_tally", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_health_tally_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("health_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_health_tally_event_id"))
    op.drop_table("health_tally")
