"""Answering: store an answer safely, decide on a follow-up, compute instant insights, drafts.

The server, not the model, decides what comes next: a follow-up only when the answer left gaps
(missed key points, or a behavioral answer with no result) and the question's follow-up budget
(`FOLLOW_UPS_PER_QUESTION`) allows; the model only words the follow-up.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, get_args

import sqlalchemy as sa
from flask import Flask, current_app
from pydantic import ValidationError

from app.ai import tasks as ai
from app.ai import usage
from app.ai.coach import offline_follow_up
from app.ai.errors import AIError
from app.ai.schemas import (
    AnswerToGrade,
    FollowUpQuestion,
    FollowUpRequest,
    Kind,
    PointMisconception,
)
from app.errors import AppError, Conflict, ValidationFailed
from app.evaluation.grading import GRADE_JOB
from app.extensions import db
from app.i18n import translate
from app.jobs import enqueue
from app.jobs.engine import QueueUnavailable
from app.models import InterviewSession, Question, SessionStatus, utcnow
from app.sessions.services import current_question, mark_started, progress

log = logging.getLogger(__name__)

# A follow-up is worth asking when the answer covered less than this share of the key points.
FOLLOW_UP_COVERAGE_BELOW = 0.6


@dataclass
class AnswerSignals:
    """Review-only integrity signals the browser records per answer."""

    time_spent_ms: int | None = None
    paste_chars: int | None = None
    tab_switches: int | None = None

    @classmethod
    def from_form(cls, form: Any) -> AnswerSignals:
        """Parse the optional hidden fields; anything malformed is simply not recorded."""

        def number(name: str) -> int | None:
            try:
                value = int(str(form.get(name, "")).strip())
            except ValueError:
                return None
            return max(0, min(value, 10**9))

        return cls(number("time_spent_ms"), number("paste_chars"), number("tab_switches"))


@dataclass
class AnswerOutcome:
    """What happened after an answer: the new status, the next question, progress."""

    status: str
    next_question: Question | None
    answered: Question
    progress: dict[str, int] = field(default_factory=dict)
    # The main question whose follow-up round this answer ended: ready to be graded.
    round_over: int | None = None


def check_answer_length(answer: str, language: str = "en") -> None:
    """Refuse answers over ANSWER_MAX_CHARS with a message that says how much to cut."""
    limit = current_app.config["ANSWER_MAX_CHARS"]
    if len(answer) > limit:
        if language == "zh":
            raise ValidationFailed(
                f"回答共{len(answer)}个字符，超过了{limit}字符的上限。请精简后再提交。"
            )
        raise ValidationFailed(
            f"Your answer is {len(answer):,} characters; the limit is {limit:,}. "
            "Shorten it and submit again — your text is still in the box."
        )


def expected_question(session: InterviewSession, question_id: Any) -> Question:
    """The question the form answers must be the current one; stale or double posts are refused."""
    language = session.language
    if not session.is_unfinished:
        raise Conflict(
            translate("This interview is already finished; no more answers can be added.", language)
        )
    current = current_question(session)
    try:
        wanted = int(question_id)
    except (TypeError, ValueError):
        raise ValidationFailed(
            translate("The form did not say which question it answers. Reload the page.", language)
        ) from None
    if current is not None and current.id == wanted:
        return current
    if any(q.id == wanted and q.answered_at is not None for q in session.questions):
        raise Conflict(
            translate(
                "That question was already answered (the form was sent twice or from an old tab). "
                "Here is the current question.",
                language,
            )
        )
    raise ValidationFailed(
        translate("That question is not part of this interview. Reload the page.", language)
    )


def record_answer(
    session: InterviewSession,
    question: Question,
    answer: str,
    mode: str,
    signals: AnswerSignals,
    delivery: dict[str, Any] | None = None,
) -> None:
    """Store the answer once: a guarded update, so a concurrent duplicate changes nothing."""
    check_answer_length(answer, session.language)
    now = utcnow()
    result = db.session.execute(
        sa.update(Question)
        .where(Question.id == question.id, Question.answered_at.is_(None))
        .values(
            answer_text=answer.strip(),
            answer_mode="code" if mode == "code" else "default",
            answered_at=now,
            draft_text=None,
            time_spent_ms=signals.time_spent_ms,
            paste_chars=signals.paste_chars,
            tab_switches=signals.tab_switches,
            delivery=delivery,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        language = session.language  # read before the rollback expires the session
        db.session.rollback()
        raise Conflict(
            translate("That question was already answered. Here is the current question.", language)
        )
    db.session.refresh(question)
    mark_started(session)


def answer_insights(session: InterviewSession, question: Question) -> dict[str, Any]:
    """The instant insights on an answered question, as stored with it.

    They are computed when the answer is stored; a row answered before they were kept gets them
    computed here once and stored with the next commit, so later views only render them.
    """
    if question.insights is None:
        question.insights = compute_insights(session, question)
    return question.insights


def compute_insights(session: InterviewSession, question: Question) -> dict[str, Any]:
    """Instant, AI-free observations about the answer just given (no score).

    The answer is judged as the evaluation will judge it: a follow-up's answer against its main
    question's key points, on the candidate's words alone.
    """
    from app.ai.coach import answer_insights as insights

    main = question if question.parent_id is None else session_question(session, question.parent_id)
    context = AnswerToGrade(
        question_id=question.id,
        question=main.text,
        follow_up_question=question.text if main is not question else "",
        kind=main.kind if main.kind in get_args(Kind) else "technical",  # type: ignore[arg-type]
        reference_answer=main.reference_answer or "",
        key_points=list(main.key_points or question.key_points or []),
        answer_mode="code" if question.answer_mode == "code" else "default",
        misconceptions=plan_misconceptions(main),
    )
    return insights(
        question.answer_text or "",
        context.key_points,
        session.job_description,
        language=session.language,
        question=context,
    )


def plan_misconceptions(question: Question) -> list[PointMisconception]:
    """The wrong claims a plan stored with the question's key points (what the offline grader
    listens for on a question outside the bank); an entry that no longer validates is skipped."""
    found = []
    for item in question.misconceptions:
        try:
            found.append(PointMisconception.model_validate(item))
        except ValidationError:
            continue
    return found


def wrong_claims(question: Question) -> list[Any]:
    """The misconceptions to listen for on a question's key points, as the final grade uses."""
    from app.ai.coach import misconceptions_for

    return list(misconceptions_for(question.text, question.key_points, question.misconceptions))


