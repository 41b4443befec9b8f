"""The report page, rendered for its route and for a refused new answer sent from one of its
cards (which comes back to that card with its message and the typed text).

An evaluated interview's report stays as it is: its grades and the report row are written once.
What can change is read on every view, cheaply — the tries at its questions (a new try, each
graded when stored), the AI calls made for it (a try may call the AI), its kept recordings (made,
deleted or expired) and whether a recruiter may hear them — and the body (charts, cards,
advice) is rendered once per state of those and kept in `REPORT_BODIES`, under a key naming the
user, the report and that state. A view reopening a card with a refused answer is its own and is
rendered afresh, not kept.

The whole page around the body is kept too (`REPORT_PAGES`, `app.templating.page_key`). The
state the key names is also read on its own, with the signed-in user, in one query of plain
columns (`REPORT_STATE`): a reload of a report already shown is served from the kept page
without loading the session, the report or the tries as objects. An interview with recordings
(kept or expired) is always read in full: which of them are still listed depends on the hour.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup

from app.ai.usage import session_usage
from app.charts import category_bars_svg, category_radar_svg
from app.evaluation.integrity import flag_text
from app.evaluation.scoring import REPORT_BAND_MEANINGS
from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.i18n import remember_page_language
from app.interview import recordings
from app.models import (
    PLAIN_USER_COLUMNS,
    UNFINISHED,
    AICall,
    Attempt,
    InterviewSession,
    Invite,
    PlainUser,
    Recording,
    Report,
    User,
)
from app.practice.attempts import attempts_of
from app.reports import services
from app.reports.pdf.data import strong_quotes
from app.reports.pdf.questions import advice_only
from app.sessions.services import StateRead, kept_page_state
from app.templating import kept_page, page_from_body

BODY_TEMPLATE = "reports/_report_body.html"
PAGE_TEMPLATE = "reports/show.html"

# About 30-60 kB each (twenty questions with their answers): a few to ten megabytes per worker.
REPORT_BODIES: FragmentCache[str] = FragmentCache(size=256)
# A body and the page around it, about 3 kB more.
REPORT_PAGES: FragmentCache[str] = FragmentCache(size=256)


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
        return render_template(PAGE_TEMPLATE, session=session, body=body)
    return page_from_body(
        REPORT_BODIES,
        REPORT_PAGES,
        body_key(session, report, state),
        PAGE_TEMPLATE,
        lambda: render(csrf_placeholder),
        {"session": session},
    )


def body_key(session: InterviewSession, report: Report, state: dict[str, Any]) -> Hashable:
    """Everything the body shows that can change (see the module docstring), as
    `ReportState.key` names it. The report's and the session's creation times tell them from
    deleted ones whose ids were given out again; a try is never changed once stored and is
    deleted only with its interview, so how many there are and the latest one's id stand for
    them all."""
    tries = [a.id for kept in state["attempts"].values() for a in kept]
    usage = state["ai_usage"]
    return ReportState.key_of(
        current_user.id,
        (session.id, session.created_at, session.status, session.language),
        (report.id, report.created_at),
        (len(tries), max(tries, default=None)),
        (usage["calls"], usage["prompt_tokens"], usage["output_tokens"]),
        tuple(r.id for r in state["recordings"]),
        (state["retention_days"], state["shared_with_recruiter"], state["invited"]),
    )


@dataclass(frozen=True)
class ReportState:
    """What a report page shows that can change, read as plain columns (`REPORT_STATE`): it
    gives the key of the body rendered from the loaded objects (`body_key`)."""

    session: tuple[Any, ...]  # id, creation time, status, language
    job_title: str | None
    report: tuple[Any, ...]  # id, creation time
    tries: tuple[int, int | None]  # how many, the latest one's id
    usage: tuple[int, int, int]  # AI calls, prompt tokens, output tokens
    recorded: bool  # any recording, kept or expired
    invited: bool

    @classmethod
    def from_rows(cls, rows: Sequence[Any]) -> ReportState | None:
        """The state in `REPORT_STATE`'s row (past the user's columns); None when there is no
        such session of the user's or no report for it yet."""
        row = rows[0]
        if row[0] is None or row[5] is None:
            return None
        usage = (int(row[9]), int(row[10] or 0), int(row[11] or 0))
        recorded, invited = bool(row[12]), bool(row[13])
        return cls(
            tuple(row[0:4]), row[4], tuple(row[5:7]), (row[7], row[8]), usage, recorded, invited
        )

    @property
    def language(self) -> str:
        """The report's language (what the page around the body needs of the session)."""
        return str(self.session[3])

    @staticmethod
    def key_of(user_id: int, *state: Any) -> Hashable:
        """The body's key: the user, then the state's parts."""
        return (user_id, *state)

    def key(self, user_id: int, retention: int) -> Hashable:
        """The key of the body rendered for this state (no recordings listed)."""
        reach = (retention, self.invited, self.invited)
        return self.key_of(user_id, self.session, self.report, self.tries, self.usage, (), reach)


def _report_state() -> sa.Select:
    """The user and, by `session_id`, the values `ReportState` holds, in one row: the session
    joined on both its id and its owner (another user's reads as absent, as a missing id)."""
    session_id: sa.BindParameter[int] = sa.bindparam("session_id")
    tries = sa.select(sa.func.count(Attempt.id)).where(Attempt.session_id == session_id)
    latest = sa.select(sa.func.max(Attempt.id)).where(Attempt.session_id == session_id)
    calls = sa.select(sa.func.count(AICall.id)).where(AICall.session_id == session_id)
    prompt = sa.select(sa.func.sum(AICall.prompt_tokens)).where(AICall.session_id == session_id)
    output = sa.select(sa.func.sum(AICall.output_tokens)).where(AICall.session_id == session_id)
    return (
        sa.select(
            *PLAIN_USER_COLUMNS,
            InterviewSession.id,
            InterviewSession.created_at,
            InterviewSession.status,
            InterviewSession.language,
            InterviewSession.job_title,
            Report.id,
            Report.created_at,
            *(query.scalar_subquery() for query in (tries, latest, calls, prompt, output)),
            sa.exists().where(Recording.session_id == session_id),
            sa.exists().where(Invite.session_id == session_id),
        )
        .outerjoin(
            InterviewSession,
            sa.and_(InterviewSession.id == session_id, InterviewSession.user_id == User.id),
        )
        .outerjoin(Report, Report.session_id == InterviewSession.id)
        .where(User.id == sa.bindparam("user_id"))
    )


REPORT_STATE = StateRead(_report_state())


def kept_report_page(user: User | PlainUser, session_id: int) -> Markup | None:
    """The whole page kept for the report's current state, read with the user
    (`REPORT_STATE`), or made from the body kept for it; None when it must be rendered from the
    loaded session: nothing kept, no report yet, recordings to list, or no such session of the
    user's (whose 404 the full read gives)."""
    rows = kept_page_state(REPORT_STATE, user, session_id)
    state = ReportState.from_rows(rows) if rows else None
    if state is None or state.recorded or state.session[2] in UNFINISHED:
        return None
    remember_page_language(state.language)
    key = state.key(user.id, recordings.retention_days())
    return kept_page(REPORT_BODIES, REPORT_PAGES, key, PAGE_TEMPLATE, lambda: {"session": state})


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
