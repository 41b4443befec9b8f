"""Routes of the interview blueprint."""

from app.interview import bp  # noqa: F401
