"""question_attempts: another try at a graded question, graded and compared with the last

Revision ID: 0011_attempts
Revises: 0010_jobs
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_attempts'
down_revision = '0010_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'question_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('answer_text', sa.Text(), nullable=False),
        sa.Column('answer_mode', sa.String(length=10), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('previous_score', sa.Integer(), nullable=False),
        sa.Column('feedback', sa.Text(), nullable=False),
        sa.Column('covered_points', sa.JSON(), nullable=False),
        sa.Column('missed_points', sa.JSON(), nullable=False),
        sa.Column('newly_covered', sa.JSON(), nullable=False),
        sa.Column('receipt', sa.JSON(), nullable=True),
        sa.Column('graded_by', sa.String(length=170), nullable=False),
        sa.Column('graded_with_fallback', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['question_id'], ['questions.id'],
            name=op.f('fk_question_attempts_question_id_questions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['session_id'], ['interview_sessions.id'],
            name=op.f('fk_question_attempts_session_id_interview_sessions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_attempts')),
        sa.UniqueConstraint(
            'question_id', 'number', name=op.f('uq_question_attempts_question_id_number')
        ),
    )
    with op.batch_alter_table('question_attempts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_question_attempts_question_id'), ['question_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_question_attempts_session_id'), ['session_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('question_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_attempts_session_id'))
        batch_op.drop_index(batch_op.f('ix_question_attempts_question_id'))
    op.drop_table('question_attempts')
