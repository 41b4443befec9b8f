"""Routes of the recruiter blueprint."""

from app.recruiter import bp  # noqa: F401
