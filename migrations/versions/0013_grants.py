"""Grants, their partners, Data Spaces, targets and programmes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:15:10.694537

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('description', sa.JSON(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('public', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_grants_grant_amount_not_negative')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_grants_grant_period_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('slug', name=op.f('uq_grants_slug'))
    )
    op.create_table('grant_dataspaces',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('dataspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dataspace_id'], ['dataspaces.id'], name=op.f('fk_grant_dataspaces_dataspace_id_dataspaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_dataspaces_grant_id_grants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grant_id', 'dataspace_id', name=op.f('pk_grant_dataspaces'))
    )
    op.create_table('grant_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('funder', 'implementing', name='grant_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_partners_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_grant_partners_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_partners')),
    sa.UniqueConstraint('grant_id', 'institution_id', 'role', name=op.f('uq_grant_partners_grant_id_institution_id_role'))
    )
    op.create_table('grant_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.Enum('programmes', 'countries', 'participants', 'certificates', 'women-share', 'languages', 'deliverable', name='target_measure', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('bound', sa.Enum('at-least', 'up-to', name='target_bound', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('programme_kind', sa.String(length=32), nullable=True),
    sa.Column('languages_csv', sa.String(length=40), nullable=True),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in-progress', 'delivered', name='deliverable_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_grant_targets_target_value_not_negative')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_targets_grant_id_grants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_targets'))
    )
    with op.batch_alter_table('grant_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_targets_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_programmes',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_programmes_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_grant_programmes_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grant_id', 'programme_id', name=op.f('pk_grant_programmes'))
    )
    with op.batch_alter_table('grant_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_programmes_programme_id'), ['programme_id'], unique=False)



def downgrade():
    with op.batch_alter_table('grant_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_programmes_programme_id'))

    op.drop_table('grant_programmes')
    with op.batch_alter_table('grant_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_targets_grant_id'))

    op.drop_table('grant_targets')
    op.drop_table('grant_partners')
    op.drop_table('grant_dataspaces')
    op.drop_table('grants')
