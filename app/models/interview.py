"""An interview session and its questions — the transcript is derived from the questions table."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, get_args

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.ai.coach import question_key
from app.ai.schemas import Kind
from app.extensions import db
from app.language import LANGUAGES
from app.models.base import one_of, utcnow


class SessionStatus(enum.StrEnum):
    """CREATED → IN_PROGRESS → COMPLETED → EVALUATED (SPEC §3)."""

    CREATED = "CREATED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    EVALUATED = "EVALUATED"


UNFINISHED = (SessionStatus.CREATED, SessionStatus.IN_PROGRESS)


class AnswerMode(enum.StrEnum):
    """How an answer was typed: prose, or code (kept verbatim, graded as code)."""

    DEFAULT = "default"
    CODE = "code"


# The kinds a question can be: the AI schema's list, so the plan and the table agree.
QUESTION_KINDS: tuple[str, ...] = get_args(Kind)


class InterviewSession(db.Model):  # type: ignore[name-defined]
    """One rehearsal of one job interview by one user."""

    __tablename__ = "interview_sessions"
    __table_args__ = (one_of("status", SessionStatus), one_of("language", LANGUAGES))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    resume_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("resumes.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interview_plans.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    company_name: Mapped[str] = mapped_column(sa.String(200), default="")
    job_description: Mapped[str] = mapped_column(sa.Text)
    # A copy of the CV text: the session stays meaningful if the CV is later deleted.
    resume_text: Mapped[str] = mapped_column(sa.Text, default="")
    must_haves: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    nice_to_haves: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    question_count: Mapped[int] = mapped_column(default=8)
    language: Mapped[str] = mapped_column(sa.String(5), default="en")
    status: Mapped[str] = mapped_column(sa.String(20), default=SessionStatus.CREATED, index=True)
    provider: Mapped[str] = mapped_column(sa.String(40), default="")
    model: Mapped[str] = mapped_column(sa.String(120), default="")
    prompt_version: Mapped[str] = mapped_column(sa.String(40), default="")
    fallback_used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the questions were stored; None while a planning job prepares them.
    planned_at: Mapped[datetime | None]
    # Why the last planning job failed (shown with a retry button); cleared by the next run.
    planning_error: Mapped[str | None] = mapped_column(sa.Text)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    evaluated_at: Mapped[datetime | None]
    # Set by the one request that wins the right to evaluate; cleared if evaluation fails.
    evaluation_claimed_at: Mapped[datetime | None]
    # Why the last evaluation job failed (shown with a retry button); cleared by the next claim.
    evaluation_error: Mapped[str | None] = mapped_column(sa.Text)

    questions: Mapped[list[Question]] = relationship(
        back_populates="session",
        order_by="(Question.position, Question.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_unfinished(self) -> bool:
        """CREATED or IN_PROGRESS."""
        return self.status in UNFINISHED

    @property
    def is_planned(self) -> bool:
        """Whether the questions are stored (False while a planning job prepares them)."""
        return self.planned_at is not None

    @property
    def main_questions(self) -> list[Question]:
        """The planned questions, without follow-ups."""
        return [q for q in self.questions if q.parent_id is None]


class Question(db.Model):  # type: ignore[name-defined]
    """A main question or a follow-up, with the candidate's answer and, later, its grade."""

    __tablename__ = "questions"
    __table_args__ = (one_of("kind", QUESTION_KINDS), one_of("answer_mode", AnswerMode))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    # Main questions are numbered 1..n; a follow-up shares its main question's position and is
    # ordered after it by id, so adding one never renumbers anything.
    position: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str] = mapped_column(sa.String(80), default="")
    skill: Mapped[str] = mapped_column(sa.String(80), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="technical")
    difficulty: Mapped[str] = mapped_column(sa.String(10), default="medium")
    reference_answer: Mapped[str] = mapped_column(sa.Text, default="")
    # Each entry is a key point's text, or {"point", "misconceptions"} when the plan gave wrong
    # claims for it; `key_points` and `misconceptions` read and write it, so both forms load.
    key_point_entries: Mapped[list[Any]] = mapped_column("key_points", sa.JSON, default=list)
    answer_text: Mapped[str | None] = mapped_column(sa.Text)
    answer_mode: Mapped[str] = mapped_column(sa.String(10), default=AnswerMode.DEFAULT)
    draft_text: Mapped[str | None] = mapped_column(sa.Text)
    asked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    time_spent_ms: Mapped[int | None]
    paste_chars: Mapped[int | None]
    tab_switches: Mapped[int | None]
    score: Mapped[int | None]
    feedback: Mapped[str | None] = mapped_column(sa.Text)
    covered_points: Mapped[list[str] | None] = mapped_column(sa.JSON)
    missed_points: Mapped[list[str] | None] = mapped_column(sa.JSON)
    # Set once, when the grade is stored: a grade is never overwritten. Main questions only:
    # `grading_claimed_at` marks a grading job at work on the question and its follow-ups.
    graded_at: Mapped[datetime | None]
    graded_by: Mapped[str] = mapped_column(sa.String(170), default="")  # provider/model
    graded_with_fallback: Mapped[bool] = mapped_column(default=False)
    grading_claimed_at: Mapped[datetime | None]
    # What the grade rests on: engine, model, confidence, and the verbatim quotes behind each
    # covered point and each error ({engine, model, confidence, evidence, errors}).
    receipt: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # The instant insights on the answer, computed once when it is stored (they depend only on
    # the answer, the question and the session's job description, none of which change after).
    insights: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # How a spoken answer was delivered (pace, fillers, pauses), measured from the transcript's
    # timed segments; None for a typed answer. Context only: never part of the score.
    delivery: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    session: Mapped[InterviewSession] = relationship(back_populates="questions")

    @property
    def is_follow_up(self) -> bool:
        """Follow-ups point at their main question."""
        return self.parent_id is not None

    @property
    def key_points(self) -> list[str]:
        """The key points' texts, in order."""
        return [point_text(entry) for entry in self.key_point_entries or []]

    @key_points.setter
    def key_points(self, points: list[str]) -> None:
        self.key_point_entries = [str(p) for p in points or []]

    @property
    def misconceptions(self) -> list[dict[str, Any]]:
        """The wrong claims stored with the key points: {point, claim, cues, correction} each."""
        return [
            {"point": entry["point"], **item}
            for entry in self.key_point_entries or []
            if isinstance(entry, dict)
            for item in entry.get("misconceptions") or []
            if isinstance(item, dict)
        ]

    @misconceptions.setter
    def misconceptions(self, items: list[dict[str, Any]]) -> None:
        by_point: dict[str, list[dict[str, Any]]] = {}
        for item in items or []:
            wrong: dict[str, Any] = {
                k: item[k] for k in ("claim", "cues", "correction") if k in item
            }
            by_point.setdefault(question_key(str(item.get("point", ""))), []).append(wrong)
        self.key_point_entries = [
            {"point": text, "misconceptions": found}
            if (found := by_point.get(question_key(text)))
            else text
            for text in self.key_points
        ]

    def public_json(self) -> dict[str, Any]:
        """The Question shape of SPEC §4 — no reference answer or key points."""
        return {
            "id": self.id,
            "position": self.position,
            "text": self.text,
            "category": self.category,
            "kind": self.kind,
            "difficulty": self.difficulty,
            "is_follow_up": self.is_follow_up,
            "parent_id": self.parent_id,
        }


def point_text(entry: object) -> str:
    """A stored key point's text, whether stored as a string or as {"point", "misconceptions"}."""
    if isinstance(entry, dict):
        return str(entry.get("point", ""))
    return str(entry)
