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

from app.ai.coach import question_key
from app.extensions import db
from app.models import Attempt, InterviewSession, Question, SessionStatus, User


@dataclass(frozen=True)
class Outcome:
    """One grading of one key point."""

    at: datetime
    covered: bool


class Spaced:
    """What spaced repetition reads of a record: its outcomes, oldest first."""

    outcomes: list[Outcome]

    @property
    def misses(self) -> int:
        """How many times it went wrong."""
        return sum(1 for o in self.outcomes if not o.covered)

    @property
    def streak(self) -> int:
        """Right in a row at the end of the history (0 when the last time went wrong)."""
        count = 0
        for outcome in reversed(self.outcomes):
            if not outcome.covered:
                break
            count += 1
        return count


@dataclass
class PointRecord(Spaced):
    """A key point's history for one user, oldest first, with the latest question that asked it."""

    point: str
    question: Question
    language: str
    outcomes: list[Outcome] = field(default_factory=list)


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


@dataclass(frozen=True)
class Grading:
    """One grade of a main question: an evaluated interview's answer or a later attempt."""

    at: datetime
    question: Question
    language: str
    covered: list[str]
    missed: list[str]
    receipt: Any


def gradings(user: User) -> list[Grading]:
    """Every grade of the user's main questions, oldest first."""
    questions, attempts = _graded_rows(user)
    by_id = {q.id: (q, lang) for q, lang, _ in questions}
    found = [
        Grading(at, q, lang, list(q.covered_points or []), list(q.missed_points or []), q.receipt)
        for q, lang, at in questions
        if at is not None
    ]
    for attempt in attempts:
        question, lang = by_id[attempt.question_id]
        found.append(
            Grading(
                attempt.created_at,
                question,
                lang,
                list(attempt.covered_points or []),
                list(attempt.missed_points or []),
                attempt.receipt,
            )
        )
    return sorted(found, key=lambda g: (g.at, g.question.id))


def point_records(user: User, graded: list[Grading] | None = None) -> list[PointRecord]:
    """Every key point the user was graded on, with its outcomes oldest first."""
    records: dict[str, PointRecord] = {}
    for g in gradings(user) if graded is None else graded:
        _record(records, g.question, g.language, g.at, g.covered, g.missed)
    return list(records.values())


@dataclass
class MistakeRecord(Spaced):
    """A wrong claim flagged in a user's graded answers: how many gradings flagged it, the
    correction, the key point it gets wrong (when the question names the claim as a known
    misconception of one), and the latest question it was made in.

    Its outcomes feed the same spacing as a key point's: each grading that flags it is a miss,
    and a later grading of a question it was made in that does not repeat it and gets its point
    right (or, for a claim tied to no point, covers some key point) is a success, so the mistake
    stops being due once it is corrected and comes back later."""

    claim: str
    correction: str
    question: Question
    language: str
    times: int = 0
    last_at: datetime | None = None
    point: str | None = None
    asked_in: set[str] = field(default_factory=set)  # question_key of each question it was in
    outcomes: list[Outcome] = field(default_factory=list)


def _flagged(receipt: Any) -> list[tuple[str, str]]:
    """(claim, correction) of each wrong claim a stored receipt flagged."""
    rows = receipt.get("errors") if isinstance(receipt, Mapping) else None
    return [
        (str(row.get("claim") or "").strip(), str(row.get("correction") or "").strip())
        for row in rows or []
        if isinstance(row, Mapping) and str(row.get("claim") or "").strip()
    ]


def _point_of(question: Question, claim_key: str) -> str | None:
    """The key point whose known misconception the claim is, if the question names one."""
    for wrong in question.misconceptions:
        if question_key(str(wrong.get("claim") or "")) == claim_key:
            return str(wrong.get("point") or "") or None
    return None


def _corrected(record: MistakeRecord, grading: Grading) -> bool:
    """Whether a grading that did not repeat the mistake got right what it got wrong."""
    covered = {question_key(p) for p in grading.covered}
    if record.point is not None:
        return question_key(record.point) in covered
    return bool(covered)


def mistake_records(user: User, graded: list[Grading] | None = None) -> list[MistakeRecord]:
    """Every wrong claim flagged in the user's graded answers (an evaluated interview's, with its
    follow-ups, or a later attempt's), counted once per grading, with its outcomes oldest first."""
    records: dict[str, MistakeRecord] = {}
    for g in gradings(user) if graded is None else graded:
        asked = question_key(g.question.text)
        seen: set[str] = set()
        for claim, correction in _flagged(g.receipt):
            key = question_key(claim)
            if not key or key in seen:
                continue
            seen.add(key)
            record = records.setdefault(
                key, MistakeRecord(claim, correction, g.question, g.language)
            )
            record.times += 1
            record.last_at, record.question, record.language = g.at, g.question, g.language
            record.correction = correction or record.correction
            record.point = record.point or _point_of(g.question, key)
            record.asked_in.add(asked)
            record.outcomes.append(Outcome(g.at, False))
        for key, record in records.items():
            if key not in seen and asked in record.asked_in and _corrected(record, g):
                record.outcomes.append(Outcome(g.at, True))
    return list(records.values())