def follow_ups_used(session: InterviewSession, main: Question) -> int:
    """How many follow-ups a main question already has."""
    return sum(1 for q in session.questions if q.parent_id == main.id)


def gaps_in(question: Question, main: Question) -> tuple[list[str], list[str]]:
    """Missed key points and missing STAR parts that justify a follow-up (empty: none needed)."""
    from app.ai.coach import key_point_coverage, star_parts, validity_issue

    answer = question.answer_text or ""
    # A follow-up answer is judged in the context of its main question's topic too.
    context = question.text if question is main else f"{main.text}\n{question.text}"
    if not answer.strip() or validity_issue(context, answer) is not None:
        return [], []  # nothing to build on: move on rather than press
    points = main.key_points or []
    coverage = (
        key_point_coverage(
            answer,
            points,
            misconceptions=wrong_claims(main),
            question=main.text,
            follow_up_question="" if question is main else question.text,
        )
        if points
        else []
    )
    missed = [point for point, covered, _ in coverage if not covered]
    missing_star: list[str] = []
    if main.kind == "behavioral" and not star_parts(answer).get("result", False):
        missing_star = ["result"]
    if points and len(missed) / len(points) < FOLLOW_UP_COVERAGE_BELOW and not missing_star:
        return [], []
    return missed, missing_star


def maybe_add_follow_up(session: InterviewSession, question: Question) -> Question | None:
    """Ask one targeted follow-up when the answer left gaps and the budget allows."""
    main = question if question.parent_id is None else session_question(session, question.parent_id)
    if follow_ups_used(session, main) >= current_app.config["FOLLOW_UPS_PER_QUESTION"]:
        return None
    missed, missing_star = gaps_in(question, main)
    if not missed and not missing_star:
        return None
    request = FollowUpRequest.model_validate(
        {
            "question": question.text,
            "kind": main.kind,
            "answer": question.answer_text or "",
            "missed_points": missed[:3],
            "missing_star_parts": missing_star,
            "language": session.language,
        }
    )
    try:
        written = word_follow_up(request, session.id)
    except AIError:
        log.warning("follow-up skipped for session %s: no provider answered", session.id)
        return None
    if not written.question:
        return None
    follow_up = Question(
        session_id=session.id,
        position=main.position,
        parent_id=main.id,
        text=written.question,
        category=main.category,
        skill=main.skill,
        kind=main.kind,
        difficulty=main.difficulty,
        reference_answer=main.reference_answer,
        key_points=(
            written.key_points if len(written.key_points) >= 1 else missed or main.key_points
        ),
    )
    db.session.add(follow_up)
    db.session.flush()
    db.session.refresh(session)
    return follow_up


# Remote follow-up wording runs in threads of the app's own, so the answer's request can stop
# waiting for it; they write to that app's database, so they belong to the app and end with it.
WORDING_THREADS = "follow_up_wording"


