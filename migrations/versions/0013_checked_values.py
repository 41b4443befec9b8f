"""statuses, kinds, answer modes and languages are kept to their vocabularies by CHECK constraints

Revision ID: 0013_checked_values
Revises: 0012_delivery
Create Date: 2026-12-07 18:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_checked_values'
down_revision = '0012_delivery'
branch_labels = None
depends_on = None

# Spelled out rather than imported: a migration must keep meaning what it meant when written.
SESSION_STATUSES = ("CREATED", "IN_PROGRESS", "COMPLETED", "EVALUATED")
LANGUAGES = ("en", "zh")
QUESTION_KINDS = ("technical", "behavioral", "project", "situational", "coding")
ANSWER_MODES = ("default", "code")
INVITE_STATUSES = ("Pending", "Started", "Completed", "Expired")

CHECKS = {
    "interview_sessions": (("status", SESSION_STATUSES), ("language", LANGUAGES)),
    "questions": (("kind", QUESTION_KINDS), ("answer_mode", ANSWER_MODES)),
    "question_attempts": (("answer_mode", ANSWER_MODES),),
    "interview_plans": (("language", LANGUAGES),),
    "invites": (("status", INVITE_STATUSES),),
}


def condition(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    # On SQLite a CHECK constraint means rebuilding the table (batch mode); migrations/env.py
    # turns foreign keys off meanwhile, so rebuilding a parent never cascades into its children.
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in checks:
                batch_op.create_check_constraint(f"ck_{table}_{column}", condition(column, values))


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _ in checks:
                batch_op.drop_constraint(f"ck_{table}_{column}", type_="check")
