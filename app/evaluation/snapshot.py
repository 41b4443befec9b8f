"""Grading an interview's answers: requests, grades with receipts, the numbers, the summary.

The work is split so the slow part touches no database: `snapshot` copies what the AI needs out of
the session's rows, the jobs (`evaluation.grading`, `evaluation.services`) call the AI tasks, the
arithmetic here runs on plain values, and the caller stores the `Evaluation` in one transaction.

A main question is graded on its own answer plus the answers to its follow-ups, so a good
follow-up answer earns the points the first answer missed; follow-ups are graded on their own as
well, for display, against their main question and its key points. Only the candidate's words are
graded: a follow-up question's own text is never joined to an answer (it would earn the
interviewer's words credit), and goes to a remote judge apart, as context. Questions with no
answer are never sent: they score 0 here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.ai.coach import copies_question
from app.ai.receipts import find_quote
from app.ai.router import AIResult
from app.ai.schemas import (
    AnswerEvaluation,
    AnswerToGrade,
    EvaluateRequest,
    EvaluationBatch,
    FollowUpReply,
    GradedAnswer,
    InterviewSummary,
    PointMisconception,
    SummaryRequest,
)
from app.evaluation.integrity import IntegrityResult
from app.evaluation.scoring import ScoreCard, clamp_score
from app.language import as_language
from app.models import InterviewSession

KINDS = ("technical", "behavioral", "project", "situational", "coding")
NOT_ANSWERED = {"en": "Not answered, so this question scores 0.", "zh": "未作答，本题计0分。"}
FOLLOW_UP_NOT_ANSWERED = {
    "en": "Not answered. Follow-ups count only through their main question.",
    "zh": "未作答。追问只通过其主问题计分。",
}


@dataclass(frozen=True)
class Item:
    """One question copied out of its row, with the text it is graded on."""

    question_id: int
    parent_id: int | None
    position: int
    text: str
    category: str
    skill: str
    kind: str
    reference_answer: str
    key_points: list[str]
    answer_text: str | None
    answer_mode: str
    graded_text: str  # main questions: own answer plus follow-up answers (answers only)
    main_text: str = ""  # a follow-up's main question, the context it is graded in
    time_spent_ms: int | None = None
    paste_chars: int | None = None
    tab_switches: int | None = None
    misconceptions: tuple[dict[str, Any], ...] = ()  # the plan's wrong claims per key point
    # main questions: (follow-up question, its answer) for each answer in `graded_text`
    follow_ups: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Facts:
    """The session-level context the summary and skill scores need."""

    session_id: int
    language: str
    job_title: str
    company_name: str
    job_description: str
    resume_text: str
    must_haves: list[str]
    nice_to_haves: list[str]


@dataclass(frozen=True)
class QuestionGrade:
    """The grade of one question: clamped score, feedback, covered and missed key points, and
    the receipt of what it rests on."""

    score: int
    feedback: str
    covered_points: list[str] = field(default_factory=list)
    missed_points: list[str] = field(default_factory=list)
    receipt: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GradedItem:
    """An `Item` with its grade; what scoring and the summary read."""

    item: Item
    grade: QuestionGrade

    @property
    def parent_id(self) -> int | None:
        """The main question's id for a follow-up."""
        return self.item.parent_id

    @property
    def category(self) -> str:
        """The question's category."""
        return self.item.category

    @property
    def skill(self) -> str:
        """The skill the question assesses."""
        return self.item.skill

    @property
    def kind(self) -> str:
        """technical, behavioral, project, situational or coding."""
        return self.item.kind

    @property
    def text(self) -> str:
        """The question."""
        return self.item.text

    @property
    def score(self) -> int:
        """The clamped 0–100 score."""
        return self.grade.score


