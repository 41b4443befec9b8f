"""The interview pages: the current question, answering (typed or by voice), transcribing a
recording, and draft autosave."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from app.ai.transcription import voice_enabled
from app.errors import BUSY_RETRY_AFTER_S, AppError, ValidationFailed, is_transient_database_error
from app.evaluation.progress import POLL_MS, REFRESH_S, evaluation_progress
from app.extensions import db, limiter
from app.i18n import translate
from app.interview import bp, pages, recordings, services, voice
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
    session,
    *,
    error: str | None = None,
    text: str | None = None,
    status: int = 200,
    mark_shown: bool = True,
    spoken: voice.SpokenAnswer | None = None,
):
    """The interview page: the current question (or the end), with insights on the last answer.
    `mark_shown=False` writes nothing (when the database is too busy to take a write)."""
    previous = last_answered(session)
    # Stored insights are only read; an answer from before they were kept gets them here, and
    # the commit below keeps them (unless the page must write nothing).
    insights = services.answer_insights(session, previous) if previous is not None else None
    if mark_shown:
        question = services.show_question(session)
        commit_if_changed()
    else:
        question = sessions.current_question(session)
    progress = sessions.progress(session)
    context = {
        "session": session,
        "question": question,
        "progress": progress,
        "previous": previous,
        "insights": insights,
        "error": error,
        "answer_text": text if text is not None else (question.draft_text if question else ""),
        "voice_enabled": voice_enabled(current_app.config),
        "spoken": spoken,
        **recording_notice(session),
    }
    # Only the plain view is kept: an error, a transcript or a refused answer is this view's own.
    plain = error is None and text is None and spoken is None
    return pages.question_page(current_user, context, keep=plain), status


def recording_notice(session) -> dict:
    """What the page says about kept recordings, and the ones it lists. Asked of the database
    only when recordings are kept: with AUDIO_RETENTION_DAYS at 0 the page stays two reads
    (any left from a longer setting are on the report page until they expire)."""
    days = recordings.retention_days()
    return {
        "retention_days": days,
        "recordings": recordings.session_recordings(session) if days else [],
        "shared_with_recruiter": recordings.shared_with_recruiter(session) if days else False,
    }


def render_preparing(session):
    """The page saying "Preparing your questions…" while the planning job works (it polls the
    status and reloads itself; without JS a meta refresh), or its failure with a retry button."""
    return render_template(
        "interview/preparing.html",
        session=session,
        progress=evaluation_progress(session),
        poll_ms=POLL_MS,
        refresh_s=REFRESH_S,
    )


@bp.get("/session/<int:session_id>/interview")
@login_required
@sessions.read_with_user(pages.INTERVIEW_STATE)
def show(session_id: int):
    """The current question with its category and progress; done state once all are answered.
    A view of a state already shown is served from its kept body without loading the session
    (`pages.kept_page`); otherwise the session is loaded and the page rendered (and kept)."""
    if not wants_json():
        kept = pages.kept_page(current_user, session_id)
        if kept is not None:
            return kept
    session = sessions.get_owned_session(
        current_user, session_id, sessions.SESSION_FOR_INTERVIEW_PAGE
    )
    if not session.is_planned:  # a planning job is at work: nothing to show or start yet
        if wants_json():
            return envelope(session_json(session))
        return render_preparing(session)
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
    audio = recording_in_request()
    signals = services.AnswerSignals.from_form(request.form)
    question_id = request.form.get("question_id")
    try:
        text, delivery, spoken = answer_text_and_delivery(session, question_id, text, audio)
        outcome = services.submit_answer(
            session,
            question_id,
            text,
            request.form.get("answer_mode", "default"),
            signals,
            delivery,
        )
        if spoken is not None:
            spoken.keep(session)
        db.session.commit()  # the follow-up and the step forward; the answer is already in
        services.queue_grading(outcome)
        sessions.expect_new_state(current_user.id, session.id)  # the redirect's view renders
    except AppError as error:
        db.session.rollback()
        if text.strip() or audio is None:  # a failed recording must not blank the saved draft
            services.keep_rejected_answer(session, question_id, text)
        db.session.commit()
        if wants_json():
            raise
        if error.status == 409:
            flash(error.message, "warning")
            return redirect(url_for("interview.show", session_id=session.id))
        return render_question(session, error=error.message, text=text, status=error.status)
    except OperationalError as error:
        db.session.rollback()
        if wants_json() or not is_transient_database_error(error):
            raise  # the JSON client gets the 503 envelope from the error handlers
        return busy_answer_page(session, request.form.get("question_id"), text)
    if wants_json():
        return envelope(
            {
                "status": outcome.status,
                "next_question": outcome.next_question.public_json()
                if outcome.next_question
                else None,
                "insights": services.answer_insights(session, outcome.answered),
                "delivery": outcome.answered.delivery,
                "progress": outcome.progress,
            }
        )
    return redirect(url_for("interview.show", session_id=session.id))


def recording_in_request():
    """The uploaded ``audio`` file, or None when the form carried no recording."""
    audio = request.files.get("audio")
    return audio if audio is not None and audio.filename else None


def answer_text_and_delivery(session, question_id, text: str, audio):
    """The answer to store, its delivery and the spoken answer it came from (None when typed): a
    recording is transcribed and measured here; typed text keeps the delivery of the recording
    it was transcribed from, if its signed token came back with the form."""
    if audio is None:
        return text, voice.read_delivery(request.form.get("delivery_token"), question_id), None
    if text.strip():
        raise ValidationFailed(
            translate("Send the answer as text or as a recording, not both.", session.language)
        )
    spoken = voice.transcribe_answer(session, question_id, audio)
    return spoken.transcript.text, spoken.delivery, spoken


@bp.post("/session/<int:session_id>/transcribe")
@login_required
@limiter.limit(lambda: current_app.config["TRANSCRIBE_LIMIT_PER_IP"])
def transcribe(session_id: int):
    """Transcribe a recorded answer to the current question and measure its delivery, storing
    no answer: JSON clients get {transcript, language, duration_s, delivery}; a browser gets the
    question page with the transcript in the answer box to correct."""
    session = sessions.get_owned_session(current_user, session_id)
    typed = request.form.get("answer")
    try:
        audio = recording_in_request()
        if audio is None:
            raise ValidationFailed(
                translate("Attach the recording as the audio field.", session.language)
            )
        spoken = voice.transcribe_answer(session, request.form.get("question_id"), audio)
        spoken = spoken.keep(session)
    except AppError as error:
        db.session.commit()  # the ai_calls rows of the failed attempts
        if wants_json():
            raise
        return render_question(session, error=error.message, text=typed, status=error.status)
    db.session.commit()  # the ai_calls rows, and the recording when recordings are kept
    if wants_json():
        return envelope(spoken.as_json())
    return render_question(session, text=spoken.transcript.text, spoken=spoken)


def busy_answer_page(session, question_id, text: str):
    """The database was too busy to finish storing the answer: show the interview page again
    with a 503, keeping the typed answer in the form if it was not saved."""
    saved = any(str(q.id) == str(question_id) and q.answered_at for q in session.questions)
    lang = session.language
    if saved:
        message = translate(
            "Your answer was saved, but the server was too busy to prepare what comes next. "
            "Reload the page in a moment.",
            lang,
        )
    else:
        message = translate(
            "The server is busy and your answer is not saved yet. It is still below: "
            "submit it again in a moment.",
            lang,
        )
    html, status = render_question(
        session, error=message, text=None if saved else text, status=503, mark_shown=False
    )
    return html, status, {"Retry-After": BUSY_RETRY_AFTER_S}


@bp.post("/session/<int:session_id>/draft")
@login_required
def draft(session_id: int):
    """Autosave the draft of the current answer (204)."""
    session = sessions.get_owned_session(current_user, session_id)
    services.save_draft(session, request.form.get("question_id"), request.form.get("answer", ""))
    db.session.commit()
    return "", 204
