"""Routes of the feedback blueprint: complete an interview once, then read its feedback."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from app.errors import NotFound, ValidationFailed
from app.feedback import bp, services
from app.feedback.claim import evaluation_running
from app.feedback.pages import ai_error_response
from app.feedback.scoring import FEEDBACK_BAND_MEANINGS, feedback_band
from app.responses import envelope, wants_json


@bp.post("/session/<int:session_id>/complete")
@login_required
def complete(session_id: int):
    """Evaluate the interview once, then go to its feedback (JSON: the redirect and feedback id)."""
    try:
        feedback = services.complete_session(current_user, session_id)
    except services.EvaluationFailed as failed:
        return ai_error_response(session_id, failed.language)
    target = url_for("feedback.show", session_id=session_id)
    if wants_json():
        return envelope({"redirect": target, "feedback_id": feedback.id})
    return redirect(target)


@bp.get("/session/<int:session_id>/feedback")
@login_required
def show(session_id: int):
    """Score 1–10 with its band, strengths, weaknesses and CV improvements."""
    session = services.get_owned_session(current_user, session_id)
    if session.is_unfinished:
        raise ValidationFailed(services.NOT_COMPLETED)
    feedback = services.stored_feedback(session.id)
    if feedback is None:
        if wants_json():
            raise NotFound(services.FEEDBACK_NOT_FOUND)
        running = evaluation_running(session)
        return render_template("feedback/pending.html", session=session, running=running)
    if wants_json():
        return envelope(services.feedback_json(feedback, session))
    band = feedback_band(feedback.interview_score)
    meaning = FEEDBACK_BAND_MEANINGS.get(band, "")
    return render_template(
        "feedback/show.html", session=session, feedback=feedback, band=band, meaning=meaning
    )
