"""Programmes co-organised by several Data Spaces

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 12:55:30.244489

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_co_organisers',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('dataspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dataspace_id'], ['dataspaces.id'], name=op.f('fk_programme_co_organisers_dataspace_id_dataspaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_co_organisers_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'dataspace_id', name=op.f('pk_programme_co_organisers'))
    )


def downgrade():
    op.drop_table('programme_co_organisers')
