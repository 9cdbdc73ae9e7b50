"""Group registration: the contact who registers several people (with the consent declaration
they made), each member's link to their group, and a companion's own needs or diet.

Revision ID: 0013_groups
Revises: 0012_call_tasks
Create Date: 2026-12-03 20:36:19.829103

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_groups'
down_revision = '0012_call_tasks'
branch_labels = None
depends_on = None

OLD_CHECK = ("email IS NOT NULL OR phone IS NOT NULL OR source = 'walk_in' "
             "OR anonymised_at IS NOT NULL")
NEW_CHECK = ("email IS NOT NULL OR phone IS NOT NULL OR source = 'walk_in' "
             "OR group_id IS NOT NULL OR anonymised_at IS NOT NULL")


def upgrade():
    op.create_table('registration_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_organisation', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('declaration', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('manage_nonce', sa.String(length=32), nullable=False),
    sa.Column('manage_token_hash', sa.String(length=64), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_group_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_group')),
    sa.UniqueConstraint('manage_token_hash', name=op.f('uq_registration_group_manage_token_hash'))
    )
    with op.batch_alter_table('registration_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_group_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outgoing_email_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outgoing_email_group_id_registration_group'), 'registration_group', ['group_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('companion_needs', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_registration_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registration_group_id_registration_group'), 'registration_group', ['group_id'], ['id'], ondelete='SET NULL')
        # A group's members may have no contact of their own: the group's contact is theirs.
        batch_op.drop_constraint(op.f('ck_registration_email_or_phone'), type_='check')
        batch_op.create_check_constraint(op.f('ck_registration_email_or_phone'), NEW_CHECK)



def downgrade():
    # Members without contact of their own cannot stay without their group.
    op.execute("DELETE FROM registration WHERE group_id IS NOT NULL AND email IS NULL "
               "AND phone IS NULL AND source <> 'walk_in' AND anonymised_at IS NULL")
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registration_email_or_phone'), type_='check')
        batch_op.create_check_constraint(op.f('ck_registration_email_or_phone'), OLD_CHECK)
        batch_op.drop_constraint(batch_op.f('fk_registration_group_id_registration_group'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registration_group_id'))
        batch_op.drop_column('companion_needs')
        batch_op.drop_column('group_id')

    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outgoing_email_group_id_registration_group'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outgoing_email_group_id'))
        batch_op.drop_column('group_id')

    with op.batch_alter_table('registration_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_group_event_id'))

    op.drop_table('registration_group')
