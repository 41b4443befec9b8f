"""Completing an interview once and the feedback page (score 1–10, strengths, weaknesses, CV)."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)

from app.feedback import routes  # noqa: E402,F401
