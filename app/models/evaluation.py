"""The results of evaluating a session: the feedback view and the full report (one each)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class Feedback(db.Model):  # type: ignore[name-defined]
    """Score 1–10 with strengths, weaknesses and CV improvements (Markdown). One per session."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"), unique=True
    )
    interview_score: Mapped[int]
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    weaknesses: Mapped[str] = mapped_column(sa.Text, default="")
    cv_improvements: Mapped[str] = mapped_column(sa.Text, default="")
    provider: Mapped[str] = mapped_column(sa.String(40), default="")
    model: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(db.Model):  # type: ignore[name-defined]
    """The full evaluation report. One per session; numbers are computed by the server."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"), unique=True
    )
    overall_score: Mapped[int]
    category_scores: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    skill_scores: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    overall_feedback: Mapped[str] = mapped_column(sa.Text, default="")
    strengths: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    improvements: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    improvement_plan: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    candidate_summary: Mapped[str] = mapped_column(sa.Text, default="")
    recommendation: Mapped[str] = mapped_column(sa.String(40), default="")
    integrity_score: Mapped[float] = mapped_column(default=10.0)
    # Review-only signals as data (`app.evaluation.integrity.Flag`), worded when shown.
    integrity_flags: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    provider: Mapped[str] = mapped_column(sa.String(40), default="")
    model: Mapped[str] = mapped_column(sa.String(120), default="")
    prompt_version: Mapped[str] = mapped_column(sa.String(40), default="")
    fallback_used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
