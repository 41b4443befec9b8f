"""Interview sessions: create (planning the questions), find, list, delete; their JSON shapes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, g
from flask import request as http_request
from sqlalchemy.orm import joinedload, load_only

from app.ai import tasks as ai
from app.ai.errors import AllProvidersFailed
from app.ai.router import AIResult
from app.ai.schemas import PlanRequest, QuestionPlan
from app.ai.usage import claim_pending_calls
from app.documents import services as documents
from app.documents.extract import TEXT, extract_document
from app.errors import AppError, Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.fragments import FragmentCache
from app.i18n import remember_page_language
from app.language import as_language
from app.models import (
    PLAIN_USER_COLUMNS,
    UNFINISHED,
    InterviewPlan,
    InterviewSession,
    InviteStatus,
    PlainUser,
    Question,
    Resume,
    SessionStatus,
    User,
    utcnow,
)
from app.responses import iso

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 3, 20, 8
JD_MIN_CHARS, JD_MAX_CHARS = 50, 10_000

MESSAGES = {
    "too_few": {"en": "Question count must be at least 3", "zh": "题目数量最少3题"},
    "too_many": {"en": "Question count cannot exceed 20", "zh": "题目数量最多20题"},
    "bad_count": {"en": "Question count must be a whole number", "zh": "题目数量必须是整数"},
    "jd_length": {
        "en": "The job description must be 50–10,000 characters",
        "zh": "职位描述需要50到10000个字符",
    },
    "ai_failed": {
        "en": "AI service error: the questions could not be planned. Nothing was saved; try again.",
        "zh": "AI服务错误：未能生成题目，请重试。",
    },
    "plan_failed": {
        "en": "AI service error: the questions could not be planned. Your interview is kept; "
        "try again.",
        "zh": "AI服务错误：未能生成题目。面试已保存，请重试。",
    },
}


def message(key: str, language: str) -> str:
    """A validation message in the session's language (English for anything but Chinese)."""
    return MESSAGES[key][as_language(language)]


@dataclass
class NewSession:
    """What the create form (or a recruiter invite) supplies."""

    job_description: str
    job_title: str = ""
    company_name: str = ""
    question_count: Any = DEFAULT_QUESTIONS
    language: str = "en"
    force_new: bool = False
    resume_id: int | None = None
    resume_upload: tuple[bytes, str] | None = None  # (data, filename)
    resume_text: str = ""
    plan: InterviewPlan | None = None


def parse_count(raw: Any, language: str) -> int:
    """The question count as an int within 3–20, or a ValidationFailed in the user's language."""
    if raw in (None, ""):
        return DEFAULT_QUESTIONS
    try:
        count = int(str(raw).strip())
    except ValueError:
        raise ValidationFailed(message("bad_count", language)) from None
    if count < MIN_QUESTIONS:
        raise ValidationFailed(message("too_few", language))
    if count > MAX_QUESTIONS:
        raise ValidationFailed(message("too_many", language))
    return count


def validate(user: User, spec: NewSession) -> tuple[int, str, ChosenCv]:
    """Check the request; returns the question count, the cleaned job description and the CV.

    Every field is checked before anything is refused, so a form shows all its errors together
    rather than one per submission.
    """
    language = spec.language if spec.language in ("en", "zh") else "en"
    spec.language = language
    errors: list[str] = []
    count = collect(errors, lambda: parse_count(spec.question_count, language))
    jd = (spec.job_description or "").strip()
    if not JD_MIN_CHARS <= len(jd) <= JD_MAX_CHARS:
        errors.append(message("jd_length", language))
    cv = collect(errors, lambda: choose_cv(user, spec))
    if errors or count is None or cv is None:
        raise ValidationFailed.of(errors)
    return count, jd, cv


T = TypeVar("T")


def collect(errors: list[str], check: Callable[[], T]) -> T | None:
    """The check's result, or None with its validation messages added to `errors`."""
    try:
        return check()
    except ValidationFailed as error:
        errors.extend(error.messages)
        return None


@dataclass
class ChosenCv:
    """The CV a new session uses: a saved one, or text to save once the questions are planned."""

    resume: Resume | None
    text: str
    filename: str = ""
    content_type: str = TEXT


