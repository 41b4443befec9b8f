"""Evaluating an interview exactly once: claim, queue, grade the rest, summarise, store, announce.

`request_evaluation` is the one way a session gets evaluated — by `POST /session/<id>/complete`
and by the first view of a COMPLETED session's report. It claims the session (see `claim`) and
queues the `evaluate_session` job, which grades whatever the per-answer grading jobs left (see
`grading`), summarises outside any transaction, then stores everything in one commit (see
`store`). A request waits for the job only briefly (`COMPLETE_WAIT_S`, JSON clients); browsers
watch its progress. The claim, release and store steps commit on their own because their
visibility to concurrent requests and workers is what makes "exactly once" hold.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.ai import tasks as ai
from app.ai.errors import AllProvidersFailed
from app.errors import AppError, ValidationFailed
from app.evaluation.claim import claim_evaluation, release_claim
from app.evaluation.grading import grade_remaining, grading_record, stored_grades
from app.evaluation.integrity import integrity
from app.evaluation.scoring import score_card
from app.evaluation.snapshot import Evaluation, has_answers, snapshot, summary_request
from app.evaluation.store import store_evaluation
from app.extensions import db
from app.i18n import N_
from app.jobs import enqueue
from app.jobs.engine import QueueUnavailable
from app.models import Feedback, InterviewSession, SessionStatus
from app.signals import interview_evaluated

log = logging.getLogger(__name__)

EMPTY_INTERVIEW = N_("Cannot generate feedback for an empty interview.")
ALREADY_GENERATED = N_("Feedback has already been generated for this session.")
NOT_COMPLETED = N_("Interview not completed")
AI_SERVICE_ERROR = N_("AI service error")
EVALUATION_JOB = "evaluate_session"
WAIT_STEP_S = 0.1


class AlreadyEvaluated(ValidationFailed):
    """Feedback exists or another request is producing it; browsers go to the feedback page."""

    def __init__(self, session_id: int, language: str = "en") -> None:
        super().__init__(
            ALREADY_GENERATED,
            redirect_endpoint="feedback.show",
            redirect_values={"session_id": session_id},
            language=language,
        )


class EvaluationFailed(AppError):
    """Every AI provider failed; the session stays COMPLETED and can be retried."""

    status = 500

    def __init__(self, session_id: int, language: str) -> None:
        super().__init__(AI_SERVICE_ERROR, language=language)  # the retry page speaks it
        self.session_id = session_id


def check_completable(session: InterviewSession) -> None:
    """Refuse a session that is already evaluated or has nothing to evaluate."""
    if session.status == SessionStatus.EVALUATED:
        raise AlreadyEvaluated(session.id, session.language)
    if not has_answers(session):
        raise ValidationFailed(EMPTY_INTERVIEW, language=session.language)


def request_evaluation(session: InterviewSession) -> datetime:
    """Claim the session's evaluation and queue the job that runs it; returns the claim.

    Raises AlreadyEvaluated (evaluated, or another request holds the claim), ValidationFailed for
    an empty interview, and QueueUnavailable (claim released) when the queue refuses the job.
    With JOBS_URL=immediate the evaluation has run when this returns.
    """
    check_completable(session)
    session_id, language = session.id, session.language
    claimed_at = claim_evaluation(session_id)
    if claimed_at is None:
        raise AlreadyEvaluated(session_id, language)
    try:
        enqueue(EVALUATION_JOB, session_id, claimed_at.isoformat())
    except QueueUnavailable:
        release_claim(session_id, claimed_at)
        raise
    return claimed_at


def evaluate_now(session: InterviewSession) -> Feedback:
    """Claim and evaluate in this thread (CLI seeding, benchmarks); returns the feedback.

    Raises what `request_evaluation` raises, and EvaluationFailed when every provider failed.
    """
    check_completable(session)
    session_id, language = session.id, session.language
    claimed_at = claim_evaluation(session_id)
    if claimed_at is None:
        raise AlreadyEvaluated(session_id, language)
    feedback = run_claimed_evaluation(session_id, claimed_at)
    if feedback is None:
        raise AlreadyEvaluated(session_id, language)
    return feedback


def run_claimed_evaluation(session_id: int, claimed_at: datetime) -> Feedback | None:
    """Under our claim: grade what is left, summarise and store; the evaluation job's body.

    Waits for grading jobs still at work, grades the stragglers in one call, then writes the
    summary from the stored grades. On failure the claim is released and the error recorded
    on the session (the page offers a retry); nothing stored is touched. Returns None when
    another run stored the evaluation first.
    """
    try:
        grade_remaining(session_id)
        evaluation = stored_evaluation(session_id)
    except AllProvidersFailed as exc:
        log.warning("Evaluation of session %s failed: %s", session_id, exc.message)
        give_up(session_id, claimed_at, AI_SERVICE_ERROR)
        raise EvaluationFailed(session_id, language_of_session(session_id)) from exc
    except Exception:
        give_up(session_id, claimed_at, AI_SERVICE_ERROR)
        raise
    try:
        feedback = _store(session_id, claimed_at, evaluation)
    except LostRace:
        return None
    announce(feedback.session_id)
    return feedback


def stored_evaluation(session_id: int) -> Evaluation:
    """The evaluation built from the stored grades: the server's numbers and the summary."""
    session = db.session.get_one(InterviewSession, session_id)
    db.session.refresh(session)
    items, facts = snapshot(session)
    graded = stored_grades(session, items)
    grading = grading_record(session)
    db.session.commit()  # no transaction stays open during the summary call
    card = score_card(graded, facts.must_haves, facts.nice_to_haves)
    summarising = ai.summarize_interview(summary_request(graded, card, facts))
    return Evaluation(
        graded=graded,
        card=card,
        summary=summarising.value,
        integrity=integrity(items),
        grading=grading,
        summarising=summarising,
    )