def wording_threads(app: Flask) -> ThreadPoolExecutor:
    """The app's threads for remote follow-up wording (made on first use)."""
    threads = app.extensions.get(WORDING_THREADS)
    if threads is None:
        made = ThreadPoolExecutor(max_workers=8, thread_name_prefix="follow-up")
        threads = app.extensions.setdefault(WORDING_THREADS, made)  # one wins a race
    return threads


def finish_wording(app: Flask) -> None:
    """Wait for the remote wordings still running (a slow one outlives its request by seconds,
    then records its ai_calls row and gives its database connection back) and end the app's
    wording threads: call it before the app's tables are emptied or its engine is disposed, or
    that row lands afterwards and the connection returns to a pool already closed."""
    threads = app.extensions.pop(WORDING_THREADS, None)
    if threads is not None:
        threads.shutdown(wait=True)


def word_follow_up(request: FollowUpRequest, session_id: int) -> FollowUpQuestion:
    """The follow-up's wording. A remote provider gets FOLLOW_UP_WAIT_S (the request must stay
    short); when it is slower, the offline interviewer words it (milliseconds) and the remote
    call finishes unheard. Raises AIError when the providers answered with errors in time."""
    if not ai.remote_first():
        return ai.write_follow_up(request).value
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def remote() -> FollowUpQuestion:
        with app.app_context(), usage.for_session(session_id):
            try:
                value = ai.write_follow_up(request).value
                db.session.commit()  # the call's ai_calls record
                return value
            finally:
                db.session.remove()

    pending = wording_threads(app).submit(remote)
    try:
        return pending.result(timeout=float(current_app.config["FOLLOW_UP_WAIT_S"]))
    except FutureTimeout:
        log.info("follow-up for session %s worded offline: the provider was slow", session_id)
        return offline_follow_up(request)


def session_question(session: InterviewSession, question_id: int) -> Question:
    """A question of this session by id."""
    return next(q for q in session.questions if q.id == question_id)


def advance(session: InterviewSession) -> Question | None:
    """The next question, marking it asked; when none is left the session is COMPLETED."""
    nxt = current_question(session)
    if nxt is None:
        session.status = SessionStatus.COMPLETED
        session.completed_at = utcnow()
        return None
    nxt.asked_at = nxt.asked_at or utcnow()
    return nxt


def submit_answer(
    session: InterviewSession,
    question_id: Any,
    answer: str,
    mode: str,
    signals: AnswerSignals,
    delivery: dict[str, Any] | None = None,
) -> AnswerOutcome:
    """Store an answer, commit it, then decide the next step (follow-up, next question or done).
    `delivery`: the measured delivery of a spoken answer, kept with it as context."""
    question = expected_question(session, question_id)
    record_answer(session, question, answer, mode, signals, delivery)
    db.session.commit()  # the answer is safe before any AI call is made
    answer_insights(session, question)  # computed once, here, and only read afterwards
    db.session.commit()  # now, so no write waits in the transaction while a follow-up is worded
    follow_up = maybe_add_follow_up(session, question)
    nxt = advance(session)
    return AnswerOutcome(
        status=session.status,
        next_question=nxt,
        answered=question,
        progress=progress(session),
        round_over=None if follow_up is not None else (question.parent_id or question.id),
    )


def queue_grading(outcome: AnswerOutcome) -> None:
    """Grade the main question whose round just ended, on a worker, while the candidate goes on
    (call after the commit). A queue that is down costs nothing: the evaluation grades it."""
    if outcome.round_over is None:
        return
    try:
        enqueue(GRADE_JOB, outcome.round_over)
    except QueueUnavailable:
        log.warning("Grading of question %s left to the evaluation: queue down", outcome.round_over)


def save_draft(session: InterviewSession, question_id: Any, text: str) -> None:
    """Autosave the current question's draft (too-long drafts are kept, clipped to the limit)."""
    if not session.is_unfinished:
        raise Conflict(translate("This interview is already finished.", session.language))
    question = expected_question(session, question_id)
    question.draft_text = (text or "")[: current_app.config["ANSWER_MAX_CHARS"] * 2]


def show_question(session: InterviewSession) -> Question | None:
    """Showing the current question starts the interview and stamps when it was asked
    (only the first view of a question changes anything)."""
    question = current_question(session)
    if question is not None:
        mark_started(session)
        if question.asked_at is None:  # assigning even the same value would mark it dirty
            question.asked_at = utcnow()
    return question


def keep_rejected_answer(session: InterviewSession, question_id: Any, text: str) -> None:
    """When an answer is refused (too long), keep it as the draft so nothing typed is lost."""
    try:
        save_draft(session, question_id, text)
    except AppError:
        return
