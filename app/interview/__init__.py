"""The interview itself: current question, answers, drafts, follow-ups, instant insights, and
the candidate's kept recordings."""

from flask import Blueprint

bp = Blueprint("interview", __name__)

from app.interview import recording_routes, routes  # noqa: E402,F401
