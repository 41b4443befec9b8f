"""Storing an evaluation: per-question grades, the feedback row, the report row and the status.

All of it is one transaction, so a session is either fully evaluated or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.evaluation.snapshot import Evaluation
from app.extensions import db
from app.models import Feedback, InterviewSession, Report, SessionStatus, utcnow

_BULLET = re.compile(r"^(?:[-*+•·]|\d+[.)])\s+")


def bullets(items: Iterable[str]) -> str:
    """A Markdown bullet list, one item per line whatever the model put inside an item."""
    lines = []
    for item in items:
        text = _BULLET.sub("", " ".join(str(item).split()))
        if text:
            lines.append(f"- {text}")
    return "\n".join(lines)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def tidy_markdown(text: str) -> str:
    """Put a blank line before a list that follows a paragraph line.

    Models (and the offline summary) often start a list on the line right after "for example:";
    Markdown needs the blank line, or the list renders as one run-on paragraph.
    """
    lines: list[str] = []
    for line in text.strip().splitlines():
        previous = lines[-1] if lines else ""
        if _LIST_ITEM.match(line) and previous.strip() and not _LIST_ITEM.match(previous):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def _prompt_versions(evaluation: Evaluation) -> str:
    """Both prompts' versions in the 40 characters the column holds: "evaluate v1; summary v1"."""
    grade = evaluation.grading.prompt_version.rpartition("/")[2]
    summary = evaluation.summarising.prompt_version.rpartition("/")[2]
    return f"evaluate {grade}; summary {summary}"[:40]


def apply_grades(session: InterviewSession, evaluation: Evaluation) -> None:
    """Write the score, feedback and key points covered and missed of each question that has no
    stored grade yet (grades stored as the candidate went are never replaced)."""
    grades = {g.item.question_id: g.grade for g in evaluation.graded}
    now = utcnow()
    for question in session.questions:
        grade = grades.get(question.id)
        if grade is None or question.graded_at is not None:
            continue
        question.score = grade.score
        question.feedback = grade.feedback
        question.covered_points = list(grade.covered_points)
        question.missed_points = list(grade.missed_points)
        question.graded_at = now
        question.receipt = dict(grade.receipt)


def new_feedback(session: InterviewSession, evaluation: Evaluation) -> Feedback:
    """The feedback row: 1–10 score and Markdown strengths, weaknesses and CV improvements."""
    summary = evaluation.summary
    return Feedback(
        session_id=session.id,
        interview_score=evaluation.card.interview_score,
        strengths=bullets(summary.strengths),
        weaknesses=bullets(summary.weaknesses),
        cv_improvements=tidy_markdown(summary.cv_improvements),
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
        integrity_flags=[flag.as_stored() for flag in evaluation.integrity.flags],
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
