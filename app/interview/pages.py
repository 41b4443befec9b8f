"""The interview page's body, rendered once per state of the interview and kept for later views.

A reload, a return to the tab, a load balancer's retry: most views of the interview page show
exactly what the previous view showed. Its body (question, forms, insights on the last answer)
is a function of the interview's stored state, so it is kept in `QUESTION_BODIES` under a key
naming that state — who it is for, the session's status and language, each question's id and
whether (and when) it was answered, and the current draft. Storing an answer, adding a
follow-up, saving a draft or finishing the interview makes a new key. A page that shows an error,
a transcript to correct or a refused answer is rendered afresh and not kept.

The whole page around the body (title, top bar, footer) is kept too, in `QUESTION_PAGES`, under
the body's key and what the top bar shows (`app.templating.page_key`), so a reload renders no
template at all; a page with a flashed message to show is rendered afresh, and not kept.

That state is read with the signed-in user in one query of plain columns (`INTERVIEW_STATE`,
`PageState`, the user as `app.models.PlainUser`): when a page or body is kept for it, the page
is served without building the user, the session or its questions as objects; they are loaded
only when the body has to be rendered. The view right after an answer is stored always renders,
so it loads them at once, in one query (`app.sessions.services.expect_new_state`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from markupsafe import Markup

from app import templating
from app.ai.transcription import voice_enabled
from app.fragments import FragmentCache, csrf_placeholder, with_csrf
from app.i18n import remember_page_language
from app.interview.recordings import retention_days
from app.models import PLAIN_USER_COLUMNS, InterviewSession, PlainUser, Question, User
from app.models.interview import UNFINISHED, SessionStatus
from app.sessions.services import FOR_INTERVIEW_PAGE, StateRead, kept_page_state

BODY_TEMPLATE = "interview/_question_body.html"
PAGE_TEMPLATE = "interview/question.html"

# About 10 kB each (more with a long draft): a few megabytes per worker at most.
QUESTION_BODIES: FragmentCache[str] = FragmentCache(size=512)
# A body and the page around it, about 3 kB more.
QUESTION_PAGES: FragmentCache[str] = FragmentCache(size=512)


@dataclass(frozen=True)
class QuestionState:
    """What the kept body's key and the page around it need of one question."""

    id: int
    position: int
    parent_id: int | None
    asked_at: datetime | None
    answered_at: datetime | None
    draft_text: str | None
    answer_mode: str
    has_insights: bool


@dataclass(frozen=True)
class PageState:
    """The interview's state as the page shows it, from its objects or from `INTERVIEW_STATE`'s
    rows: both give the same `key`, so a body rendered from the objects is found from the rows."""

    id: int
    created_at: datetime
    status: str
    language: str
    planned_at: datetime | None
    questions: tuple[QuestionState, ...]  # in (position, id) order, as `session.questions`

    @classmethod
    def of(cls, session: InterviewSession) -> PageState:
        """The state of a loaded session."""
        return cls(
            session.id,
            session.created_at,
            session.status,
            session.language,
            session.planned_at,
            tuple(
                QuestionState(
                    q.id,
                    q.position,
                    q.parent_id,
                    q.asked_at,
                    q.answered_at,
                    q.draft_text,
                    q.answer_mode,
                    q.insights is not None,
                )
                for q in session.questions
            ),
        )

    @classmethod
    def from_rows(cls, rows: Sequence[Any]) -> PageState | None:
        """The state in `INTERVIEW_STATE`'s rows (past the user's columns: `StateRead.read`);
        None when the session is not there for this user."""
        first = rows[0]
        if first[0] is None:
            return None
        session_id, created_at, status, language, planned_at = first[0:5]
        questions = tuple(QuestionState(*row[5:]) for row in rows if row[5] is not None)
        return cls(session_id, created_at, status, language, planned_at, questions)

    @property
    def current(self) -> QuestionState | None:
        """The question waiting for an answer, as `sessions.current_question` finds it."""
        if self.status not in UNFINISHED:
            return None
        return next((q for q in self.questions if q.answered_at is None), None)

    @property
    def progress(self) -> dict[str, int]:
        """Main questions answered out of the total, as `sessions.progress` counts them."""
        main = [q for q in self.questions if q.parent_id is None]
        return {"answered": sum(1 for q in main if q.answered_at is not None), "total": len(main)}

    @property
    def settled(self) -> bool:
        """Whether a view would write nothing: the questions are planned, the current one was
        already shown (the interview started, the question's asked time stamped) and the last
        answer's insights are stored. Only then may a view be served without loading the
        session: the first view of a new state writes, through `render_question`."""
        if self.planned_at is None:
            return False
        current = self.current
        if current is not None and (
            current.asked_at is None or self.status == SessionStatus.CREATED
        ):
            return False
        answered = [q for q in self.questions if q.answered_at is not None]
        previous = max(answered, key=lambda q: (q.answered_at, q.id)) if answered else None
        return previous is None or previous.has_insights

    def key(
        self,
        user_id: int,
        voice: bool,
        recordings: Sequence[Any] = (),
        retention: int = 0,
        shared: bool = False,
    ) -> Hashable:
        """Everything the body shows that can change: a new answer, follow-up, draft or status
        changes the key. Question texts, the job title and the stored insights never change once
        written, so their ids and answer times stand for them; the session's creation time tells
        a new session from a deleted one whose id SQLite gave out again."""
        answered = tuple((q.id, q.answered_at) for q in self.questions)
        current = self.current
        draft = (current.id, current.draft_text, current.answer_mode) if current else None
        kept = tuple(r.id for r in recordings)  # a recording made or deleted changes the listing
        state = (self.status, self.language, voice, answered, draft, kept, retention, shared)
        return (user_id, self.id, self.created_at, *state)


