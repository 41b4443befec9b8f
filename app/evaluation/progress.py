"""Where an evaluation stands, for `GET /session/<id>/status` and the feedback page.

`data: {status, stage, graded, total, error}`: the session's status; the stage — `planning`
(a job is preparing the questions), `planning_failed` (it failed: `error` says why, a retry is
offered), `answering`
(interview still open), `ready` (finished, evaluation not asked for yet), `grading` (answers still
being graded), `summarising` (every answer graded, the summary being written), `failed` (the last
evaluation job failed: `error` says why, a retry is offered) or `done`; and how many of the
answered main questions have their grade stored.
"""

from __future__ import annotations

from typing import Any

from app.evaluation.claim import evaluation_running
from app.evaluation.grading import graded_progress
from app.models import InterviewSession, SessionStatus

# Pages poll the status this often (ms); without JavaScript they reload (s).
POLL_MS = 1000
REFRESH_S = 3


def stage_of(session: InterviewSession, graded: int, total: int) -> str:
    """The evaluation stage a person would name (see the module docstring)."""
    if session.status == SessionStatus.EVALUATED:
        return "done"
    if session.is_unfinished:
        return "answering"
    if session.evaluation_error and not evaluation_running(session):
        return "failed"
    if not evaluation_running(session):
        return "ready"
    return "grading" if graded < total else "summarising"


def evaluation_progress(session: InterviewSession) -> dict[str, Any]:
    """The status object of SPEC §4's `GET /session/<id>/status`."""
    if not session.is_planned:
        failed = session.planning_error is not None
        return {
            "status": session.status,
            "stage": "planning_failed" if failed else "planning",
            "graded": 0,
            "total": session.question_count,
            "error": session.planning_error,
        }
    graded, total = graded_progress(session)
    stage = stage_of(session, graded, total)
    return {
        "status": session.status,
        "stage": stage,
        "graded": graded,
        "total": total,
        "error": session.evaluation_error if stage == "failed" else None,
    }
