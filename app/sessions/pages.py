"""The history page's body, rendered once per state of the user's history and kept for later
views.

The page's one query (`services.session_history`) already reads everything the body shows that
can change: each interview's id, role, company, date, status and score, which ones an invite
keeps, and the user's tries at questions. The body — the table, the score trend, the progress
panel — is kept in `HISTORY_BODIES` under a key naming those, so a new interview, a status
change, a new evaluation, a try or a deletion makes a new one; reports' category scores and the
points that moved are written once per evaluation or try, which the key names.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import current_app
from markupsafe import Markup

from app.charts import trend_svg
from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.models import User
from app.sessions.services import History

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