# The page's state with the user, in one query of plain values (see the module docstring). The
# session join is on both the id and the owner, so another user's session reads as absent.
INTERVIEW_STATE = StateRead(
    sa.select(
        *PLAIN_USER_COLUMNS,
        InterviewSession.id,
        InterviewSession.created_at,
        InterviewSession.status,
        InterviewSession.language,
        InterviewSession.planned_at,
        Question.id,
        Question.position,
        Question.parent_id,
        Question.asked_at,
        Question.answered_at,
        Question.draft_text,
        Question.answer_mode,
        Question.insights.is_not(None),
    )
    .outerjoin(
        InterviewSession,
        sa.and_(
            InterviewSession.id == sa.bindparam("session_id"),
            InterviewSession.user_id == User.id,
        ),
    )
    .outerjoin(Question, Question.session_id == InterviewSession.id)
    .where(User.id == sa.bindparam("user_id"))
    .order_by(Question.position, Question.id),
    new_state=FOR_INTERVIEW_PAGE,
)


def kept_page(user: User | PlainUser, session_id: int) -> Markup | None:
    """The whole page kept for the interview's current state, read with the user
    (`INTERVIEW_STATE`), or made from the body kept for it; None when it must be rendered from
    the loaded session: nothing kept for this state, a view that would write, kept recordings
    to list, or no such session of the user's (whose 404 the full read gives)."""
    rows = kept_page_state(INTERVIEW_STATE, user, session_id)
    state = PageState.from_rows(rows) if rows else None
    if state is None or not state.settled or retention_days():
        return None
    key = state.key(user.id, voice_enabled(current_app.config))
    remember_page_language(state.language)
    return templating.kept_page(
        QUESTION_BODIES,
        QUESTION_PAGES,
        key,
        PAGE_TEMPLATE,
        lambda: {"session": state, "question": state.current, "progress": state.progress},
    )


def body_key(
    user: User | PlainUser,
    session: InterviewSession,
    voice: bool,
    recordings: Sequence[Any] = (),
    retention: int = 0,
    shared: bool = False,
) -> Hashable:
    """The key of the body rendered from the loaded `session` (see `PageState.key`)."""
    return PageState.of(session).key(user.id, voice, recordings, retention, shared)


def render_body(context: dict[str, Any], **overrides: Any) -> str:
    """The body rendered from `context` (what `render_question` passes the page)."""
    template = current_app.jinja_env.get_template(BODY_TEMPLATE)
    return template.render(**context, **overrides)


def question_page(user: User | PlainUser, context: dict[str, Any], *, keep: bool) -> Markup:
    """The page for this view: with `keep`, the page kept for the same state and top bar, or
    one made from the kept body and kept; else the body and the page rendered now."""
    page = {k: context[k] for k in ("session", "question", "progress")}
    if not keep:
        body = with_csrf(render_body(context))
        return Markup(render_template(PAGE_TEMPLATE, **page, body=body))  # noqa: S704 - Jinja
    key = body_key(
        user,
        context["session"],
        context["voice_enabled"],
        context.get("recordings", ()),
        context.get("retention_days", 0),
        context.get("shared_with_recruiter", False),
    )
    return templating.page_from_body(
        QUESTION_BODIES,
        QUESTION_PAGES,
        key,
        PAGE_TEMPLATE,
        lambda: render_body(context, csrf_token=csrf_placeholder),
        page,
    )
