"""Storing an evaluation: per-question grades, the feedback row, the report row and the status.

All of it is one transaction, so a session is either fully evaluated or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.extensions import db
from app.feedback.evaluation import Evaluation
from app.models import Feedback, InterviewSession, Report, SessionStatus, utcnow


def bullets(items: Iterable[str]) -> str:
    """A Markdown bullet list, one item per line whatever the model put inside an item."""
    lines = []
    for item in items:
        text = " ".join(str(item).split()).lstrip("-*•· ").strip()
        if text:
            lines.append(f"- {text}")
    return "\n".join(lines)


def _prompt_versions(evaluation: Evaluation) -> str:
    """Both prompts' versions in the 40 characters the column holds: "evaluate v1; summary v1"."""
    grade = evaluation.grading.prompt_version.rpartition("/")[2]
    summary = evaluation.summarising.prompt_version.rpartition("/")[2]
    return f"evaluate {grade}; summary {summary}"[:40]


def apply_grades(session: InterviewSession, evaluation: Evaluation) -> None:
    """Write each question's score, feedback and key points covered and missed."""
    grades = {g.item.question_id: g.grade for g in evaluation.graded}
    for question in session.questions:
        grade = grades.get(question.id)
        if grade is None:  # cannot happen once the claim closed the session; never invent one
            continue
        question.score = grade.score
        question.feedback = grade.feedback
        question.covered_points = list(grade.covered_points)
        question.missed_points = list(grade.missed_points)


def new_feedback(session: InterviewSession, evaluation: Evaluation) -> Feedback:
    """The feedback row: 1–10 score and Markdown strengths, weaknesses and CV improvements."""
    summary = evaluation.summary
    return Feedback(
        session_id=session.id,
        interview_score=evaluation.card.interview_score,
        strengths=bullets(summary.strengths),
        weaknesses=bullets(summary.weaknesses),
        cv_improvements=summary.cv_improvements.strip(),
        provider=evaluation.summarising.provider,
        model=evaluation.summarising.model,
    )


def new_report(session: InterviewSession, evaluation: Evaluation) -> Report:
    """The report row; every number comes from the score card, never from the model."""
    card, summary = evaluation.card, evaluation.summary
    return Report(
        session_id=session.id,
        overall_score=card.overall,
        category_scores=card.category_scores,
        skill_scores=card.skill_scores,
        overall_feedback=summary.overall_feedback.strip(),
        strengths=[" ".join(s.split()) for s in summary.strengths if s.strip()],
        improvements=[" ".join(s.split()) for s in summary.weaknesses if s.strip()],
        improvement_plan=[item.model_dump(mode="json") for item in summary.improvement_plan],
        candidate_summary=summary.candidate_summary.strip(),
        recommendation=card.recommendation,
        integrity_score=evaluation.integrity.score,
        integrity_flags=list(evaluation.integrity.flags),
        provider=evaluation.grading.provider,
        model=evaluation.grading.model,
        prompt_version=_prompt_versions(evaluation),
        fallback_used=evaluation.fallback_used,
    )


def store_evaluation(session: InterviewSession, evaluation: Evaluation) -> Feedback:
    """Add the grades, feedback and report, and mark the session EVALUATED (not committed)."""
    apply_grades(session, evaluation)
    feedback = new_feedback(session, evaluation)
    db.session.add(feedback)
    db.session.add(new_report(session, evaluation))
    session.status = SessionStatus.EVALUATED.value
    session.evaluated_at = utcnow()
    return feedback
