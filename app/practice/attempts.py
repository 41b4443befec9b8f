"""Try again: a new answer to a graded question, graded the way the interview's answers are
(`feedback.grading.grade_items`), kept beside the original and compared with the last grade."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from app.ai.coach import question_key
from app.ai.errors import AllProvidersFailed
from app.errors import AppError, Conflict, NotFound, ValidationFailed
from app.evaluation.grading import grade_items
from app.evaluation.snapshot import snapshot
from app.extensions import db
from app.i18n import translate
from app.interview.services import check_answer_length
from app.models import Attempt, InterviewSession, Question, SessionStatus
from app.responses import iso


def graded_question(session: InterviewSession, question_id: int) -> Question:
    """The session's main question to answer again: 404 when it is not in this session; 409
    until the session is evaluated (key points stay hidden before), when it has no grade, or for
    a follow-up (its points count through its main question, which is the one to retry)."""
    question = next((q for q in session.questions if q.id == question_id), None)
    if question is None:
        raise NotFound(translate("Question not found", session.language))
    if question.parent_id is not None:
        raise Conflict(
            translate(
                "A follow-up is graded with its main question: answer the main question again.",
                session.language,
            )
        )
    if session.status != SessionStatus.EVALUATED or question.score is None:
        raise Conflict(
            translate(
                "A question can be answered again once the interview is evaluated.",
                session.language,
            )
        )
    return question


def attempts_of(session_id: int) -> dict[int, list[Attempt]]:
    """Every attempt in the session, by question id, oldest first (one query)."""
    rows = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.session_id == session_id)
        .order_by(Attempt.question_id, Attempt.number)
    )
    by_question: dict[int, list[Attempt]] = {}
    for attempt in rows:
        by_question.setdefault(attempt.question_id, []).append(attempt)
    return by_question


def last_grade(question: Question) -> tuple[int, int, list[str]]:
    """(number of the last try, its score, its covered points): the latest attempt, else the
    question's own graded answer (try 0)."""
    latest = db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.question_id == question.id)
        .order_by(Attempt.number.desc())
        .limit(1)
    )
    if latest is not None:
        return latest.number, latest.score, list(latest.covered_points or [])
    return 0, question.score or 0, list(question.covered_points or [])


def check_retry_answer(answer: str, language: str) -> str:
    """The answer, stripped; refused when blank or over ANSWER_MAX_CHARS."""
    text = (answer or "").strip()
    if not text:
        raise ValidationFailed(translate("Write your new answer before submitting it.", language))
    check_answer_length(text, language)
    return text


def answer_again(session: InterviewSession, question_id: int, answer: str, mode: str) -> Attempt:
    """Grade a new answer to a graded question and add it as the next attempt (not committed).

    The question's own answer and grade are never changed. The read transaction is ended before
    the grader is called, so a slow provider holds no database lock.
    """
    question = graded_question(session, question_id)
    language = session.language
    text = check_retry_answer(answer, language)
    mode = "code" if mode == "code" else "default"
    number, previous_score, previous_covered = last_grade(question)
    items, facts = snapshot(session)
    item = next(i for i in items if i.question_id == question.id)
    item = replace(
        item,
        answer_text=text,
        answer_mode=mode,
        graded_text=text,
        time_spent_ms=None,
        paste_chars=None,
        tab_switches=None,
    )
    db.session.commit()  # no transaction stays open during the AI call
    try:
        graded, graded_by, fallback = grade_items([item], facts)
    except AllProvidersFailed as error:
        raise AppError(
            translate("The grader is unavailable right now; try again in a moment.", language), 503
        ) from error
    grade = graded[0].grade
    before = {question_key(p) for p in previous_covered}
    attempt = Attempt(
        question_id=question.id,
        session_id=session.id,
        number=number + 1,
        answer_text=text,
        answer_mode=mode,
        score=grade.score,
        previous_score=previous_score,
        feedback=grade.feedback,
        covered_points=list(grade.covered_points),
        missed_points=list(grade.missed_points),
        newly_covered=[p for p in grade.covered_points if question_key(p) not in before],
        receipt=dict(grade.receipt),
        graded_by=graded_by,
        graded_with_fallback=fallback,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def quoted_list(points: list[str], language: str) -> str:
    """ "X", "Y" and "Z" (or “X”、“Y”和“Z”)."""
    if language == "zh":
        quoted = [f"“{p}”" for p in points]
        return quoted[0] if len(quoted) == 1 else "、".join(quoted[:-1]) + "和" + quoted[-1]
    quoted = [f"“{p}”" for p in points]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def delta_sentence(attempt: Attempt, language: str) -> str:
    """ "41 → 78: now covers X and Y; still missing Z." — what changed, in the page's language."""
    parts = []
    if attempt.newly_covered:
        parts.append(
            translate(
                "now covers {points}", language, points=quoted_list(attempt.newly_covered, language)
            )
        )
    if attempt.missed_points:
        parts.append(
            translate(
                "still missing {points}",
                language,
                points=quoted_list(attempt.missed_points, language),
            )
        )
    if not parts:
        parts.append(translate("no key point changed", language))
    separator = "；" if language == "zh" else "; "
    return f"{attempt.previous_score} → {attempt.score}: {separator.join(parts)}."


def attempt_json(attempt: Attempt, language: str) -> dict[str, Any]:
    """One attempt as scripts read it (in the session detail and the attempt's own answer)."""
    return {
        "id": attempt.id,
        "question_id": attempt.question_id,
        "number": attempt.number,
        "answer_text": attempt.answer_text,
        "answer_mode": attempt.answer_mode,
        "score": attempt.score,
        "previous_score": attempt.previous_score,
        "delta": attempt.delta,
        "feedback": attempt.feedback,
        "covered_points": list(attempt.covered_points or []),
        "missed_points": list(attempt.missed_points or []),
        "newly_covered": list(attempt.newly_covered or []),
        "summary": delta_sentence(attempt, language),
        "graded_by": attempt.graded_by,
        "created_at": iso(attempt.created_at),
    }


def attempt_result(attempt: Attempt, language: str) -> dict[str, Any]:
    """The answer to `POST …/attempts`: {attempt, score, previous_score, delta, covered_points,
    missed_points}."""
    return {
        "attempt": attempt_json(attempt, language),
        "score": attempt.score,
        "previous_score": attempt.previous_score,
        "delta": attempt.delta,
        "covered_points": list(attempt.covered_points or []),
        "missed_points": list(attempt.missed_points or []),
    }
