"""Expressions of interest, their notes, and when a partnership started under which agreement

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 14:31:36.345131

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataspace_id', sa.Integer(), nullable=True),
    sa.Column('partner_dataspace_id', sa.Integer(), nullable=True),
    sa.Column('passed_from_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('organisation_kind', sa.Enum('university', 'research-centre', 'statistics-office', 'government', 'ngo', 'international-organization', 'foundation', 'company', 'other', name='institution_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_role', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('offers', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('new', 'in-conversation', 'agreed', 'declined', name='interest_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('converted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_interests_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dataspace_id'], ['dataspaces.id'], name=op.f('fk_interests_dataspace_id_dataspaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_interests_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_dataspace_id'], ['dataspaces.id'], name=op.f('fk_interests_partner_dataspace_id_dataspaces'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['passed_from_id'], ['dataspaces.id'], name=op.f('fk_interests_passed_from_id_dataspaces'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interests'))
    )
    with op.batch_alter_table('interests', schema=None) as batch_op:
        batch_op.create_index('ix_interests_dataspace_status', ['dataspace_id', 'status'], unique=False)

    op.create_table('interest_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_interest_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interest_id'], ['interests.id'], name=op.f('fk_interest_notes_interest_id_interests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_notes'))
    )
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('agreement_reference', sa.String(length=100), nullable=True))



def downgrade():
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_column('agreement_reference')
        batch_op.drop_column('starts_on')

    op.drop_table('interest_notes')
    with op.batch_alter_table('interests', schema=None) as batch_op:
        batch_op.drop_index('ix_interests_dataspace_status')

    op.drop_table('interests')
