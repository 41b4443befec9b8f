"""Routes of the feedback blueprint."""

from app.feedback import bp  # noqa: F401
