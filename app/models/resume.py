"""CVs in a user's library."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class Resume(db.Model):  # type: ignore[name-defined]
    """A CV's extracted text; the same content uploaded twice by one user is one row."""

    __tablename__ = "resumes"
    __table_args__ = (sa.UniqueConstraint("user_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100), default="text/plain")
    text: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_json(self) -> dict:
        """The JSON shape of SPEC §11."""
        return {
            "id": self.id,
            "title": self.title,
            "filename": self.filename,
            "content_type": self.content_type,
            "text_length": len(self.text),
            "created_at": self.created_at.isoformat() + "Z",
        }
