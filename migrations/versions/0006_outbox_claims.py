"""Outbox: a claim token per sending message (ownership, not only a lease), and a unique
Message-ID (empty or repeated ones of older rows get a fresh one first).

Revision ID: 0006_outbox_claims
Revises: 0005_outbox_pending
Create Date: 2026-12-03 07:00:00

"""
from email.utils import make_msgid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_outbox_claims"
down_revision = "0005_outbox_pending"
branch_labels = None
depends_on = None


def _backfill_message_ids() -> None:
    """Give every row without a Message-ID of its own a new one (a password-reset message
    had an empty one), so the unique index can be built."""
    connection = op.get_bind()
    outbox = sa.table("outgoing_email", sa.column("id", sa.Integer),
                      sa.column("message_id", sa.String))
    seen: set[str] = set()
    rows = connection.execute(sa.select(outbox.c.id, outbox.c.message_id).order_by(outbox.c.id))
    for row_id, message_id in list(rows):
        if message_id and message_id not in seen:
            seen.add(message_id)
            continue
        connection.execute(outbox.update().where(outbox.c.id == row_id)
                           .values(message_id=make_msgid(domain="koosloome.invalid")))


def upgrade():
    _backfill_message_ids()
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_outgoing_email_message_id"), ["message_id"])


def downgrade():
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_outgoing_email_message_id"), type_="unique")
        batch_op.drop_column("claim_token")
