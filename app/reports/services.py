"""The stored report: finding it (evaluating a COMPLETED session first), its JSON, and its PDF.

`report_json` is the one builder of SPEC §4's Report object: the report page, its JSON face, the
PDF and the recruiter API all read it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.ai.receipts import find_quote
from app.bands import report_band
from app.errors import AppError, NotFound, ValidationFailed
from app.evaluation import services as evaluation
from app.evaluation.claim import evaluation_running
from app.extensions import db
from app.language import as_language
from app.models import InterviewSession, Question, Report, SessionStatus, User
from app.reports.pdf import ReportMeta, render_report_pdf
from app.responses import iso

REPORT_NOT_READY = "Report not generated yet"
REPORT_PENDING = "Your report is being generated. Refresh in a few seconds."


class ReportPending(AppError):
    """Another request is evaluating the session right now."""

    status = 202

    def __init__(self) -> None:
        super().__init__(REPORT_PENDING)


def stored_report(session_id: int) -> Report | None:
    """The session's report row, if it has been generated."""
    return db.session.scalar(sa.select(Report).where(Report.session_id == session_id))


def get_report(session: InterviewSession, *, evaluate: bool = True, wait_s: float = 0.0) -> Report:
    """The session's report, evaluating a COMPLETED session first when `evaluate` is true.

    Raises ValidationFailed "Interview not completed" for an unfinished session, NotFound "Report
    not generated yet" for a COMPLETED one when `evaluate` is false, ReportPending while another
    request evaluates it or the job still runs, and whatever `evaluation.request_evaluation` and
    `evaluation.wait_for_evaluation` raise (empty interview, AI service error). It waits up to
    `wait_s` for the evaluation job (the route gives JSON clients COMPLETE_WAIT_S; browsers are
    shown its progress).
    """
    if session.is_unfinished:
        raise ValidationFailed(evaluation.NOT_COMPLETED)
    report = stored_report(session.id)
    if report is not None:
        return report
    if not evaluate or session.status != SessionStatus.COMPLETED:
        raise NotFound(REPORT_NOT_READY)
    if evaluation_running(session):
        raise ReportPending()
    try:
        evaluation.request_evaluation(session)
        evaluation.wait_for_evaluation(session.id, wait_s)
    except evaluation.AlreadyEvaluated:
        db.session.expire_all()
    report = stored_report(session.id)
    if report is None:
        raise ReportPending()
    return report


def question_detail(question: Question) -> dict[str, Any]:
    """One `question_details` entry of the Report object."""
    return {
        "question_id": question.id,
        "position": question.position,
        "question": question.text,
        "category": question.category,
        "is_follow_up": question.is_follow_up,
        "answer": question.answer_text or "",
        "score": question.score,
        "feedback": question.feedback or "",
        "covered_points": list(question.covered_points or []),
        "missed_points": list(question.missed_points or []),
        "reference_answer": question.reference_answer or "",
        "key_points": list(question.key_points or []),
        "receipt": receipt_json(question),
    }


VERIFIED_FROM = 0.5  # below this confidence the page says the grade is not verified


def receipt_json(question: Question) -> dict[str, Any]:
    """The receipt of a question's grade, with only the quotes that are spans of its own answer.

    A main question is graded on its follow-ups' answers too; a quote from one of those belongs
    to that follow-up's entry, whose answer holds it. Grades stored before receipts existed get an
    empty one with confidence 0 (not verified).
    """
    stored = question.receipt if isinstance(question.receipt, Mapping) else {}
    answer = question.answer_text or ""

    def spans(rows: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            row
            for row in _pick(rows, keys)
            if isinstance(row.get("quote"), str)
            and find_quote(answer, row["quote"]) == row["quote"]
        ]

    return {
        "engine": str(stored.get("engine") or ""),
        "model": str(stored.get("model") or ""),
        "confidence": float(stored.get("confidence") or 0.0),
        "evidence": spans(stored.get("evidence"), ("point", "quote")),
        "errors": spans(stored.get("errors"), ("claim", "quote", "correction")),
    }


def _pick(rows: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Stored JSON rows reduced to the contract's keys (older rows may carry extra ones)."""
    return [{k: row.get(k) for k in keys} for row in rows or [] if isinstance(row, Mapping)]


def report_json(session: InterviewSession, report: Report) -> dict[str, Any]:
    """SPEC §4's Report object, exactly its fields."""
    skills = report.skill_scores if isinstance(report.skill_scores, Mapping) else {}
    return {
        "session_id": session.id,
        "overall_score": report.overall_score,
        "band": report_band(report.overall_score),
        "category_scores": _pick(report.category_scores, ("category", "score", "question_count")),
        "skill_scores": {
            group: _pick(skills.get(group), ("skill_name", "score"))
            for group in ("must_haves", "nice_to_haves")
        },
        "question_details": [question_detail(q) for q in session.questions],
        "overall_feedback": report.overall_feedback,
        "strengths": list(report.strengths or []),
        "improvements": list(report.improvements or []),
        "improvement_plan": _pick(report.improvement_plan, ("topic", "action", "resources")),
        "provider": report.provider,
        "model": report.model,
        "fallback_used": bool(report.fallback_used),
        "created_at": iso(report.created_at),
    }


def report_meta(session: InterviewSession) -> ReportMeta:
    """Who, for which job and when — what the PDF shows besides the report."""
    user = db.session.get(User, session.user_id)
    return ReportMeta(
        session_id=session.id,
        job_title=session.job_title,
        company_name=session.company_name,
        candidate_name=user.display_name if user is not None else "",
        interview_date=session.completed_at or session.started_at or session.created_at,
        language=as_language(session.language),
        answer_modes={
            q.id: "code" if q.answer_mode == "code" else "default" for q in session.questions
        },
    )


def report_pdf(session: InterviewSession, report: Report) -> bytes:
    """The stored report drawn as a PDF (no AI call); raises PdfRenderError."""
    return render_report_pdf(
        report_json(session, report),
        report_meta(session),
        cjk_font_path=current_app.config.get("PDF_CJK_FONT") or None,
    )


FIX_FIRST = 3


def fix_first(details: list[dict[str, Any]], limit: int = FIX_FIRST) -> list[dict[str, Any]]:
    """The few things to fix first: the first missed key point of each of the lowest-scored
    main questions, with the question it belongs to (so the page can link to its card). A
    follow-up is graded through its main question, so its own row is never listed: its score
    would read as the question's."""
    graded = [
        d
        for d in details
        if not d["is_follow_up"] and d["score"] is not None and d["missed_points"]
    ]
    graded.sort(key=lambda d: (d["score"], d["position"], d["is_follow_up"]))
    return [
        {
            "point": detail["missed_points"][0],
            "question_id": detail["question_id"],
            "question": detail["question"],
            "position": detail["position"],
            "score": detail["score"],
        }
        for detail in graded[:limit]
    ]


def question_cards(details: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list]]:
    """Each main question with the follow-ups asked after it, for one card per main question."""
    cards: list[tuple[dict[str, Any], list]] = []
    for detail in details:
        if detail["is_follow_up"] and cards:
            cards[-1][1].append(detail)
        else:
            cards.append((detail, []))
    return cards