def choose_cv(user: User, spec: NewSession) -> ChosenCv:
    """Read the CV from a saved one, an upload, or pasted text — without writing anything yet."""
    if spec.resume_id:
        resume = documents.get_resume(user, int(spec.resume_id))
        return ChosenCv(resume, resume.text)
    filename, content_type, raw = "", TEXT, spec.resume_text
    if spec.resume_upload is not None:
        data, filename = spec.resume_upload
        extracted = extract_document(data, filename)
        raw, content_type = extracted.text, extracted.content_type
    text = documents.check_resume_text(raw, spec.language)
    return ChosenCv(documents.find_same_resume(user, text), text, filename, content_type)


def save_cv(user: User, cv: ChosenCv, language: str) -> Resume:
    """The chosen CV as a library row (stored now if it is new)."""
    if cv.resume is not None:
        return cv.resume
    resume, _ = documents.store_resume(
        user, cv.text, filename=cv.filename, content_type=cv.content_type, language=language
    )
    return resume


def find_unfinished(user: User, resume_id: int) -> InterviewSession | None:
    """The user's most recent CREATED or IN_PROGRESS session for this CV."""
    return db.session.scalar(
        sa.select(InterviewSession)
        .where(
            InterviewSession.user_id == user.id,
            InterviewSession.resume_id == resume_id,
            InterviewSession.status.in_([s.value for s in UNFINISHED]),
        )
        .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
        .limit(1)
    )


def questions_seen(user: User) -> list[str]:
    """Texts of every main question the user was asked before, so none is asked again."""
    return list(
        db.session.scalars(
            sa.select(Question.text)
            .join(InterviewSession, Question.session_id == InterviewSession.id)
            .where(InterviewSession.user_id == user.id, Question.parent_id.is_(None))
        )
    )


def create_session(
    user: User, spec: NewSession, *, defer: bool = False
) -> tuple[InterviewSession, bool]:
    """Create a session with its questions planned in one AI call; or reuse an unfinished one.

    Returns (session, reused). Without `force_new`, an unfinished session for the same CV is
    returned instead of planning a new one. With `defer` and a remote planner first in line, the
    session is stored unplanned and the caller queues `plan_session` after its commit
    (`queue_planning`); the offline planner takes milliseconds and plans here either way.
    """
    count, jd, cv = validate(user, spec)
    if not spec.force_new and cv.resume is not None:
        existing = find_unfinished(user, cv.resume.id)
        if existing is not None:
            return existing, True
    must, nice = skills_for(spec.plan, jd)
    fields = {
        "job_title": spec.job_title.strip()[:200],
        "company_name": spec.company_name.strip()[:200],
        "job_description": jd,
        "must_haves": must,
        "nice_to_haves": nice,
        "question_count": count,
        "language": spec.language,
        "plan_id": spec.plan.id if spec.plan else None,
    }
    if defer and ai.remote_first():
        resume = save_cv(user, cv, spec.language)
        session = InterviewSession(user_id=user.id, resume_id=resume.id, **fields)
        session.resume_text, session.status = resume.text, SessionStatus.CREATED
        db.session.add(session)
        db.session.flush()
        return session, False
    request = plan_request(user, cv.text, fields)
    # End the read transaction first: a slow provider must not keep other requests' writes
    # waiting (SQLite serialises writers). Nothing is written until the plan is back.
    db.session.commit()
    try:
        result = ai.plan_questions(request)
    except AllProvidersFailed as error:
        raise AppError(message("ai_failed", spec.language), 500) from error
    resume = save_cv(user, cv, spec.language)
    session = InterviewSession(user_id=user.id, resume_id=resume.id, **fields)
    session.resume_text, session.status = resume.text, SessionStatus.CREATED
    db.session.add(session)
    db.session.flush()
    claim_pending_calls(session.id)  # the planning calls were made before the session existed
    store_plan(session, result)
    return session, False


