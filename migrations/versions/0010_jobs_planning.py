"""sessions record when their questions were planned, and why planning failed

Revision ID: 0010_jobs
Revises: 0009_flags
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_jobs'
down_revision = '0009_flags'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interview_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('planning_error', sa.Text(), nullable=True))
    # Every session before this revision was planned when it was created.
    op.execute('UPDATE interview_sessions SET planned_at = created_at WHERE planned_at IS NULL')


def downgrade():
    with op.batch_alter_table('interview_sessions', schema=None) as batch_op:
        batch_op.drop_column('planning_error')
        batch_op.drop_column('planned_at')
