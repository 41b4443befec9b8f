"""The interview pages: the current question, answering, and draft autosave."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.errors import AppError
from app.extensions import db
from app.interview import bp, services
from app.models import Question
from app.responses import envelope, wants_json
from app.sessions import services as sessions
from app.sessions.services import session_json


def commit_if_changed() -> None:
    """Commit only when showing the question changed something: a reload stays a pure read."""
    if db.session.dirty:
        db.session.commit()


def last_answered(session) -> Question | None:
    """The most recently answered question, for the insights shown under the next one."""
    answered = [q for q in session.questions if q.answered_at is not None]
    return max(answered, key=lambda q: (q.answered_at, q.id)) if answered else None


def render_question(
    session, *, error: str | None = None, text: str | None = None, status: int = 200
):
    """The interview page: the current question (or the end), with insights on the last answer."""
    question = services.show_question(session)
    commit_if_changed()
    previous = last_answered(session)
    insights = services.answer_insights(session, previous) if previous is not None else None
    html = render_template(
        "interview/question.html",
        session=session,
        question=question,
        progress=sessions.progress(session),
        previous=previous,
        insights=insights,
        error=error,
        answer_text=text if text is not None else (question.draft_text if question else ""),
    )
    return html, status


@bp.get("/session/<int:session_id>/interview")
@login_required
def show(session_id: int):
    """The current question with its category and progress; done state once all are answered."""
    session = sessions.get_owned_session(current_user, session_id)
    if wants_json():
        services.show_question(session)
        commit_if_changed()
        return envelope(session_json(session))
    return render_question(session)


@bp.post("/session/<int:session_id>/answer")
@login_required
def answer(session_id: int):
    """Store the answer, then show a follow-up, the next question, or the end of the interview."""
    session = sessions.get_owned_session(current_user, session_id)
    text = request.form.get("answer", "")
    signals = services.AnswerSignals.from_form(request.form)
    try:
        outcome = services.submit_answer(
            session,
            request.form.get("question_id"),
            text,
            request.form.get("answer_mode", "default"),
            signals,
        )
    except AppError as error:
        db.session.rollback()
        services.keep_rejected_answer(session, request.form.get("question_id"), text)
        db.session.commit()
        if wants_json():
            raise
        if error.status == 409:
            flash(error.message, "warning")
            return redirect(url_for("interview.show", session_id=session.id))
        return render_question(session, error=error.message, text=text, status=error.status)
    db.session.commit()
    if wants_json():
        return envelope(
            {
                "status": outcome.status,
                "next_question": outcome.next_question.public_json()
                if outcome.next_question
                else None,
                "insights": services.answer_insights(session, outcome.answered),
                "progress": outcome.progress,
            }
        )
    return redirect(url_for("interview.show", session_id=session.id))


@bp.post("/session/<int:session_id>/draft")
@login_required
def draft(session_id: int):
    """Autosave the draft of the current answer (204)."""
    session = sessions.get_owned_session(current_user, session_id)
    services.save_draft(session, request.form.get("question_id"), request.form.get("answer", ""))
    db.session.commit()
    return "", 204
