"""Session pages: history, create, detail, unfinished lookup, delete — HTML or JSON."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.documents import services as documents
from app.documents.throttle import upload_limit
from app.errors import AppError, NotFound, ValidationFailed
from app.extensions import db, limiter
from app.requests import MAX_ID, fits_id
from app.responses import envelope, wants_json
from app.sessions import bp, pages, planning, services


def truthy(value: str | None) -> bool:
    """Form booleans: 1, true, yes, on."""
    return (value or "").strip().lower() in {"1", "true", "yes", "on", "y"}


def resume_id_from(raw: str | None) -> int | None:
    """A CV id from a form or query: None when absent or not a number; a 400 when it is a
    number no CV can have (beyond the id column)."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    if not fits_id(int(raw)):
        raise ValidationFailed(f"resume_id must be at most {MAX_ID}.")
    return int(raw)


def spec_from_request() -> services.NewSession:
    """The create request's fields, as a NewSession."""
    form = request.form
    upload = request.files.get("resume_file")
    resume_upload = (upload.read(), upload.filename) if upload and upload.filename else None
    return services.NewSession(
        job_description=form.get("job_description", ""),
        job_title=form.get("job_title", ""),
        company_name=form.get("company_name", ""),
        question_count=form.get("question_count", ""),
        language=form.get("language", "en"),
        force_new=truthy(form.get("force_new")),
        resume_id=resume_id_from(form.get("resume_id")),
        resume_upload=resume_upload,
        resume_text=form.get("resume_text", ""),
    )


def render_new(status: int = 200, unfinished: object = None):
    """The create form, refilled with what was posted so nothing typed is lost; with
    `unfinished`, the choice between that interview and starting the one just typed."""
    values = request.form.to_dict() if request.method == "POST" else {}
    values.setdefault("resume_id", request.args.get("resume_id", ""))
    values.setdefault("question_count", "8")
    values.setdefault("language", "en")
    resumes = documents.list_resumes(current_user)
    return render_template(
        "sessions/new.html", values=values, resumes=resumes, unfinished=unfinished
    ), status


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["SESSION_CREATE_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["SESSION_CREATE_LIMIT_GLOBAL"],
    key_func=lambda: "sessions-new-global",
    methods=["POST"],
)
@upload_limit
def new():
    """Create an interview, or reuse the unfinished one for that CV. A remote planner works on a
    job: the browser goes to the interview page, which shows "Preparing your questions…"; a
    JSON client waits up to PLAN_WAIT_S for the 201, else gets 202 with the status URL."""
    if request.method == "GET":
        return render_new()
    try:
        session, reused = services.create_session(current_user, spec_from_request(), defer=True)
    except AppError as error:
        if wants_json():
            raise
        for each in getattr(error, "messages", [error.message]):
            flash(each, "danger")
        return render_new(error.status)
    db.session.commit()
    planning.queue_planning(session)
    if wants_json():
        return created_json(session, 200 if reused else 201)
    if reused:
        # Redirecting would drop the job description just typed: let the candidate choose.
        return render_new(unfinished=session)
    return redirect(url_for("interview.show", session_id=session.id))


def created_json(session, status: int = 201):
    """The Session (201 new, 200 reused) once its questions are planned (waiting up to
    PLAN_WAIT_S), 500 when planning failed (the session is kept), else 202 with where to watch
    it."""
    session_id = session.id
    planned, error = (
        (True, None)
        if session.is_planned
        else planning.wait_for_plan(session_id, planning.plan_wait_s())
    )
    if error is not None:
        return envelope(None, 500, error)
    interview_url = url_for("interview.show", session_id=session_id)
    if not planned:
        status_url = url_for("feedback.status", session_id=session_id)
        return envelope({"redirect": interview_url, "status_url": status_url}, 202, "accepted")
    session = services.get_owned_session(current_user, session_id)
    return envelope(services.session_json(session), status)


@bp.post("/session/<int:session_id>/plan")
@login_required
def replan(session_id: int):
    """Plan the questions again after a failed planning job; back to the preparing page (JSON:
    202 with the status URL)."""
    session = services.get_owned_session(current_user, session_id)
    planning.retry_planning(session)
    interview_url = url_for("interview.show", session_id=session_id)
    if wants_json():
        status_url = url_for("feedback.status", session_id=session_id)
        return envelope({"redirect": interview_url, "status_url": status_url}, 202, "accepted")
    return redirect(interview_url)


@bp.get("/sessions")
@login_required
@services.read_with_user(pages.HISTORY_STATE)
def index():
    """History: every session with status, date, role and score, a trend of scores, and
    progress per category (see `app.practice.progress`). A view of a history already shown is
    served from its kept page, read with the user (`pages.kept_history`)."""
    if not wants_json():
        kept = pages.kept_history(current_user)
        if kept is not None:
            return kept
    history = services.session_history(current_user)
    sessions, scores = history.sessions, history.scores
    if wants_json():
        return envelope(
            [{**services.session_json(s), "overall_score": scores.get(s.id)} for s in sessions]
        )
    return pages.history_page(current_user, history)  # kept per state of the history


@bp.get("/sessions/unfinished")
@login_required
def unfinished():
    """The unfinished session for a CV (`resume_id`), or 404."""
    resume_id = resume_id_from(request.args.get("resume_id"))
    if resume_id is None:
        raise AppError("resume_id is required (简历ID不能为空)", 400)
    documents.get_resume(current_user, resume_id)
    session = services.find_unfinished(current_user, resume_id)
    if session is None:
        raise NotFound("No unfinished session for this CV")
    if wants_json():
        return envelope(services.session_json(session))
    return redirect(url_for("interview.show", session_id=session.id))


@bp.get("/session/<int:session_id>")
@login_required
def detail(session_id: int):
    """Every question, answer and follow-up, with scores once evaluated."""
    session = services.get_owned_session(current_user, session_id)
    if wants_json():
        return envelope(services.session_json(session, detail=True))
    return render_detail(session)


def render_detail(session, *, retry: dict | None = None, status: int = 200):
    """The detail page; `retry` ({question_id, error, text}) reopens a refused new answer."""
    from app.practice.attempts import attempts_of

    html = render_template(
        "sessions/detail.html",
        session=session,
        progress=services.progress(session),
        deletable=not services.kept_for_recruiter(session),
        attempts=attempts_of(session.id),
        retry=retry or {},
    )
    return html, status


@bp.post("/session/<int:session_id>/delete")
@login_required
def delete(session_id: int):
    """Delete the session and everything under it."""
    services.delete_session(current_user, session_id)
    db.session.commit()
    if wants_json():
        return envelope(None)
    flash("Interview deleted.", "info")
    return redirect(url_for("sessions.index"))