def plan_request(user: User, resume_text: str, fields: dict[str, Any]) -> PlanRequest:
    """The planning call's request: the CV cut to its budget, the session's fields, and every
    question the user was asked before (not to be repeated)."""
    return PlanRequest(
        resume_text=resume_text[: current_app.config["PROMPT_RESUME_MAX_CHARS"]],
        job_title=fields["job_title"],
        company_name=fields["company_name"],
        job_description=fields["job_description"],
        count=fields["question_count"],
        language=fields["language"],
        must_haves=fields["must_haves"],
        nice_to_haves=fields["nice_to_haves"],
        avoid_questions=questions_seen(user),
    )


def store_plan(session: InterviewSession, result: AIResult[QuestionPlan]) -> None:
    """Record who planned the session and add its questions (flushed, not committed)."""
    session.provider, session.model = result.provider, result.model
    session.prompt_version, session.fallback_used = result.prompt_version, result.fallback_used
    session.planned_at, session.planning_error = utcnow(), None
    for position, planned in enumerate(result.value.questions[: session.question_count], 1):
        db.session.add(Question(session_id=session.id, position=position, **planned.model_dump()))
    db.session.flush()


def skills_for(plan: InterviewPlan | None, job_description: str) -> tuple[list[str], list[str]]:
    """Must-have and nice-to-have skills: the recruiter's plan, else read from the job text."""
    if plan is not None and (plan.must_haves or plan.nice_to_haves):
        return list(plan.must_haves), list(plan.nice_to_haves)
    from app.ai.coach import split_requirements

    must, nice = split_requirements(job_description)
    return must[:12], nice[:8]


@dataclass(frozen=True)
class SessionRead:
    """How a page reads its session by `session_id`: on its own (`statement`), or in the same
    query as the signed-in user by `user_id` (`with_user`; see `read_with_user`)."""

    statement: sa.Select
    with_user: sa.Select


def session_read(*options: Any) -> SessionRead:
    """A session read loading what `options` say, built once: `Session.get(..., options=...)`
    composed the statement and computed its cache key on every request, which cost more than
    running the query (bench/bench_pages.py). The user read is an outer join on both the id and
    the owner, so the user row always comes back and the session only when it is that user's."""
    statement = (
        sa.select(InterviewSession)
        .options(*options)
        .where(InterviewSession.id == sa.bindparam("session_id"))
    )
    with_user = (
        sa.select(User, InterviewSession)
        .outerjoin(
            InterviewSession,
            sa.and_(
                InterviewSession.id == sa.bindparam("session_id"),
                InterviewSession.user_id == User.id,
            ),
        )
        .where(User.id == sa.bindparam("user_id"))
        .options(*options)
    )
    return SessionRead(statement, with_user)


# One joined query for a session and its questions: measured cheaper than a second SELECT.
WITH_QUESTIONS = session_read(joinedload(InterviewSession.questions))
SESSION_WITH_QUESTIONS = WITH_QUESTIONS.statement


# The interview page shows neither the CV, the job description nor any grade: loading only the
# columns it reads spares every view decoding each question's grading JSON (receipts, key
# points). Anything else it touches is still there, loaded when first read.
FOR_INTERVIEW_PAGE = session_read(
    load_only(
        InterviewSession.user_id,
        InterviewSession.job_title,
        InterviewSession.company_name,
        InterviewSession.question_count,
        InterviewSession.language,
        InterviewSession.status,
        InterviewSession.created_at,
        InterviewSession.planned_at,
        InterviewSession.started_at,
    ),
    joinedload(InterviewSession.questions).load_only(
        Question.session_id,
        Question.position,
        Question.parent_id,
        Question.text,
        Question.category,
        Question.kind,
        Question.difficulty,
        Question.answer_mode,
        Question.draft_text,
        Question.asked_at,
        Question.answered_at,
        Question.insights,
        Question.delivery,
    ),
)
SESSION_FOR_INTERVIEW_PAGE = FOR_INTERVIEW_PAGE.statement

# The report page shows a kept body for the same state (app/reports/pages.py) without reading
# the questions: they are loaded, in one query, only when the body is rendered.
SESSION_ONLY = session_read()


