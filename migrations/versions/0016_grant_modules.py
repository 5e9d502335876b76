"""Knowledge modules a grant funds

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 12:57:08.623924

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grant_modules',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_modules_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_grant_modules_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grant_id', 'module_id', name=op.f('pk_grant_modules'))
    )


def downgrade():
    op.drop_table('grant_modules')
