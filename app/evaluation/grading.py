"""Grading as the candidate goes: each main question, with its follow-ups, graded once.

A main question is graded on its answer plus its follow-ups' (see `evaluation.combined_answer`), so
it is graded when its follow-up round is over — by a `grade_answer` job queued right after the
answer, while the candidate works on the next question — or, for any left over, by the
evaluation itself. Either way the same steps run:

1. claim: a guarded UPDATE stamps `grading_claimed_at` on ungraded main questions whose claim is
   empty or older than `GRADING_CLAIM_STALE_S` (a grader that died), so two graders never work
   on the same question at once;
2. grade the claimed questions and their follow-ups in one AI call, outside any transaction;
3. store: a guarded UPDATE per question where `graded_at` is empty, so a grade is stored exactly
   once and never replaces one already stored. A failed grading releases its claim and changes
   nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.ai import tasks as ai
from app.ai.prompts import PROMPT_VERSIONS
from app.ai.router import AIResult
from app.ai.schemas import EvaluationBatch
from app.evaluation.snapshot import (
    Facts,
    GradedItem,
    Item,
    QuestionGrade,
    grades_from,
    grading_request,
)
from app.evaluation.snapshot import snapshot as snapshot_session
from app.extensions import db
from app.models import InterviewSession, Question, utcnow

GRADE_JOB = "grade_answer"
WAIT_STEP_S = 0.2


def _claim(main_ids: list[int]) -> tuple[datetime, list[int]]:
    """Claim the ungraded, unclaimed (or stale) main questions among `main_ids`; commits."""
    now = utcnow()
    stale = now - timedelta(seconds=float(current_app.config["GRADING_CLAIM_STALE_S"]))
    free = sa.or_(Question.grading_claimed_at.is_(None), Question.grading_claimed_at < stale)
    mine = sa.and_(Question.id.in_(main_ids), Question.graded_at.is_(None))
    db.session.execute(
        sa.update(Question)
        .where(mine, Question.parent_id.is_(None), free)
        .values(grading_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # exactly once: other graders see these claims at once
    claimed = db.session.scalars(
        sa.select(Question.id).where(mine, Question.grading_claimed_at == now)
    ).all()
    return now, list(claimed)


def _release(main_ids: list[int], claimed_at: datetime) -> None:
    """Give back our claims on questions that are still ungraded (after a failure); commits."""
    db.session.rollback()
    db.session.execute(
        sa.update(Question)
        .where(
            Question.id.in_(main_ids),
            Question.grading_claimed_at == claimed_at,
            Question.graded_at.is_(None),
        )
        .values(grading_claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # exactly once: the questions are free for another grader


def _group(items: list[Item], main_ids: list[int]) -> list[Item]:
    """The items of these main questions and of their follow-ups."""
    wanted = set(main_ids)
    return [i for i in items if i.question_id in wanted or i.parent_id in wanted]


def grade_items(items: list[Item], facts: Facts) -> tuple[list[GradedItem], str, bool]:
    """Grades for `items` in one AI call (none when nothing was answered), with who made them.

    The one grading path: answers graded as the candidate goes, at evaluation, and each later
    attempt at a question (`app.practice`) all come through here."""
    request = grading_request(items, facts)
    if not request.items:
        return grades_from(EvaluationBatch(evaluations=[]), items, facts.language), "", False
    result = ai.evaluate_answers(request)
    graded = grades_from(result.value, items, facts.language, result.provider, result.model)
    return graded, f"{result.provider}/{result.model}"[:170], result.fallback_used


def _store(graded: list[GradedItem], graded_by: str, fallback: bool) -> int:
    """Store each grade unless the question already has one; commits. Returns how many."""
    now, stored = utcnow(), 0
    for item in graded:
        grade = item.grade
        result = db.session.execute(
            sa.update(Question)
            .where(Question.id == item.item.question_id, Question.graded_at.is_(None))
            .values(
                score=grade.score,
                feedback=grade.feedback,
                covered_points=list(grade.covered_points),
                missed_points=list(grade.missed_points),
                receipt=dict(grade.receipt),
                graded_at=now,
                graded_by=graded_by,
                graded_with_fallback=fallback,
                grading_claimed_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        stored += result.rowcount  # type: ignore[attr-defined]
    db.session.commit()  # exactly once: a stored grade is never replaced
    return stored


def grade_main_questions(session_id: int, main_ids: list[int]) -> list[int]:
    """Grade whichever of these main questions (with follow-ups) nobody else is grading.

    Returns the ids still ungraded because another grader holds them. Raises
    `AllProvidersFailed` (claims released, nothing stored) when the AI cannot answer.
    """
    claimed_at, claimed = _claim(main_ids)
    if claimed:
        try:
            items, facts = snapshot_session(db.session.get_one(InterviewSession, session_id))
            db.session.commit()  # no transaction stays open during the AI call
            graded, graded_by, fallback = grade_items(_group(items, claimed), facts)
        except BaseException:
            _release(claimed, claimed_at)
            raise
        _store(graded, graded_by, fallback)
    left = set(ungraded_main_ids(session_id))
    return [i for i in main_ids if i in left]


def ungraded_main_ids(session_id: int) -> list[int]:
    """Main questions of the session without a stored grade."""
    db.session.rollback()  # read what other graders committed since
    return list(
        db.session.scalars(
            sa.select(Question.id).where(
                Question.session_id == session_id,
                Question.parent_id.is_(None),
                Question.graded_at.is_(None),
            )
        )
    )


def grade_remaining(session_id: int) -> None:
    """Grade every main question still ungraded, waiting for those another grader holds (until
    they are stored, or their claim goes stale and is taken over here)."""
    limit = time.monotonic() + 2 * float(current_app.config["GRADING_CLAIM_STALE_S"]) + 5
    while pending := ungraded_main_ids(session_id):
        if not grade_main_questions(session_id, pending):
            continue  # all graded here; the loop checks nothing was left
        if time.monotonic() > limit:
            raise TimeoutError(f"grades of session {session_id} still held by other graders")
        time.sleep(WAIT_STEP_S)


def stored_grades(session: InterviewSession, items: list[Item]) -> list[GradedItem]:
    """Every item with the grade stored on its question (0 for one never graded)."""
    rows = {question.id: question for question in session.questions}
    graded = []
    for item in items:
        row = rows[item.question_id]
        grade = QuestionGrade(
            row.score or 0,
            row.feedback or "",
            list(row.covered_points or []),
            list(row.missed_points or []),
            dict(row.receipt or {}),
        )
        graded.append(GradedItem(item, grade))
    return graded


def grading_record(session: InterviewSession) -> AIResult[EvaluationBatch]:
    """Who graded the session, for the report: the provider and model that graded most of its
    answers, and whether any grade came from a fallback."""
    makers = Counter(q.graded_by for q in session.questions if q.graded_by)
    maker = makers.most_common(1)[0][0] if makers else "offline/built-in"
    provider, _, model = maker.partition("/")
    return AIResult(
        value=EvaluationBatch(evaluations=[]),
        provider=provider,
        model=model,
        prompt_version=PROMPT_VERSIONS["evaluate_answers"],
        attempts=0,
        fallback_used=any(q.graded_with_fallback for q in session.questions),
        latency_ms=0,
    )


def graded_progress(session: InterviewSession) -> tuple[int, int]:
    """(main answers graded, main answers to grade): what the progress page counts."""
    answered = [q for q in session.main_questions if q.answered_at is not None]
    return sum(1 for q in answered if q.graded_at is not None), len(answered)
