"""reports keep integrity flags as data ({kind, question, follow_up, value}), not English sentences

Revision ID: 0009_flags
Revises: 0008_insights
Create Date: 2026-12-07 14:30:00.000000

Flags written before this revision are English sentences in three known shapes; each is read
once, here, into its data form. A sentence of any other shape is kept as it is (the report shows
such text as stored). Downgrading writes the English sentences back.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_flags'
down_revision = '0008_insights'
branch_labels = None
depends_on = None

LABEL = r"Question (?P<question>\d+)(?P<follow_up> \(follow-up\))?"
SHAPES = {
    "pasted": re.compile(LABEL + r": (?P<value>\d+)% of the answer was pasted\."),
    "tabs": re.compile(LABEL + r": (?P<value>\d+) tab switch(?:es)? while answering\."),
    "too_fast": re.compile(
        LABEL + r": typed at (?P<value>\d+) characters per second \(implausibly fast\)\."
    ),
}
WORDING = {
    "pasted": "{label}: {value}% of the answer was pasted.",
    "tabs": "{label}: {value} tab {noun} while answering.",
    "too_fast": "{label}: typed at {value} characters per second (implausibly fast).",
}

reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("integrity_flags", sa.JSON))


def as_data(flag):
    if not isinstance(flag, str):
        return flag
    for kind, shape in SHAPES.items():
        match = shape.fullmatch(flag)
        if match:
            return {
                "kind": kind,
                "question": int(match["question"]),
                "follow_up": match["follow_up"] is not None,
                "value": int(match["value"]),
            }
    return flag


def as_sentence(flag):
    if isinstance(flag, str) or flag.get("kind") not in WORDING:
        return flag if isinstance(flag, str) else str(flag)
    label = f"Question {flag['question']}" + (" (follow-up)" if flag.get("follow_up") else "")
    noun = "switch" if flag["value"] == 1 else "switches"
    return WORDING[flag["kind"]].format(label=label, value=flag["value"], noun=noun)


def rewrite(convert):
    bind = op.get_bind()
    rows = bind.execute(sa.select(reports.c.id, reports.c.integrity_flags)).all()
    for report_id, flags in rows:
        if not flags:
            continue
        converted = [convert(flag) for flag in flags]
        if converted != flags:
            bind.execute(
                reports.update()
                .where(reports.c.id == report_id)
                .values(integrity_flags=converted)
            )


def upgrade():
    rewrite(as_data)


def downgrade():
    rewrite(as_sentence)
