"""Practising what went wrong: another try at a graded question, the drill list of missed key
points with its drill sessions, and progress per category."""

from flask import Blueprint

bp = Blueprint("practice", __name__)

from app.practice import routes  # noqa: E402,F401