@dataclass(frozen=True)
class StateRead:
    """How a page with a kept body reads the state of its session by `session_id` in the same
    query as the signed-in user by `user_id` (`with_user`): the user's `PLAIN_USER_COLUMNS`,
    then plain column values (the session's, and one row per question), so that a view served
    from the kept body builds no user, session or question objects. Its session columns come
    back NULL when the session does not exist or is not that user's (the join is on both the id
    and the owner). A read of the user's own pages (history) names no session: `for_session`
    False, read by `user_id` only."""

    with_user: sa.Select
    for_session: bool = True
    # The read used instead when this process has just changed the session (`expect_new_state`):
    # the view will render, so it reads the objects with the user at once, in one query.
    new_state: SessionRead | None = None

    def read(self, user_id: int, session_id: int | None) -> tuple[PlainUser, list[Any]] | None:
        """The user and the state's rows (without the user's columns); None when there is no
        such user. Run on a pooled connection of its own, past the ORM: plain columns need none
        of its statement compilation or result loading, and a view served from a kept page
        never opens an ORM session at all (one that renders opens its own, for the objects)."""
        params = {"user_id": user_id, "session_id": session_id}
        with db.engine.connect() as connection:
            rows = connection.execute(self.with_user, params).all()
        if not rows:
            return None
        width = len(PLAIN_USER_COLUMNS)
        return PlainUser(*rows[0][:width]), [row[width:] for row in rows]


# Sessions (with their user's id) whose state this process has just changed: the next view of
# each is a first view of a new state, which renders from the loaded objects.
NEW_STATES: FragmentCache[bool] = FragmentCache(size=1024)


def expect_new_state(user_id: int, session_id: int) -> None:
    """Note that the session's next view will find a state never shown (an answer was stored):
    it then reads the session with the user in one query (`StateRead.new_state`) instead of
    the state first and the objects after. A browser follows the redirect on the connection it
    posted on, so that view is most often served by this very process; one served by another
    reads the state first, as any view does."""
    NEW_STATES.get_or_render((user_id, session_id), lambda: True)


def take_new_state(user_id: int, session_id: int) -> bool:
    """Whether `expect_new_state` noted the session (and forget it: one view renders it)."""
    return NEW_STATES.pop((user_id, session_id)) is not None


ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def read_with_user(read: SessionRead | StateRead) -> Callable[[ViewT], ViewT]:
    """Mark a view whose URL names a `session_id` (unless a `StateRead` is not `for_session`)
    and which reads it with `read.statement`: the
    request's user load (`app.security.load_user`) reads the session in the same query, and
    `get_owned_session` takes it from there instead of asking the database again. With a
    `StateRead`, the state rows are kept instead, for `kept_page_state`."""

    def mark(view: ViewT) -> ViewT:
        view.session_read = read  # type: ignore[attr-defined]  # functools.wraps keeps it
        return view

    return mark


def page_session_read(view: Callable[..., Any] | None) -> SessionRead | StateRead | None:
    """The read a view was marked with by `read_with_user`, if any."""
    return getattr(view, "session_read", None)


def keep_page_session(
    read: SessionRead, user: User, session_id: int, session: InterviewSession | None
) -> None:
    """Keep, for this request, the session read with the user (None: not found or not theirs).
    Kept with the request's environ: an app context (and its `g`) may outlive one request, as it
    does in tests, and a later request must read its own."""
    g.page_session = (http_request.environ, read.statement, user.id, session_id, session)


def keep_page_state(
    read: StateRead, user: PlainUser, session_id: int | None, rows: Sequence[Any]
) -> None:
    """Keep, for this request, the state rows read with the user (as `keep_page_session`)."""
    g.page_state = (http_request.environ, read, user.id, session_id, rows)


def kept_page_state(
    read: StateRead, user: User | PlainUser, session_id: int | None
) -> list[Any] | None:
    """The state rows `read` brought with this request's user for `session_id`, if it did."""
    kept = g.get("page_state")
    if (
        kept is not None
        and kept[0] is http_request.environ
        and kept[1] is read
        and kept[2:4] == (user.id, session_id)
    ):
        return list(kept[4])
    return None


