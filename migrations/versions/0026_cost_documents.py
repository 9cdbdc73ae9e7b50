"""A cost's invoice or receipt: a stored file of its own, for the payment claim.

Going back leaves the documents' stored files without an owner; ``flask files sweep``
removes them.

Revision ID: 0026_cost_documents
Revises: 0025_announcements
Create Date: 2026-12-04 08:29:41.510566

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_cost_documents'
down_revision = '0025_announcements'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_cost_document_id'), ['document_id'])
        batch_op.create_foreign_key(batch_op.f('fk_cost_document_id_stored_file'),
                                    'stored_file', ['document_id'], ['id'], ondelete='RESTRICT')



def downgrade():
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cost_document_id_stored_file'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_cost_document_id'), type_='unique')
        batch_op.drop_column('document_id')

