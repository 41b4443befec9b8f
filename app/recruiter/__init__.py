"""Recruiter JSON API: interview plans, invites, candidate reports (API key)."""

from flask import Blueprint

bp = Blueprint("recruiter", __name__)

from app.recruiter import routes  # noqa: E402,F401