def get_owned_session(
    user: User, session_id: int, statement: sa.Select = SESSION_WITH_QUESTIONS
) -> InterviewSession:
    """A session of the user's: 404 when it doesn't exist or is someone else's (the two answer
    alike, so ids reveal nothing). Its questions come in the same query: every session page
    reads them (`statement` may load fewer of their columns). Once it is known to be the
    user's, an error page for the rest of the request speaks the session's language."""
    kept = g.get("page_session")
    if (
        kept is not None
        and kept[0] is http_request.environ
        and kept[1] is statement
        and kept[2:4] == (user.id, session_id)
    ):
        session = kept[4]  # read with the user, in the same query (`read_with_user`)
    else:
        found = db.session.execute(statement, {"session_id": session_id})
        session = found.unique().scalar_one_or_none()
    if session is None or session.user_id != user.id:
        raise NotFound("Session not found")
    remember_page_language(session.language)
    return session


def list_sessions(user: User) -> list[InterviewSession]:
    """The user's sessions, newest first."""
    query = sa.select(InterviewSession).where(InterviewSession.user_id == user.id)
    return list(
        db.session.scalars(
            query.order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
        )
    )


@dataclass
class History:
    """The history page's data: sessions newest first, the overall score of each evaluated one,
    and the ids that `kept_for_recruiter` refuses to delete."""

    sessions: list[InterviewSession]
    scores: dict[int, int]
    kept: set[int]
    # Each evaluated session's report category scores, read in the same query (the progress
    # panel draws them).
    categories: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # How many tries at questions the user has made, and the latest one's id: with the evaluated
    # sessions, what the progress panel's kept figures are computed from.
    attempts: tuple[int, int | None] = (0, None)


# What the history page and its JSON show of each session: not the CV or the job description,
# which are most of a row's size.
HISTORY_COLUMNS = load_only(
    InterviewSession.user_id,
    InterviewSession.resume_id,
    InterviewSession.job_title,
    InterviewSession.company_name,
    InterviewSession.question_count,
    InterviewSession.language,
    InterviewSession.status,
    InterviewSession.created_at,
    InterviewSession.evaluated_at,
)


def history_statement() -> sa.Select:
    """The history page's one query: the user's sessions (`user_id`) with each one's report
    score and categories, whether an invite holds it, and the user's tries at questions."""
    from app.models import Attempt, Invite, Report

    invited = sa.exists().where(Invite.session_id == InterviewSession.id)
    user_id: sa.BindParameter[int] = sa.bindparam("user_id")
    tries = (
        sa.select(sa.func.count(Attempt.id), sa.func.max(Attempt.id))
        .join(InterviewSession, Attempt.session_id == InterviewSession.id)
        .where(InterviewSession.user_id == user_id)
    ).subquery()
    return (
        sa.select(
            InterviewSession,
            Report.overall_score,
            invited,
            Report.category_scores,
            *tries.columns,
        )
        .options(HISTORY_COLUMNS)
        .outerjoin(Report, Report.session_id == InterviewSession.id)
        .join(tries, sa.true())
        .where(InterviewSession.user_id == user_id)
        .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
    )


# Built once, as the other statements every page runs: composing it cost more than running it.
HISTORY = history_statement()


def session_history(user: User) -> History:
    """The user's sessions with their scores and invite links, in one query (the page used to
    make three: sessions, then reports, then invites)."""
    history = History([], {}, set())
    for session, score, has_invite, categories, count, latest in db.session.execute(
        HISTORY, {"user_id": user.id}
    ):
        history.attempts = (count, latest)
        history.sessions.append(session)
        if score is not None:  # overall_score is NOT NULL: None means no report yet
            history.scores[session.id] = score
            history.categories[session.id] = list(categories or [])
        if has_invite and not session.is_unfinished:
            history.kept.add(session.id)
    return history


INVITE_RESULT_KEPT = (
    "This interview was taken through a recruiter's invite and its answers are submitted, so it "
    "stays on the recruiter's record and cannot be deleted."
)


def kept_for_recruiter(session: InterviewSession) -> bool:
    """Whether the session is an invite's submitted attempt, which its candidate cannot delete.

    Deleting it would reset the invite, letting the candidate retake the interview until the
    score pleased them while the recruiter saw only the last attempt. Before submission a start
    may still be thrown away: nothing has been graded yet.
    """
    return session.id in kept_for_recruiter_ids([session])


