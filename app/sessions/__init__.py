"""Interview sessions: create, history, detail, unfinished lookup, delete."""

from flask import Blueprint

bp = Blueprint("sessions", __name__)

from app.sessions import routes  # noqa: E402,F401
