"""One row per AI provider call: what it cost and how it ended (see `flask ai usage`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class AICall(db.Model):  # type: ignore[name-defined]
    """A provider call: task, provider and model, tokens from the provider's usage fields,
    latency, the attempt number within its task, and the outcome (``ok`` or the error kind)."""

    __tablename__ = "ai_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(sa.String(40), index=True)
    provider: Mapped[str] = mapped_column(sa.String(40))
    model: Mapped[str] = mapped_column(sa.String(120), default="")
    prompt_tokens: Mapped[int | None]
    output_tokens: Mapped[int | None]
    latency_ms: Mapped[int]
    attempts: Mapped[int] = mapped_column(default=1)
    outcome: Mapped[str] = mapped_column(sa.String(40))
    error: Mapped[str | None] = mapped_column(sa.String(500))
    # Cost records outlive the interview they belonged to.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
