"""Another try at a graded question: the answer, its grade, and the score it is compared with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import one_of, utcnow
from app.models.interview import AnswerMode


class Attempt(db.Model):  # type: ignore[name-defined]
    """A new answer to a question already graded; the question's own answer and grade stay as
    they were (the report and any recruiter read those), and each attempt keeps its own."""

    __tablename__ = "question_attempts"
    __table_args__ = (
        sa.UniqueConstraint("question_id", "number"),
        one_of("answer_mode", AnswerMode),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    # The session is kept on the row so a session's attempts go with it in one statement.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]  # 1 for the first retry; the original answer is attempt 0
    answer_text: Mapped[str] = mapped_column(sa.Text)
    answer_mode: Mapped[str] = mapped_column(sa.String(10), default=AnswerMode.DEFAULT)
    score: Mapped[int]
    previous_score: Mapped[int]  # the grade this try is compared with (the last one before it)
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    covered_points: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    missed_points: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    newly_covered: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    graded_by: Mapped[str] = mapped_column(sa.String(170), default="")
    graded_with_fallback: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def delta(self) -> int:
        """How many points this try gained (negative when it lost some)."""
        return self.score - self.previous_score
