"""The history page's body, rendered once per state of the user's history and kept for later
views.

The page's one query (`services.session_history`) already reads everything the body shows that
can change: each interview's id, role, company, date, status and score, which ones an invite
keeps, and the user's tries at questions. The body — the table, the score trend, the progress
panel — is kept in `HISTORY_BODIES` under a key naming those, so a new interview, a status
change, a new evaluation, a try or a deletion makes a new one; reports' category scores and the
points that moved are written once per evaluation or try, which the key names.

The key's values are also read on their own, with the signed-in user, as plain columns
(`HISTORY_STATE`): when a body is kept for them, the page is served without building the
interviews as objects or decoding the reports' category scores; the full query runs only when
the body has to be rendered.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from app.charts import trend_svg
from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.models import Attempt, InterviewSession, Invite, Report, User
from app.models.interview import UNFINISHED
from app.sessions.services import History, StateRead, kept_page_state

BODY_TEMPLATE = "sessions/_history_body.html"

# About 5-20 kB each (a row per interview): a few megabytes per worker at most.
HISTORY_BODIES: FragmentCache[str] = FragmentCache(size=512)


def history_key(user: User, history: History) -> Hashable:
    """Everything the body shows that can change (see the module docstring)."""
    rows = tuple(
        (s.id, s.created_at, s.status, s.job_title, s.company_name, s.evaluated_at)
        for s in history.sessions
    )
    scores = tuple(sorted(history.scores.items()))
    return (user.id, rows, scores, tuple(sorted(history.kept)), history.attempts)


def _history_state() -> sa.Select:
    """The user (`user_id`) and, one row per interview, the values `history_key` names: what
    `services.history_statement` reads, without the reports' category scores and as plain
    columns. A user without interviews gets one row, its interview columns NULL."""
    invited = sa.exists().where(Invite.session_id == InterviewSession.id)
    tries = (
        sa.select(sa.func.count(Attempt.id), sa.func.max(Attempt.id))
        .join(InterviewSession, Attempt.session_id == InterviewSession.id)
        .where(InterviewSession.user_id == sa.bindparam("user_id"))
    ).subquery()
    return (
        sa.select(
            User,
            InterviewSession.id,
            InterviewSession.created_at,
            InterviewSession.status,
            InterviewSession.job_title,
            InterviewSession.company_name,
            InterviewSession.evaluated_at,
            Report.overall_score,
            invited,
            *tries.columns,
        )
        .outerjoin(InterviewSession, InterviewSession.user_id == User.id)
        .outerjoin(Report, Report.session_id == InterviewSession.id)
        .join(tries, sa.true())
        .where(User.id == sa.bindparam("user_id"))
        .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
    )


HISTORY_STATE = StateRead(_history_state(), for_session=False)


def state_key(user: User, rows: Sequence[Any]) -> Hashable:
    """`history_key` from `HISTORY_STATE`'s rows: the same key for the same history. (A report
    exists only for a submitted interview, so its score is never NULL on a report's row.)"""
    named = [row for row in rows if row[1] is not None]  # not a user without interviews' row
    sessions = tuple(tuple(row[1:7]) for row in named)
    scores = tuple(sorted((row[1], row[7]) for row in named if row[7] is not None))
    kept = tuple(sorted(row[1] for row in named if row[8] and row[3] not in UNFINISHED))
    count, latest = rows[0][9:11]
    return (user.id, sessions, scores, kept, (count, latest))


def kept_history(user: User) -> Markup | None:
    """The body kept for the user's history as read with the user (`HISTORY_STATE`), with
    this request's token; None when it must be rendered from the full read."""
    rows = kept_page_state(HISTORY_STATE, user, None)
    if not rows:
        return None
    html = HISTORY_BODIES.get(state_key(user, rows))
    return with_csrf(html) if html is not None else None


def render_history_body(user: User, history: History) -> str:
    """The body rendered from the history, with a placeholder for the CSRF token."""
    from app.practice.progress import progress_for

    sessions, scores = history.sessions, history.scores
    scored = [s for s in reversed(sessions) if s.id in scores]
    trend = [(f"{s.created_at:%Y-%m-%d %H:%M} {s.job_title}", scores[s.id]) for s in scored]
    dates = [f"{s.created_at:%b %d}" for s in scored]
    template = current_app.jinja_env.get_template(BODY_TEMPLATE)
    return template.render(
        sessions=sessions,
        scores=scores,
        trend=trend_svg(trend, dates),
        kept=history.kept,
        practice=progress_for(user, history),
        csrf_token=csrf_placeholder,
    )


def history_body(user: User, history: History) -> Markup:
    """The body for this view: the kept one for the same history, with this request's token."""
    key = history_key(user, history)
    return with_csrf(HISTORY_BODIES.get_or_render(key, lambda: render_history_body(user, history)))
