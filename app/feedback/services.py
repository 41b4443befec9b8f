"""Completing an interview exactly once, and reading its feedback.

`evaluate_session` is the one way a session gets evaluated — by `POST /session/<id>/complete` and
by the first view of a COMPLETED session's report. It claims the session (see `claim`), grades and
summarises outside any transaction (see `evaluation`), then stores everything in one commit (see
`store`). The claim, release and store steps commit on their own because their visibility to
concurrent requests is what makes "exactly once" hold.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from sqlalchemy.exc import IntegrityError

from app.ai.errors import AllProvidersFailed
from app.errors import BARE_JSON_BLUEPRINTS, AppError, NotFound, ValidationFailed
from app.extensions import db
from app.feedback.claim import claim_evaluation, release_claim
from app.feedback.evaluation import Evaluation, has_answers, run_evaluation, snapshot
from app.feedback.store import store_evaluation
from app.i18n import translate
from app.models import Feedback, InterviewSession, SessionStatus, User
from app.responses import iso, wants_json
from app.sessions.services import get_owned_session
from app.signals import interview_evaluated

log = logging.getLogger(__name__)

EMPTY_INTERVIEW = "Cannot generate feedback for an empty interview."
ALREADY_GENERATED = "Feedback has already been generated for this session."
NOT_COMPLETED = "Interview not completed"
AI_SERVICE_ERROR = "AI service error"
FEEDBACK_NOT_FOUND = "Feedback for session not found."


def for_reader(message: str, language: str) -> str:
    """A message the spec fixes in English: English in JSON, the session's language on a page."""
    if not has_request_context() or wants_json() or request.blueprint in BARE_JSON_BLUEPRINTS:
        return message
    return translate(message, language)


class AlreadyEvaluated(ValidationFailed):
    """Feedback exists or another request is producing it; browsers go to the feedback page."""

    def __init__(self, session_id: int, language: str = "en") -> None:
        super().__init__(
            for_reader(ALREADY_GENERATED, language),
            redirect_to=url_for("feedback.show", session_id=session_id),
        )


class EvaluationFailed(AppError):
    """Every AI provider failed; the session stays COMPLETED and can be retried."""

    status = 500

    def __init__(self, session_id: int, language: str) -> None:
        super().__init__(AI_SERVICE_ERROR)
        self.session_id = session_id
        self.language = language  # of the session: the retry page speaks it


def check_completable(session: InterviewSession) -> None:
    """Refuse a session that is already evaluated or has nothing to evaluate."""
    if session.status == SessionStatus.EVALUATED:
        raise AlreadyEvaluated(session.id, session.language)
    if not has_answers(session):
        raise ValidationFailed(for_reader(EMPTY_INTERVIEW, session.language))


def evaluate_session(session: InterviewSession) -> Feedback:
    """Evaluate once and store feedback and report; returns the new feedback (committed).

    Raises AlreadyEvaluated (also when losing a concurrent race), ValidationFailed for an empty
    interview, and EvaluationFailed when every AI provider failed (nothing is lost).
    """
    check_completable(session)
    session_id, language = session.id, session.language
    claimed_at = claim_evaluation(session_id)
    if claimed_at is None:
        raise AlreadyEvaluated(session_id, language)
    try:
        items, facts = snapshot(db.session.get_one(InterviewSession, session_id))
        db.session.commit()  # no transaction stays open during the slow AI calls
        evaluation = run_evaluation(items, facts)
    except AllProvidersFailed as exc:
        log.warning("Evaluation of session %s failed: %s", session_id, exc.message)
        release_claim(session_id, claimed_at)
        raise EvaluationFailed(session_id, language) from exc
    except BaseException:
        release_claim(session_id, claimed_at)
        raise
    feedback = _store(session_id, claimed_at, evaluation)
    announce(feedback.session_id)
    return feedback


def _store(session_id: int, claimed_at: datetime, evaluation: Evaluation) -> Feedback:
    """Commit the evaluation; a unique-constraint clash means another request stored first."""
    session = db.session.get_one(InterviewSession, session_id)
    language = session.language
    if session.status == SessionStatus.EVALUATED:
        raise AlreadyEvaluated(session_id, language)
    try:
        feedback = store_evaluation(session, evaluation)
        db.session.commit()
    except IntegrityError:
        release_claim(session_id, claimed_at)  # a no-op once the winner marked it EVALUATED
        raise AlreadyEvaluated(session_id, language) from None
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


def complete_session(user: User, session_id: int) -> Feedback:
    """`POST /session/<id>/complete`: the user's session, evaluated once."""
    return evaluate_session(get_owned_session(user, session_id))


def stored_feedback(session_id: int) -> Feedback | None:
    """The session's feedback row, if it has been generated."""
    return db.session.scalar(sa.select(Feedback).where(Feedback.session_id == session_id))


def get_feedback(session: InterviewSession) -> Feedback:
    """The stored feedback; 400 for an unfinished interview, 404 when not generated yet."""
    if session.is_unfinished:
        raise ValidationFailed(for_reader(NOT_COMPLETED, session.language))
    feedback = stored_feedback(session.id)
    if feedback is None:
        raise NotFound(FEEDBACK_NOT_FOUND)
    return feedback


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
