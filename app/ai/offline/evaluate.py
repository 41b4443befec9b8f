"""Grading a batch of answers offline: the `evaluate_answers` task.

Each answer is graded on its own with `grade_answer`. When the question came from the bank, the
bank's cues for each key point go along, since hand-written cues catch phrasings the key point's
own words do not.
"""

from __future__ import annotations

import math

from app.ai.offline.bank import Bank, BankQuestion, load_bank
from app.ai.offline.grading import Grade, grade_answer
from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.feedback import invalid_grade
from app.ai.offline.grading.misconceptions import misconceptions_for
from app.ai.offline.grading.topic import prepare_topic
from app.ai.offline.grading.validity import feedback_language, is_copy, reason_text
from app.ai.schemas import (
    AnswerEvaluation,
    AnswerToGrade,
    EvaluateRequest,
    EvaluationBatch,
    QuotedError,
    QuotedPoint,
)

_FEEDBACK_LIMIT = 4000
UNVERIFIED_CONFIDENCE = 0.3  # below the 0.5 from which the report calls a grade verified


def bank_cues(entry: BankQuestion | None, key_points: list[str]) -> list[list[str]] | None:
    """The bank's cues aligned with these key points (a point the bank doesn't know gets none)."""
    if entry is None:
        return None
    by_point = entry.cues
    cues = [by_point.get(point, []) for point in key_points]
    return cues if any(cues) else None


def grade_in_context(item: AnswerToGrade, language: str, bank: Bank | None = None) -> Grade:
    """Grade one answer, filling in what the item lacks from its bank entry.

    The one offline judgement of an answer: the final grade and the instant insights both come
    from here, so they never disagree. A follow-up's answer is graded against its main question
    (``item.question``); the follow-up's own words only serve to tell an answer that copies them
    back, which is no answer.
    """
    bank = bank or load_bank()
    entry = bank.find_by_text(item.question)
    key_points = item.key_points or (entry.points if entry else [])
    reference = item.reference_answer or (entry.reference_answer if entry else "")
    kind = "coding" if item.answer_mode == "code" and item.kind == "technical" else item.kind
    if item.follow_up_question and copies_question(item.answer, item.follow_up_question):
        return invalid_grade(
            feedback_language(language, item.question, item.answer),
            reason_text("copied", feedback_language(language, item.question, item.answer)),
            key_points,
        )
    return grade_answer(
        item.question,
        item.answer,
        key_points,
        reference_answer=reference,
        kind=kind,
        language=language,
        cues=bank_cues(entry, key_points),
        misconceptions=list(
            misconceptions_for(
                item.question, key_points, [m.model_dump() for m in item.misconceptions]
            )
        ),
        follow_ups=item.reply_starts(),
    )


def copies_question(answer: str, question: str) -> bool:
    """The answer adds nothing to a question's own words."""
    topic = prepare_topic(question, (), "", (), False)
    return is_copy(analyse(answer).terms, topic.question_terms, answer, question)


def grade_item(item: AnswerToGrade, language: str, bank: Bank) -> AnswerEvaluation:
    """Grade one answer as an `AnswerEvaluation`, with a quote for every covered point and every
    contradiction, and how sure the grader can be."""
    grade = grade_in_context(item, language, bank)
    in_bank = bank.find_by_text(item.question) is not None
    return AnswerEvaluation(
        evidence=[QuotedPoint(point=p, quote=q) for p, q in grade.evidence.items()],
        errors=[
            QuotedError(claim=e["claim"], quote=e["quote"], correction=e["correction"])
            for e in grade.errors
        ],
        confidence=confidence(grade, in_bank),
        question_id=item.question_id,
        score=max(0, min(100, int(grade.score))),
        feedback=grade.feedback[:_FEEDBACK_LIMIT],
        covered_points=list(grade.covered_points),
        missed_points=list(grade.missed_points),
    )


def confidence(grade: Grade, in_bank: bool) -> float:
    """How far the offline grade can be trusted, 0–1 (below 0.5 the page says "not verified").

    An invalid answer is plain to see. Otherwise the grade rests on what matched: the bank's
    hand-written cues make a match trustworthy, and a grade built on few matched points, or on a
    question from outside the bank, is a guess about an answer in words the grader does not know.
    An answer whose claims the grader could not verify (`Grade.verified`) is never above
    `UNVERIFIED_CONFIDENCE`, so the page says "not verified" however many words matched.
    """
    if grade.invalid_reason:
        return 0.9
    if not grade.verified:
        return UNVERIFIED_CONFIDENCE
    points = len(grade.covered_points) + len(grade.missed_points)
    if not points:
        return 0.2
    matched = len(grade.covered_points) + len(grade.errors)
    base = 0.4 if in_bank else 0.25
    return round(min(0.95, base + 0.5 * min(1.0, matched / max(1, math.ceil(points / 2)))), 2)


def evaluate_answers(req: EvaluateRequest) -> EvaluationBatch:
    """Grade every answer of a batch, matched to its question by id."""
    bank = load_bank()
    return EvaluationBatch(evaluations=[grade_item(item, req.language, bank) for item in req.items])
