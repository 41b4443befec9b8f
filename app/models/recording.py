"""A spoken answer's audio, kept for AUDIO_RETENTION_DAYS when the server is set to keep them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class Recording(db.Model):  # type: ignore[name-defined]
    """One recording sent to be transcribed for a question: where its bytes are on disk (a
    random name nobody can guess), what they are, and when they must be gone."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The session is kept on the row so ownership is one comparison and a session's
    # recordings go with it in one statement.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    duration_s: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @property
    def is_expired(self) -> bool:
        """Past its retention: treated as gone even before the purge deletes it."""
        return self.expires_at <= utcnow()
