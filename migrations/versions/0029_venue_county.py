"""The county a venue is in, so that the public list of events can be narrowed to a county.

Empty for the venues there are: nothing stored says which county they are in (an address
need not name it), so organisers state it on the venue's form; until then their events are
listed whenever no county is chosen.

Revision ID: 0029_venue_county
Revises: 0028_check_in_code
Create Date: 2026-12-04 11:24:09

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_venue_county'
down_revision = '0028_check_in_code'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('county', sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_column('county')
