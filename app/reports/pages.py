"""The report page, rendered for its route and for a refused new answer sent from one of its
cards (which comes back to that card with its message and the typed text).

An evaluated interview's report stays as it is: its grades and the report row are written once.
What can change is read on every view, cheaply — the tries at its questions (a new try, each
graded when stored), the AI calls made for it (a try may call the AI), its kept recordings (made,
deleted or expired) and whether a recruiter may hear them — and the body (charts, cards,
advice) is rendered once per state of those and kept in `REPORT_BODIES`, under a key naming the
user, the report and that state. A view reopening a card with a refused answer is its own and is
rendered afresh, not kept.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import current_app, render_template, request
from flask_login import current_user

from app.ai.usage import session_usage
from app.charts import category_bars_svg, category_radar_svg
from app.evaluation.integrity import flag_text
from app.evaluation.scoring import REPORT_BAND_MEANINGS
from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.interview import recordings
from app.models import InterviewSession, Report
from app.practice.attempts import attempts_of
from app.reports import services
from app.reports.pdf.data import strong_quotes
from app.reports.pdf.questions import advice_only

BODY_TEMPLATE = "reports/_report_body.html"

# About 30-60 kB each (twenty questions with their answers): a few to ten megabytes per worker.
REPORT_BODIES: FragmentCache[str] = FragmentCache(size=256)


def render_report(
    session: InterviewSession,
    report: Report,
    data: dict[str, Any] | None = None,
    retry: dict[str, Any] | None = None,
) -> str:
    """The HTML of an evaluated session's report (`data`: its JSON, when already built);
    `retry` = {question_id, error, text} reopens that card's "Answer this again" form."""
    state = {
        "attempts": attempts_of(session.id),
        "ai_usage": session_usage(session.id),
        "recordings": recordings.session_recordings(session),
        "retention_days": recordings.retention_days(),
    }
    # A report exists only for a submitted session, so "kept" (`kept_for_recruiter`) means taken
    # through an invite: the same question as whether a recruiter hears the recordings.
    state["shared_with_recruiter"] = state["invited"] = recordings.shared_with_recruiter(session)

    def render(csrf_token: Any = None) -> str:
        context = body_context(session, report, data, retry or {}, state)
        if csrf_token is not None:
            context["csrf_token"] = csrf_token
        return current_app.jinja_env.get_template(BODY_TEMPLATE).render(**context)

    if retry:
        body = with_csrf(render())
    else:
        key = body_key(session, report, state)
        body = with_csrf(REPORT_BODIES.get_or_render(key, lambda: render(csrf_placeholder)))
    return render_template("reports/show.html", session=session, body=body)


def body_key(session: InterviewSession, report: Report, state: dict[str, Any]) -> Hashable:
    """Everything the body shows that can change (see the module docstring). The report's and
    the session's creation times tell them from deleted ones whose ids were given out again; an
    attempt is never changed once stored, so its id and number stand for it."""
    tries = tuple((a.id, a.number) for kept in state["attempts"].values() for a in kept)
    usage = tuple(sorted(state["ai_usage"].items()))
    kept = tuple(r.id for r in state["recordings"])
    reach = (state["retention_days"], state["shared_with_recruiter"], state["invited"])
    stamps = (session.created_at, session.status, session.language, report.id, report.created_at)
    # The recordings' delete forms send the browser back to the path it came from.
    return (current_user.id, session.id, *stamps, tries, usage, kept, reach, request.path)


def body_context(
    session: InterviewSession,
    report: Report,
    data: dict[str, Any] | None,
    retry: dict[str, Any],
    state: dict[str, Any],
) -> dict[str, Any]:
    """What the body template renders from: the report's JSON and what is drawn from it."""
    if data is None:
        data = services.report_json(session, report)
    return {
        **state,
        "session": session,
        "report": report,
        "data": data,
        "meaning": REPORT_BAND_MEANINGS.get(data["band"], ""),
        "chart": category_bars_svg(data["category_scores"], session.language),
        "radar": category_radar_svg(data["category_scores"], session.language),
        "fixes": services.fix_first(data["question_details"]),
        # What went well in the candidate's own words; the summary's sentences when no grade
        # kept a quote (reports graded before receipts existed).
        "went_well": strong_quotes(data["question_details"]),
        "cards": services.question_cards(data["question_details"]),
        "flags": [flag_text(flag, session.language) for flag in report.integrity_flags],
        "modes": {q.id: q.answer_mode for q in session.questions},
        "questions": {q.id: q for q in session.questions},
        # Each point is said once: the card lists the covered and missed points, so the
        # feedback keeps only its own advice (and a follow-up's verdict, a score of its own,
        # goes too).
        "advice": {
            d["question_id"]: advice_only(d["feedback"], d["covered_points"], d["missed_points"])
            for d in data["question_details"]
        },
        "retry": retry,
    }
