"""recordings: spoken answers' audio kept for AUDIO_RETENTION_DAYS

Revision ID: 0014_recordings
Revises: 0013_checked_values
Create Date: 2026-12-07 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_recordings'
down_revision = '0013_checked_values'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'recordings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=80), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('duration_s', sa.Double(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['question_id'], ['questions.id'],
            name=op.f('fk_recordings_question_id_questions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['session_id'], ['interview_sessions.id'],
            name=op.f('fk_recordings_session_id_interview_sessions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings')),
        sa.UniqueConstraint('file_name', name=op.f('uq_recordings_file_name')),
    )
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recordings_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recordings_session_id'))
        batch_op.drop_index(batch_op.f('ix_recordings_question_id'))
        batch_op.drop_index(batch_op.f('ix_recordings_expires_at'))
    op.drop_table('recordings')
