"""The feedback view of an evaluated interview: completing it from the page, and its JSON.

The evaluation itself (claim, grading, summary, store, announce) lives in `app.evaluation`;
this module is what the feedback routes need on top of it.
"""

from __future__ import annotations

from typing import Any

from app.evaluation.services import request_evaluation, wait_for_evaluation
from app.models import Feedback, InterviewSession, User
from app.responses import iso
from app.sessions.services import get_owned_session

FEEDBACK_NOT_FOUND = "Feedback for session not found."


def complete_session(user: User, session_id: int, wait_s: float) -> Feedback | None:
    """`POST /session/<id>/complete`: queue the user's session for evaluation (once), then wait
    up to `wait_s` for it (the route decides: COMPLETE_WAIT_S for a JSON client, nothing for a
    browser, which is shown the progress page). Returns the feedback when ready, else None."""
    request_evaluation(get_owned_session(user, session_id))
    return wait_for_evaluation(session_id, wait_s)


def feedback_json(feedback: Feedback, session: InterviewSession) -> dict[str, Any]:
    """The Feedback shape of seed 001: the `feedback` object and its `session`."""
    return {
        "feedback": {
            "id": feedback.id,
            "session_id": feedback.session_id,
            "interview_score": feedback.interview_score,
            "strengths": feedback.strengths,
            "weaknesses": feedback.weaknesses,
            "cv_improvements": feedback.cv_improvements,
            "created_at": iso(feedback.created_at),
        },
        "session": {
            "id": session.id,
            "job_title": session.job_title,
            "company_name": session.company_name,
        },
    }