def kept_for_recruiter_ids(sessions: list[InterviewSession]) -> set[int]:
    """The ids among `sessions` that `kept_for_recruiter` refuses to delete, in one query."""
    from app.models import Invite

    submitted = [s.id for s in sessions if not s.is_unfinished]
    if not submitted:
        return set()
    taken = sa.select(Invite.session_id).where(Invite.session_id.in_(submitted))
    return {session_id for session_id in db.session.scalars(taken) if session_id is not None}


def delete_session(user: User, session_id: int) -> None:
    """Delete a session with its questions (follow-ups first), feedback, report and recordings;
    a submitted invite interview is refused (409, see `kept_for_recruiter`)."""
    session = get_owned_session(user, session_id)
    if kept_for_recruiter(session):
        raise Conflict(
            INVITE_RESULT_KEPT,
            redirect_endpoint="sessions.detail",
            redirect_values={"session_id": session.id},
            language=session.language,
        )
    from app.interview.recordings import delete_session_recordings
    from app.models import Feedback, Invite, Report

    # An unfinished invite can be taken again: it reads Pending until the candidate restarts it.
    db.session.execute(
        sa.update(Invite)
        .where(Invite.session_id == session.id)
        .values(session_id=None, status=InviteStatus.PENDING, started_at=None)
    )
    for model in (Feedback, Report):
        db.session.execute(sa.delete(model).where(model.session_id == session.id))
    delete_session_recordings(session.id)  # the files too, not only the rows
    in_session = Question.session_id == session.id
    db.session.execute(sa.delete(Question).where(in_session, Question.parent_id.is_not(None)))
    db.session.execute(sa.delete(Question).where(in_session))
    db.session.execute(sa.delete(InterviewSession).where(InterviewSession.id == session.id))
    db.session.expunge(session)


def current_question(session: InterviewSession) -> Question | None:
    """The question waiting for an answer (main or follow-up), or None when all are answered."""
    if not session.is_unfinished:
        return None
    return next((q for q in session.questions if q.answered_at is None), None)


def progress(session: InterviewSession) -> dict[str, int]:
    """Main questions answered out of the total."""
    main = session.main_questions
    return {"answered": sum(1 for q in main if q.answered_at is not None), "total": len(main)}


def mark_started(session: InterviewSession) -> None:
    """CREATED → IN_PROGRESS when the first question is shown or answered."""
    if session.status == SessionStatus.CREATED:
        session.status = SessionStatus.IN_PROGRESS
        session.started_at = session.started_at or utcnow()


def session_json(session: InterviewSession, *, detail: bool = False) -> dict[str, Any]:
    """The Session shape of SPEC §4; `detail` adds every question with its answer."""
    current = current_question(session)
    data: dict[str, Any] = {
        "id": session.id,
        "status": session.status,
        "job_title": session.job_title,
        "company_name": session.company_name,
        "question_count": session.question_count,
        "language": session.language,
        "resume_id": session.resume_id,
        "created_at": iso(session.created_at),
        "current_question": current.public_json() if current else None,
        "progress": progress(session),
    }
    if detail:
        from app.practice.attempts import attempt_json, attempts_of

        tries = attempts_of(session.id)
        data["questions"] = [
            {
                **question_detail_json(q, session),
                "attempts": [attempt_json(a, session.language) for a in tries.get(q.id, [])],
            }
            for q in session.questions
        ]
    return data


def question_detail_json(question: Question, session: InterviewSession) -> dict[str, Any]:
    """A question with its answer; grades and reference material only once evaluated."""
    data = {
        **question.public_json(),
        "answer_text": question.answer_text,
        "answer_mode": question.answer_mode,
        "answered_at": iso(question.answered_at),
    }
    if session.status == SessionStatus.EVALUATED:
        data.update(
            score=question.score,
            feedback=question.feedback,
            covered_points=question.covered_points or [],
            missed_points=question.missed_points or [],
            reference_answer=question.reference_answer,
            key_points=question.key_points or [],
        )
    return data
