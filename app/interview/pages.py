"""The interview page's body, rendered once per state of the interview and kept for later views.

A reload, a return to the tab, a load balancer's retry: most views of the interview page show
exactly what the previous view showed. Its body (question, forms, insights on the last answer)
is a function of the interview's stored state, so it is kept in `QUESTION_BODIES` under a key
naming that state — who it is for, the session's status and language, each question's id and
whether (and when) it was answered, and the current draft. Storing an answer, adding a
follow-up, saving a draft or finishing the interview makes a new key. A page that shows an error,
a transcript to correct or a refused answer is rendered afresh and not kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from flask import current_app
from markupsafe import Markup

from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.models import InterviewSession, Question, User

BODY_TEMPLATE = "interview/_question_body.html"

# About 10 kB each (more with a long draft): a few megabytes per worker at most.
QUESTION_BODIES: FragmentCache[str] = FragmentCache(size=512)


def body_key(
    user: User,
    session: InterviewSession,
    question: Question | None,
    voice: bool,
    recordings: Sequence[Any] = (),
    retention: int = 0,
    shared: bool = False,
) -> Hashable:
    """Everything the body shows that can change: a new answer, follow-up, draft or status
    changes the key. Question texts, the job title and the stored insights never change once
    written, so their ids and answer times stand for them; the session's creation time tells a
    new session from a deleted one whose id SQLite gave out again."""
    answered = tuple((q.id, q.answered_at) for q in session.questions)
    draft = (question.id, question.draft_text, question.answer_mode) if question else None
    kept = tuple(r.id for r in recordings)  # a recording made or deleted changes the listing
    state = (session.status, session.language, voice, answered, draft, kept, retention, shared)
    return (user.id, session.id, session.created_at, *state)


def render_body(context: dict[str, Any], **overrides: Any) -> str:
    """The body rendered from `context` (what `render_question` passes the page)."""
    template = current_app.jinja_env.get_template(BODY_TEMPLATE)
    return template.render(**context, **overrides)


def question_body(user: User, context: dict[str, Any], *, keep: bool) -> Markup:
    """The body for this view: the kept one for the same state when `keep`, else rendered now."""
    if not keep:
        return with_csrf(render_body(context))
    key = body_key(
        user,
        context["session"],
        context["question"],
        context["voice_enabled"],
        context.get("recordings", ()),
        context.get("retention_days", 0),
        context.get("shared_with_recruiter", False),
    )
    html = QUESTION_BODIES.get_or_render(
        key, lambda: render_body(context, csrf_token=csrf_placeholder)
    )
    return with_csrf(html)
