"""The feedback package's jobs: grade a main answer as soon as its round is over, and evaluate
a completed interview (stragglers, summary, store) under the claim its request took."""

from __future__ import annotations

from datetime import datetime

from app.ai import usage
from app.evaluation import grading, services
from app.extensions import db
from app.jobs import job, subjects
from app.models import Question


@job(grading.GRADE_JOB, retries=2, retry_delay=5, retry_backoff=2, subject=subjects.question)
def grade_answer(main_id: int) -> None:
    """Grade a main question with its follow-ups, unless it is graded or being graded; a
    provider failure is retried by the queue, and the evaluation grades it if all tries fail."""
    question = db.session.get(Question, main_id)
    if question is None or question.graded_at is not None:
        return
    with usage.for_session(question.session_id):  # a worker has no request to name the session
        grading.grade_main_questions(question.session_id, [main_id])


@job(services.EVALUATION_JOB, subject=subjects.interview)
def evaluate_session(session_id: int, claimed_at: str) -> None:
    """Evaluate the session under the claim its request took; does nothing when that claim was
    superseded (released, re-taken after going stale) or the session is already evaluated. A
    failure is recorded on the session and not retried here: the candidate retries."""
    claim = datetime.fromisoformat(claimed_at)
    session = db.session.get(services.InterviewSession, session_id)
    if session is None or session.evaluation_claimed_at != claim:
        return
    with usage.for_session(session_id):
        services.run_claimed_evaluation(session_id, claim)
