"""A running job's last sign of life, so that another scheduler takes over a stopped one

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 15:35:42.598359

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('funder_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('funder_reports', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')

    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')

