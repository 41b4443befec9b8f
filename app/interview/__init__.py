"""The interview itself: current question, answers, drafts, follow-ups, instant insights."""

from flask import Blueprint

bp = Blueprint("interview", __name__)

from app.interview import routes  # noqa: E402,F401