@dataclass(frozen=True)
class Evaluation:
    """Everything one evaluation produced, ready to store."""

    graded: list[GradedItem]
    card: ScoreCard
    summary: InterviewSummary
    integrity: IntegrityResult
    grading: AIResult[EvaluationBatch]
    summarising: AIResult[InterviewSummary]

    @property
    def fallback_used(self) -> bool:
        """Whether a fallback provider produced any part of it."""
        return self.grading.fallback_used or self.summarising.fallback_used


def language_of(session: InterviewSession) -> str:
    """The session's language as the AI schemas spell it."""
    return as_language(session.language)


def combined_answer(main: Any, follow_ups: list[Any]) -> str:
    """The candidate's words on one main question: its answer, then each follow-up's answer.

    The follow-up questions themselves are left out: they are the interviewer's words, and any key
    point they name must not count as the candidate's. So is a follow-up answer that only copies
    its question back.
    """
    parts = [(main.answer_text or "").strip()]
    parts.extend(text for _, text in follow_up_replies(follow_ups))
    return "\n\n".join(part for part in parts if part)


def follow_up_replies(follow_ups: list[Any]) -> tuple[tuple[str, str], ...]:
    """(question, answer) of each follow-up whose answer counts as the candidate's words: one
    that is not blank and does not only copy its question back."""
    replies = []
    for follow_up in follow_ups:
        text = (follow_up.answer_text or "").strip()
        if text and not copies_question(text, follow_up.text or ""):
            replies.append((follow_up.text or "", text))
    return tuple(replies)


def _item(question: Any, follow_ups: list[Any], main: Any | None) -> Item:
    """One question as an `Item`; a main question's graded text includes its follow-ups' answers.

    A follow-up is graded in its main question's context: against the main question's key points
    and reference answer, on its own answer alone.
    """
    if main is None:
        graded, context = combined_answer(question, follow_ups), question
    else:
        graded, context = (question.answer_text or "").strip(), main
    return Item(
        question_id=question.id,
        parent_id=question.parent_id,
        position=question.position,
        text=question.text,
        category=question.category or "",
        skill=question.skill or "",
        kind=question.kind if question.kind in KINDS else "technical",
        reference_answer=context.reference_answer or question.reference_answer or "",
        key_points=list(context.key_points or question.key_points or []),
        answer_text=question.answer_text,
        answer_mode=question.answer_mode or "default",
        graded_text=graded,
        main_text=context.text if main is not None else "",
        time_spent_ms=question.time_spent_ms,
        paste_chars=question.paste_chars,
        tab_switches=question.tab_switches,
        misconceptions=tuple(question.misconceptions),
        follow_ups=follow_up_replies(follow_ups) if main is None else (),
    )


def snapshot(session: InterviewSession) -> tuple[list[Item], Facts]:
    """Copy the session's questions and context into plain values."""
    language = language_of(session)
    children: dict[int, list[Any]] = {}
    by_id = {question.id: question for question in session.questions}
    for question in session.questions:
        if question.parent_id is not None:
            children.setdefault(question.parent_id, []).append(question)
    items = [
        _item(q, children.get(q.id, []), by_id.get(q.parent_id) if q.parent_id else None)
        for q in session.questions
    ]
    facts = Facts(
        session_id=session.id,
        language=language,
        job_title=session.job_title or "",
        company_name=session.company_name or "",
        job_description=session.job_description or "",
        resume_text=session.resume_text or "",
        must_haves=list(session.must_haves or []),
        nice_to_haves=list(session.nice_to_haves or []),
    )
    return items, facts


def has_answers(session: InterviewSession) -> bool:
    """Whether any question has a non-blank submitted answer."""
    return any((q.answer_text or "").strip() for q in session.questions if q.answered_at)


def stored_misconceptions(items: tuple[dict[str, Any], ...]) -> list[PointMisconception]:
    """The plan's wrong claims as stored; one that no longer validates is left out, not fatal."""
    out = []
    for item in items:
        try:
            out.append(PointMisconception.model_validate(item))
        except ValidationError:
            continue
    return out


