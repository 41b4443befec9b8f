"""Routes of the sessions blueprint."""

from app.sessions import bp  # noqa: F401
