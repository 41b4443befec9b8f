"""ai_calls: one row per AI provider call (tokens, latency, outcome)

Revision ID: 0004_providers
Revises: 0003
Create Date: 2026-12-07 04:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_providers'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ai_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task', sa.String(length=40), nullable=False),
        sa.Column('provider', sa.String(length=40), nullable=False),
        sa.Column('model', sa.String(length=120), nullable=False),
        sa.Column('prompt_tokens', sa.Integer(), nullable=True),
        sa.Column('output_tokens', sa.Integer(), nullable=True),
        sa.Column('latency_ms', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=40), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['interview_sessions.id'], name=op.f('fk_ai_calls_session_id_interview_sessions'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_calls')),
    )
    with op.batch_alter_table('ai_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ai_calls_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ai_calls_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ai_calls_task'), ['task'], unique=False)


def downgrade():
    with op.batch_alter_table('ai_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ai_calls_task'))
        batch_op.drop_index(batch_op.f('ix_ai_calls_session_id'))
        batch_op.drop_index(batch_op.f('ix_ai_calls_created_at'))
    op.drop_table('ai_calls')
