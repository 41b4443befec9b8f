"""jobs: job runs, grades stored as they are made, evaluation errors

Revision ID: 0006_jobs
Revises: 0005_session_version
Create Date: 2026-12-07 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_jobs'
down_revision = '0005_session_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_runs',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('lease_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_state'), ['state'], unique=False)

    with op.batch_alter_table('interview_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_error', sa.Text(), nullable=True))

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('graded_by', sa.String(length=170), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column(
                'graded_with_fallback', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column('grading_claimed_at', sa.DateTime(), nullable=True))

    # Questions of sessions evaluated before grades were stored one by one keep their grades.
    op.execute(
        "UPDATE questions SET graded_at = (SELECT evaluated_at FROM interview_sessions "
        "WHERE interview_sessions.id = questions.session_id) WHERE score IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('grading_claimed_at')
        batch_op.drop_column('graded_with_fallback')
        batch_op.drop_column('graded_by')
        batch_op.drop_column('graded_at')

    with op.batch_alter_table('interview_sessions', schema=None) as batch_op:
        batch_op.drop_column('evaluation_error')

    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_state'))
        batch_op.drop_index(batch_op.f('ix_job_runs_name'))

    op.drop_table('job_runs')
