"""The guarded claim that lets exactly one request evaluate a session.

Evaluating calls an AI provider for seconds, so it cannot run inside a row lock or an open
transaction. Instead one conditional UPDATE stamps `evaluation_claimed_at` where it is empty (or
stale) and is committed at once; the database serialises concurrent UPDATEs of a row, so exactly
one request sees a row count of 1 and evaluates, the others are told feedback already exists. A
failed evaluation clears its own stamp (recording why) so the user can retry; a stamp older than
`EVALUATION_CLAIM_STALE_S` (default 300 s, above two full AI deadlines) is treated as abandoned
by a crashed worker and may be re-taken. The unique `session_id` of `feedback` and `reports` is the
backstop should a re-taken claim and a slow original both finish.

These functions commit: a claim nobody else can see protects nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import InterviewSession, SessionStatus, utcnow

CLAIMABLE = (SessionStatus.IN_PROGRESS.value, SessionStatus.COMPLETED.value)


def stale_before(now: datetime) -> datetime:
    """Claims made before this moment are considered abandoned."""
    seconds = float(current_app.config.get("EVALUATION_CLAIM_STALE_S", 300))
    return now - timedelta(seconds=seconds)


def claim_evaluation(session_id: int) -> datetime | None:
    """Take the right to evaluate; returns the claim's timestamp, or None when someone has it.

    Claiming an IN_PROGRESS session finishes it early: it becomes COMPLETED in the same UPDATE.
    """
    now = utcnow()
    table = InterviewSession
    result = db.session.execute(
        sa.update(table)
        .where(
            table.id == session_id,
            table.status.in_(CLAIMABLE),
            sa.or_(
                table.evaluation_claimed_at.is_(None),
                table.evaluation_claimed_at < stale_before(now),
            ),
        )
        .values(
            evaluation_claimed_at=now,
            evaluation_error=None,
            status=SessionStatus.COMPLETED.value,
            completed_at=sa.func.coalesce(table.completed_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # exactly once: every other request sees the claim at once
    return now if result.rowcount == 1 else None  # type: ignore[attr-defined]


def release_claim(session_id: int, claimed_at: datetime, error: str | None = None) -> None:
    """Give the claim back after a failed evaluation (only our own, and only if not evaluated),
    recording `error` for the page that offers a retry."""
    db.session.rollback()
    table = InterviewSession
    db.session.execute(
        sa.update(table)
        .where(
            table.id == session_id,
            table.evaluation_claimed_at == claimed_at,
            table.status != SessionStatus.EVALUATED.value,
        )
        .values(evaluation_claimed_at=None, evaluation_error=error)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # exactly once: the claim is free for a retry at once


def evaluation_running(session: InterviewSession) -> bool:
    """Whether another request is evaluating this session right now."""
    claimed = session.evaluation_claimed_at
    return (
        session.status == SessionStatus.COMPLETED
        and claimed is not None
        and claimed >= stale_before(utcnow())
    )
