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
user or the interviews as objects or decoding the reports' category scores; the full query runs
only when the body has to be rendered. The whole page around the body is kept too
(`HISTORY_PAGES`, under the body's key and what the top bar shows: `app.templating.page_key`),
so such a view renders no template; a page with a flashed message to show ("Interview
deleted.") is rendered afresh.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from app.charts import trend_svg
from app.fragments import FragmentCache, csrf_placeholder
from app.models import (
    PLAIN_USER_COLUMNS,
    Attempt,
    InterviewSession,
    Invite,
    PlainUser,
    Report,
    User,
)
from app.models.interview import UNFINISHED
from app.sessions.services import History, StateRead, kept_page_state
from app.templating import kept_page, page_from_body

BODY_TEMPLATE = "sessions/_history_body.html"
PAGE_TEMPLATE = "sessions/index.html"

# About 5-20 kB each (a row per interview): a few megabytes per worker at most.
HISTORY_BODIES: FragmentCache[str] = FragmentCache(size=512)
# A body and the page around it, about 3 kB more.
HISTORY_PAGES: FragmentCache[str] = FragmentCache(size=512)


def history_key(user: User | PlainUser, history: History) -> Hashable:
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
            *PLAIN_USER_COLUMNS,
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


def state_key(user: User | PlainUser, rows: Sequence[Any]) -> Hashable:
    """`history_key` from `HISTORY_STATE`'s rows (past the user's columns: `StateRead.read`):
    the same key for the same history. (A report exists only for a submitted interview, so its
    score is never NULL on a report's row.)"""
    named = [row for row in rows if row[0] is not None]  # not a user without interviews' row
    sessions = tuple(tuple(row[0:6]) for row in named)
    scores = tuple(sorted((row[0], row[6]) for row in named if row[6] is not None))
    kept = tuple(sorted(row[0] for row in named if row[7] and row[2] not in UNFINISHED))
    count, latest = rows[0][8:10]
    return (user.id, sessions, scores, kept, (count, latest))


def kept_history(user: User | PlainUser) -> Markup | None:
    """The whole page kept for the user's history as read with the user (`HISTORY_STATE`), or
    made from the body kept for it, with this request's token; None when the body must be
    rendered from the full read."""
    rows = kept_page_state(HISTORY_STATE, user, None)
    if not rows:
        return None
    key = state_key(user, rows)
    return kept_page(HISTORY_BODIES, HISTORY_PAGES, key, PAGE_TEMPLATE, dict)


def render_history_body(user: User | PlainUser, history: History) -> str:
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


def history_page(user: User | PlainUser, history: History) -> Markup:
    """The page for this view: the one kept for the same history and top bar, or one made from
    the body kept for it (or rendered now) and kept, with this request's token."""
    key = history_key(user, history)
    return page_from_body(
        HISTORY_BODIES,
        HISTORY_PAGES,
        key,
        PAGE_TEMPLATE,
        lambda: render_history_body(user, history),
        {},
    )