def give_up(session_id: int, claimed_at: datetime, error: str) -> None:
    """Release the claim and record why, unless someone else evaluated the session meanwhile."""
    release_claim(session_id, claimed_at, error=error)


def language_of_session(session_id: int) -> str:
    """The session's language (for a failure raised after the session was expired)."""
    session = db.session.get(InterviewSession, session_id)
    return session.language if session is not None else "en"


def evaluation_state(session_id: int) -> tuple[Feedback | None, str | None]:
    """(feedback, None) once evaluated, (None, error) after a failed job, else (None, None)."""
    db.session.rollback()  # end the read transaction: see what workers committed since
    feedback = stored_feedback(session_id)
    if feedback is not None:
        return feedback, None
    session = db.session.get(InterviewSession, session_id)
    return None, session.evaluation_error if session is not None else None


def wait_for_evaluation(session_id: int, timeout: float) -> Feedback | None:
    """The feedback once the evaluation job stored it, waiting up to `timeout` seconds; None
    when still running. Raises EvaluationFailed when the job failed."""
    deadline = time.monotonic() + timeout
    while True:
        feedback, error = evaluation_state(session_id)
        if feedback is not None:
            return feedback
        if error is not None:
            raise EvaluationFailed(session_id, language_of_session(session_id))
        if time.monotonic() >= deadline:
            return None
        time.sleep(WAIT_STEP_S)


class LostRace(Exception):  # noqa: N818 - an outcome, not a failure
    """Someone else stored this session's evaluation first."""


def _store(session_id: int, claimed_at: datetime, evaluation: Evaluation) -> Feedback:
    """Commit the evaluation; raises LostRace when another run stored first (status, or the
    unique feedback and report rows)."""
    session = db.session.get_one(InterviewSession, session_id)
    if session.status == SessionStatus.EVALUATED:
        raise LostRace()
    try:
        feedback = store_evaluation(session, evaluation)
        db.session.commit()  # exactly once: unique rows make a second run lose the race
    except IntegrityError:
        release_claim(session_id, claimed_at)  # a no-op once the winner marked it EVALUATED
        raise LostRace() from None
    except BaseException:
        release_claim(session_id, claimed_at)
        raise
    return feedback


def announce(session_id: int) -> None:
    """Tell listeners (the recruiter package) after the commit; their failure is theirs alone."""
    session = db.session.get_one(InterviewSession, session_id)
    try:
        interview_evaluated.send(current_app._get_current_object(), session=session)  # type: ignore[attr-defined]
    except Exception:
        log.exception("A listener of interview_evaluated failed for session %s", session_id)


def stored_feedback(session_id: int) -> Feedback | None:
    """The session's feedback row, if it has been generated."""
    return db.session.scalar(sa.select(Feedback).where(Feedback.session_id == session_id))
