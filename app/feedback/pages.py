"""Responses the feedback and report routes share: the AI-failure page with its retry button."""

from __future__ import annotations

from flask import Response, render_template

from app.feedback.services import AI_SERVICE_ERROR
from app.responses import envelope, wants_json

AI_ERROR_HINT = (
    "Every AI provider failed to evaluate your answers. Your answers are saved and nothing was "
    "lost: try again in a moment."
)


def ai_error_response(session_id: int) -> Response:
    """500 "AI service error": the JSON envelope, or a page with a button to evaluate again."""
    if wants_json():
        return envelope(None, 500, AI_SERVICE_ERROR)
    html = render_template(
        "feedback/ai_error.html",
        status=500,
        title="The evaluation could not be finished",
        message=AI_SERVICE_ERROR,
        hint=AI_ERROR_HINT,
        session_id=session_id,
    )
    return Response(html, status=500, mimetype="text/html")
