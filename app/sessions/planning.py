"""Planning off the request path: a session created with a remote planner is stored unplanned
and the `plan_session` job writes its questions while the browser shows "Preparing your
questions…" (polling `GET /session/<id>/status`).

The job is idempotent: it does nothing once the session is planned, and a guarded UPDATE of
`planned_at` lets exactly one run store the questions should two runs overlap (a worker presumed
lost while still at work). A failure is recorded on the session (`planning_error`) and the page
offers a retry; the session and its CV stay stored.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.ai import tasks as ai
from app.ai import usage
from app.ai.router import AIResult
from app.ai.schemas import QuestionPlan
from app.extensions import db
from app.jobs import enqueue, job, subjects
from app.jobs.engine import QUEUE_UNAVAILABLE, QueueUnavailable
from app.models import InterviewSession, Question, User, utcnow
from app.sessions.services import message, plan_request

log = logging.getLogger(__name__)

PLAN_JOB = "plan_session"
WAIT_STEP_S = 0.1


def session_fields(session: InterviewSession) -> dict[str, Any]:
    """What the planning request takes from a stored session."""
    return {
        "job_title": session.job_title,
        "company_name": session.company_name,
        "job_description": session.job_description,
        "must_haves": list(session.must_haves or []),
        "nice_to_haves": list(session.nice_to_haves or []),
        "question_count": session.question_count,
        "language": session.language,
    }


def planning_given_up(session_id: int, error: str) -> None:
    """The planning job was lost JOBS_MAX_RUNS times: the page stops saying "preparing" and
    offers a retry."""
    session = db.session.get(InterviewSession, session_id)
    set_error(session_id, message("plan_failed", session.language if session else "en"))


@job(PLAN_JOB, on_give_up=planning_given_up, subject=subjects.interview)
def plan_session(session_id: int) -> None:
    """Plan a stored session's questions, unless they are stored already. Any failure is
    recorded on the session (the page offers a retry) and raised, so the run is marked failed."""
    session = db.session.get(InterviewSession, session_id)
    if session is None or session.is_planned:
        return
    set_error(session_id, None)  # a retried run shows "preparing" again
    user = db.session.get_one(User, session.user_id)
    request = plan_request(user, session.resume_text, session_fields(session))
    language = session.language
    db.session.commit()  # no transaction stays open during the AI call
    with usage.for_session(session_id):
        try:
            store_once(session_id, ai.plan_questions(request))
        except Exception:  # the provider, or the database: either way the page must not wait
            set_error(session_id, message("plan_failed", language))
            raise


def store_once(session_id: int, result: AIResult[QuestionPlan]) -> bool:
    """Store the plan unless another run did first; True when this one stored it."""
    table = InterviewSession
    won = db.session.execute(
        sa.update(table)
        .where(table.id == session_id, table.planned_at.is_(None))
        .values(
            planned_at=utcnow(),
            planning_error=None,
            provider=result.provider,
            model=result.model,
            prompt_version=result.prompt_version,
            fallback_used=result.fallback_used,
        )
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    count = db.session.get_one(table, session_id).question_count
    for position, planned in enumerate(result.value.questions[:count], start=1):
        db.session.add(Question(session_id=session_id, position=position, **planned.model_dump()))
    db.session.commit()  # exactly once: the guarded UPDATE above let this run write the plan
    return True


def set_error(session_id: int, error: str | None) -> None:
    """Record (or clear) why planning failed, on an unplanned session; commits."""
    db.session.rollback()
    table = InterviewSession
    db.session.execute(
        sa.update(table)
        .where(table.id == session_id, table.planned_at.is_(None))
        .values(planning_error=error)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # kept even when the job that failed rolls back


def queue_planning(session: InterviewSession) -> None:
    """Queue the planning job of an unplanned session (call after the commit that stored it).
    A queue that refuses the job leaves the session stored with the reason and a retry."""
    if session.is_planned:
        return
    try:
        enqueue(PLAN_JOB, session.id)
    except QueueUnavailable:
        set_error(session.id, QUEUE_UNAVAILABLE)
    # JOBS_URL=immediate ran the job right here, in a database session of its own: read the
    # row again rather than what this session loaded before.
    db.session.expire(session)


def retry_planning(session: InterviewSession) -> None:
    """Plan a session whose planning failed again (nothing happens once it is planned)."""
    if session.is_planned:
        return
    set_error(session.id, None)
    db.session.refresh(session)
    queue_planning(session)


def planning_state(session_id: int) -> tuple[bool, str | None]:
    """(planned, error) as committed right now."""
    db.session.rollback()  # end the read transaction: see what workers committed since
    row = db.session.execute(
        sa.select(InterviewSession.planned_at, InterviewSession.planning_error).where(
            InterviewSession.id == session_id
        )
    ).one()
    return row.planned_at is not None, row.planning_error


def wait_for_plan(session_id: int, timeout: float) -> tuple[bool, str | None]:
    """Wait up to `timeout` seconds for the planning job: (planned, error); (False, None) when
    it is still running."""
    deadline = time.monotonic() + timeout
    while True:
        planned, error = planning_state(session_id)
        if planned or error is not None or time.monotonic() >= deadline:
            return planned, error
        time.sleep(WAIT_STEP_S)


def plan_wait_s() -> float:
    """How long a client that waits for the plan may wait (PLAN_WAIT_S). Whether a client
    waits at all is the route's choice: a browser is shown the preparing page at once."""
    return float(current_app.config["PLAN_WAIT_S"])
