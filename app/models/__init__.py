"""Database models, one module per aggregate. Importing this package registers every table."""

from app.models.base import utcnow
from app.models.resume import Resume
from app.models.user import ApiToken, User

__all__ = ["ApiToken", "Resume", "User", "utcnow"]