def grading_request(items: list[Item], facts: Facts) -> EvaluateRequest:
    """One batch with every question that has something to grade."""
    return EvaluateRequest(
        items=[
            AnswerToGrade(
                question_id=item.question_id,
                question=item.main_text or item.text,
                follow_up_question=item.text if item.main_text else "",
                category=item.category,
                kind=item.kind,  # type: ignore[arg-type]
                reference_answer=item.reference_answer,
                key_points=item.key_points,
                misconceptions=stored_misconceptions(item.misconceptions),
                answer=item.graded_text,
                answer_mode="code" if item.answer_mode == "code" else "default",
                follow_ups=[FollowUpReply(question=q, answer=a) for q, a in item.follow_ups],
            )
            for item in items
            if item.graded_text
        ],
        language=facts.language,  # type: ignore[arg-type]
        job_description=facts.job_description,
    )


def grades_from(
    batch: EvaluationBatch, items: list[Item], language: str, engine: str = "", model: str = ""
) -> list[GradedItem]:
    """Every item with its grade: the model's for graded ones (clamped, quotes already proven by
    the task), 0 for the rest; each with its receipt."""
    by_id = {evaluation.question_id: evaluation for evaluation in batch.evaluations}
    graded = []
    for item in items:
        evaluation = by_id.get(item.question_id) if item.graded_text else None
        if evaluation is None:
            texts = NOT_ANSWERED if item.parent_id is None else FOLLOW_UP_NOT_ANSWERED
            missed = list(item.key_points)
            grade = QuestionGrade(0, texts[language], [], missed, unanswered_receipt())
        else:
            grade = QuestionGrade(
                clamp_score(evaluation.score),
                evaluation.feedback.strip(),
                [p for p in evaluation.covered_points if p.strip()],
                [p for p in evaluation.missed_points if p.strip()],
                receipt_of(evaluation, item.graded_text, engine, model),
            )
        graded.append(GradedItem(item, grade))
    return graded


def receipt_of(evaluation: AnswerEvaluation, answer: str, engine: str, model: str) -> dict:
    """The receipt stored with a grade; every quote is re-checked to be a span of ``answer``."""
    evidence = [
        {"point": e.point, "quote": e.quote}
        for e in evaluation.evidence
        if find_quote(answer, e.quote) == e.quote
    ]
    errors = [
        {"claim": e.claim, "quote": e.quote, "correction": e.correction}
        for e in evaluation.errors
        if find_quote(answer, e.quote) == e.quote
    ]
    return {
        "engine": engine,
        "model": model,
        "confidence": round(evaluation.confidence, 2),
        "evidence": evidence,
        "errors": errors,
    }


def unanswered_receipt() -> dict:
    """The receipt of a question scored 0 by rule, because it has no answer."""
    return {"engine": "server", "model": "", "confidence": 1.0, "evidence": [], "errors": []}


def _graded_answer(graded: GradedItem) -> GradedAnswer:
    """A main question's grade as the summary reads it."""
    item, grade = graded.item, graded.grade
    return GradedAnswer(
        question=item.text,
        category=item.category,
        skill=item.skill,
        kind=item.kind,  # type: ignore[arg-type]
        answer=item.graded_text,
        score=grade.score,
        feedback=grade.feedback,
        covered_points=grade.covered_points,
        missed_points=grade.missed_points,
    )


def summary_request(graded: list[GradedItem], card: ScoreCard, facts: Facts) -> SummaryRequest:
    """The summary's input: the server's numbers and each main question's grade. The CV and
    job description go whole: the prompt cuts them to its budget and says how much it left out."""
    answers = [_graded_answer(g) for g in graded if g.item.parent_id is None]
    return SummaryRequest(
        job_title=facts.job_title,
        company_name=facts.company_name,
        job_description=facts.job_description,
        resume_text=facts.resume_text,
        language=facts.language,  # type: ignore[arg-type]
        overall_score=card.overall,
        category_scores={c["category"]: c["score"] for c in card.category_scores},
        answers=answers,
    )
