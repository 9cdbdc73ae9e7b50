"""Travel details: what a trip needs from each traveller after they accept (name as in the
document, date of birth, document, emergency contact, EHIC, room, bus needs, diet); the
event's switches to ask for them and for the document's number.

Revision ID: 0017_travel_details
Revises: 0016_offers
Create Date: 2026-12-04 01:15:45.452372

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_travel_details'
down_revision = '0016_offers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('travel_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('document_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('document_type', sa.Enum('passport', 'id_card', name='documenttype', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('document_expiry', sa.Date(), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('emergency_name', sa.String(length=200), nullable=False),
    sa.Column('emergency_phone', sa.String(length=40), nullable=False),
    sa.Column('ehic', sa.Boolean(), nullable=True),
    sa.Column('room', sa.Enum('single', 'shared', 'either', name='roomchoice', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('room_with', sa.String(length=200), nullable=False),
    sa.Column('bus_needs', sa.String(length=500), nullable=False),
    sa.Column('diet', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_travel_details_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_travel_details_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_details')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_travel_details_registration_id'))
    )
    with op.batch_alter_table('travel_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_travel_details_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('travel_details', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('travel_document_number', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('travel_document_number')
        batch_op.drop_column('travel_details')

    with op.batch_alter_table('travel_details', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_travel_details_event_id'))

    op.drop_table('travel_details')
