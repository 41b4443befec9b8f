"""What the feedback and report routes share: the AI-failure page with its retry button, and
how long a request waits for an evaluation."""

from __future__ import annotations

from flask import Response, current_app, render_template

from app.evaluation.services import AI_SERVICE_ERROR
from app.i18n import translate
from app.responses import envelope, wants_json

AI_ERROR_TITLE = "The evaluation could not be finished"
AI_ERROR_HINT = (
    "Every AI provider failed to evaluate your answers. Your answers are saved and nothing was "
    "lost: try again in a moment."
)


def complete_wait_s() -> float:
    """How long a request waits for an evaluation: COMPLETE_WAIT_S for JSON clients, nothing
    for a browser, which is shown the progress page (a queue that runs jobs in place has
    finished already)."""
    return float(current_app.config["COMPLETE_WAIT_S"]) if wants_json() else 0.0


def ai_error_response(session_id: int, language: str) -> Response:
    """500 "AI service error": the JSON envelope (always English, as the spec fixes it), or a
    page in the session's language with a button to evaluate again."""
    if wants_json():
        return envelope(None, 500, AI_SERVICE_ERROR)
    html = render_template(
        "feedback/ai_error.html",
        status=500,
        title=translate(AI_ERROR_TITLE, language),
        message=translate(AI_SERVICE_ERROR, language),
        hint=translate(AI_ERROR_HINT, language),
        session_id=session_id,
        page_lang=language,
    )
    return Response(html, status=500, mimetype="text/html")
