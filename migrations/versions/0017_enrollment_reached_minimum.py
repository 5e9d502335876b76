"""Whether each participant reached the minimum attendance, settled at completion

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 12:58:54.601642

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reached_minimum', sa.Boolean(), nullable=True))
    # Settle the programmes completed before this column existed, by the rule attendance uses:
    # attended (present or late) over the scheduled sessions not excused reaches the minimum.
    op.execute(sa.text(BACKFILL))


BACKFILL = """
UPDATE enrollments SET reached_minimum = (
    (SELECT count(*) FROM sessions s WHERE s.programme_id = enrollments.programme_id
        AND s.status = 'scheduled')
  - (SELECT count(*) FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
        WHERE m.enrollment_id = enrollments.id AND s.status = 'scheduled'
        AND m.mark = 'excused') > 0
  AND (SELECT count(*) FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
        WHERE m.enrollment_id = enrollments.id AND s.status = 'scheduled'
        AND m.mark IN ('present', 'late')) * 100
   >= (SELECT p.min_attendance_percent FROM programmes p WHERE p.id = enrollments.programme_id)
    * ((SELECT count(*) FROM sessions s WHERE s.programme_id = enrollments.programme_id
        AND s.status = 'scheduled')
     - (SELECT count(*) FROM attendance_marks m JOIN sessions s ON s.id = m.session_id
        WHERE m.enrollment_id = enrollments.id AND s.status = 'scheduled'
        AND m.mark = 'excused')))
WHERE status = 'confirmed'
  AND programme_id IN (SELECT id FROM programmes WHERE state = 'completed')
"""


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('reached_minimum')

