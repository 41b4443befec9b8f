"""What a user's graded answers say about each key point over time: every time a key point was
graded (an evaluated interview's answer, or a later attempt) it was covered or missed.

The drill list and the progress panel both read these outcomes; nothing new is stored for them.
The drill list also reads the wrong claims each grade's receipt flagged, to name the mistakes a
user keeps making.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.ai.offline.bank import question_key
from app.extensions import db
from app.models import Attempt, InterviewSession, Question, SessionStatus, User


@dataclass(frozen=True)
class Outcome:
    """One grading of one key point."""

    at: datetime
    covered: bool


@dataclass
class PointRecord:
    """A key point's history for one user, oldest first, with the latest question that asked it."""

    point: str
    question: Question
    language: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def misses(self) -> int:
        """How many times the point was missed."""
        return sum(1 for o in self.outcomes if not o.covered)

    @property
    def streak(self) -> int:
        """Covered in a row at the end of the history (0 when the last time was a miss)."""
        count = 0
        for outcome in reversed(self.outcomes):
            if not outcome.covered:
                break
            count += 1
        return count


def _graded_rows(
    user: User,
) -> tuple[list[tuple[Question, str, datetime | None]], list[Attempt]]:
    """The user's graded main questions of evaluated interviews (with the session's language
    and when they were graded) and every attempt at them, in one query."""
    rows = db.session.execute(
        sa.select(Question, InterviewSession.language, InterviewSession.evaluated_at, Attempt)
        .join(InterviewSession, Question.session_id == InterviewSession.id)
        .outerjoin(Attempt, Attempt.question_id == Question.id)
        .where(
            InterviewSession.user_id == user.id,
            InterviewSession.status == SessionStatus.EVALUATED.value,
            Question.parent_id.is_(None),
            Question.score.is_not(None),
        )
    ).all()
    questions: dict[int, tuple[Question, str, datetime | None]] = {}
    attempts: list[Attempt] = []
    for question, language, evaluated_at, attempt in rows:
        when = question.graded_at or evaluated_at or question.answered_at
        questions.setdefault(question.id, (question, language, when))
        if attempt is not None:
            attempts.append(attempt)
    return list(questions.values()), attempts


def _record(
    records: dict[str, PointRecord],
    question: Question,
    language: str,
    at: datetime,
    covered: list[str],
    missed: list[str],
) -> None:
    """Add one grading's covered and missed key points to the records."""
    for points, was_covered in ((covered, True), (missed, False)):
        for point in points or []:
            key = question_key(point)
            if not key:
                continue
            record = records.setdefault(key, PointRecord(point, question, language))
            record.outcomes.append(Outcome(at, was_covered))
            record.question, record.point, record.language = question, point, language


def point_records(user: User) -> list[PointRecord]:
    """Every key point the user was graded on, with its outcomes oldest first."""
    questions, attempts = _graded_rows(user)
    by_id = {q.id: (q, lang) for q, lang, _ in questions}
    events: list[tuple[datetime, Question, str, list[str], list[str]]] = [
        (at, q, lang, list(q.covered_points or []), list(q.missed_points or []))
        for q, lang, at in questions
        if at is not None
    ]
    for attempt in attempts:
        question, lang = by_id[attempt.question_id]
        events.append(
            (attempt.created_at, question, lang, attempt.covered_points, attempt.missed_points)
        )
    records: dict[str, PointRecord] = {}
    for at, question, lang, covered, missed in sorted(events, key=lambda e: (e[0], e[1].id)):
        _record(records, question, lang, at, covered, missed)
    return list(records.values())


@dataclass
class MistakeRecord:
    """A wrong claim flagged in a user's graded answers: how many gradings flagged it, the
    correction, and the latest question it was made in."""

    claim: str
    correction: str
    question: Question
    language: str
    times: int = 0
    last_at: datetime | None = None


def _flagged(receipt: Any) -> list[tuple[str, str]]:
    """(claim, correction) of each wrong claim a stored receipt flagged."""
    rows = receipt.get("errors") if isinstance(receipt, Mapping) else None
    return [
        (str(row.get("claim") or "").strip(), str(row.get("correction") or "").strip())
        for row in rows or []
        if isinstance(row, Mapping) and str(row.get("claim") or "").strip()
    ]


def mistake_records(user: User) -> list[MistakeRecord]:
    """Every wrong claim flagged in the user's graded answers (an evaluated interview's, with its
    follow-ups, or a later attempt's), counted once per grading, oldest grading first."""
    questions, attempts = _graded_rows(user)
    by_id = {q.id: (q, lang) for q, lang, _ in questions}
    events: list[tuple[datetime, Question, str, Any]] = [
        (at, q, lang, q.receipt) for q, lang, at in questions if at is not None
    ]
    for attempt in attempts:
        question, lang = by_id[attempt.question_id]
        events.append((attempt.created_at, question, lang, attempt.receipt))
    records: dict[str, MistakeRecord] = {}
    for at, question, lang, receipt in sorted(events, key=lambda e: (e[0], e[1].id)):
        seen: set[str] = set()
        for claim, correction in _flagged(receipt):
            key = question_key(claim)
            if not key or key in seen:
                continue
            seen.add(key)
            record = records.setdefault(key, MistakeRecord(claim, correction, question, lang))
            record.times += 1
            record.last_at, record.question, record.language = at, question, lang
            record.correction = correction or record.correction
    return list(records.values())
