"""The report page, rendered for its route and for a refused new answer sent from one of its
cards (which comes back to that card with its message and the typed text)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from app.ai.usage import session_usage
from app.charts import category_bars_svg, category_radar_svg
from app.evaluation.integrity import flag_text
from app.evaluation.scoring import REPORT_BAND_MEANINGS
from app.interview import recordings
from app.models import InterviewSession, Report
from app.practice.attempts import attempts_of
from app.reports import services
from app.reports.pdf.data import strong_quotes
from app.reports.pdf.questions import advice_only
from app.sessions.services import kept_for_recruiter


def render_report(
    session: InterviewSession,
    report: Report,
    data: dict[str, Any] | None = None,
    retry: dict[str, Any] | None = None,
) -> str:
    """The HTML of an evaluated session's report (`data`: its JSON, when already built);
    `retry` = {question_id, error, text} reopens that card's "Answer this again" form."""
    if data is None:
        data = services.report_json(session, report)
    return render_template(
        "reports/show.html",
        session=session,
        report=report,
        data=data,
        meaning=REPORT_BAND_MEANINGS.get(data["band"], ""),
        chart=category_bars_svg(data["category_scores"], session.language),
        radar=category_radar_svg(data["category_scores"], session.language),
        fixes=services.fix_first(data["question_details"]),
        # What went well in the candidate's own words; the summary's sentences when no grade
        # kept a quote (reports graded before receipts existed).
        went_well=strong_quotes(data["question_details"]),
        cards=services.question_cards(data["question_details"]),
        flags=[flag_text(flag, session.language) for flag in report.integrity_flags],
        # A report exists only for a submitted session, so "kept" means taken through an invite.
        invited=kept_for_recruiter(session),
        modes={q.id: q.answer_mode for q in session.questions},
        questions={q.id: q for q in session.questions},
        # Each point is said once: the card lists the covered and missed points, so the feedback
        # keeps only its own advice (and a follow-up's verdict, a score of its own, goes too).
        advice={
            d["question_id"]: advice_only(d["feedback"], d["covered_points"], d["missed_points"])
            for d in data["question_details"]
        },
        attempts=attempts_of(session.id),
        retry=retry or {},
        ai_usage=session_usage(session.id),
        recordings=recordings.session_recordings(session),
        retention_days=recordings.retention_days(),
        shared_with_recruiter=recordings.shared_with_recruiter(session),
    )
