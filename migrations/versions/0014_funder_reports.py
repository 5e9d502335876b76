"""Funder reports built in the background

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 12:32:24.218480

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funder_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='build_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_funder_reports_file_id_stored_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_funder_reports_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_funder_reports_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funder_reports'))
    )
    with op.batch_alter_table('funder_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funder_reports_grant_id'), ['grant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('funder_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funder_reports_grant_id'))

    op.drop_table('funder_reports')
