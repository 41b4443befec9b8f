"""Routes of the feedback blueprint: complete an interview once, then read its feedback."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from app.errors import NotFound, ValidationFailed
from app.evaluation import services as evaluation
from app.evaluation.progress import POLL_MS, REFRESH_S, evaluation_progress
from app.evaluation.scoring import FEEDBACK_BAND_MEANINGS, feedback_band
from app.feedback import bp, services
from app.feedback.pages import ai_error_response, complete_wait_s
from app.responses import envelope, wants_json
from app.sessions.services import get_owned_session


@bp.post("/session/<int:session_id>/complete")
@login_required
def complete(session_id: int):
    """Queue the evaluation (once) and go to the feedback page, which shows its progress. JSON
    clients wait up to COMPLETE_WAIT_S: 200 with the feedback id, or 202 with the status URL."""
    try:
        feedback = services.complete_session(current_user, session_id, complete_wait_s())
    except evaluation.EvaluationFailed as failed:
        return ai_error_response(session_id, failed.language or "en")
    target = url_for("feedback.show", session_id=session_id)
    if not wants_json():
        return redirect(target)
    if feedback is None:
        status_url = url_for("feedback.status", session_id=session_id)
        return envelope({"redirect": target, "status_url": status_url}, 202, "accepted")
    return envelope({"redirect": target, "feedback_id": feedback.id})


@bp.get("/session/<int:session_id>/status")
@login_required
def status(session_id: int):
    """Where the evaluation stands: {status, stage, graded, total, error} (JSON always)."""
    session = get_owned_session(current_user, session_id)
    return envelope(evaluation_progress(session))


@bp.get("/session/<int:session_id>/feedback")
@login_required
def show(session_id: int):
    """Score 1–10 with its band, strengths, weaknesses and CV improvements."""
    session = get_owned_session(current_user, session_id)
    if session.is_unfinished:
        raise ValidationFailed(evaluation.NOT_COMPLETED)
    feedback = evaluation.stored_feedback(session.id)
    if feedback is None:
        if wants_json():
            raise NotFound(services.FEEDBACK_NOT_FOUND)
        return render_template(
            "feedback/pending.html",
            session=session,
            progress=evaluation_progress(session),
            poll_ms=POLL_MS,
            refresh_s=REFRESH_S,
        )
    if wants_json():
        return envelope(services.feedback_json(feedback, session))
    band = feedback_band(feedback.interview_score)
    meaning = FEEDBACK_BAND_MEANINGS.get(band, "")
    return render_template(
        "feedback/show.html", session=session, feedback=feedback, band=band, meaning=meaning
    )
