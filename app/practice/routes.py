"""Practice routes: answer a graded question again, the drill list, and starting a drill."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.errors import AppError
from app.extensions import db
from app.practice import attempts, bp, drills
from app.responses import envelope, wants_json
from app.sessions import services as sessions
from app.sessions.routes import render_detail


@bp.post("/session/<int:session_id>/questions/<int:question_id>/attempts")
@login_required
def attempt(session_id: int, question_id: int):
    """Grade a new answer to a graded question (the old one is kept) and show what changed."""
    session = sessions.get_owned_session(current_user, session_id)
    text = request.form.get("answer", "")
    try:
        added = attempts.answer_again(
            session, question_id, text, request.form.get("answer_mode", "default")
        )
    except AppError as error:
        db.session.rollback()
        if wants_json() or error.status not in (400, 503):
            raise
        # The page again, with the message beside the form and the typed text kept in it.
        session = sessions.get_owned_session(current_user, session_id)
        retry = {"question_id": question_id, "error": error.message, "text": text}
        if request.form.get("back") == "report":  # sent from the report: back to its card there
            # Imported here: the report page lists attempts, so app.reports imports this package.
            from app.reports.pages import render_report
            from app.reports.services import stored_report

            report = stored_report(session.id)
            if report is not None:
                return render_report(session, report, retry=retry), error.status
        return render_detail(session, retry=retry, status=error.status)
    db.session.commit()
    if wants_json():
        return envelope(attempts.attempt_result(added, session.language), 201)
    flash(attempts.delta_sentence(added, session.language), "success")
    if request.form.get("back") == "report":
        # Answered from the report: back to the question's card, which the page opens.
        return redirect(url_for("reports.show", session_id=session.id, _anchor=f"q-{question_id}"))
    return redirect(
        url_for("sessions.detail", session_id=session.id, _anchor=f"attempt-{added.id}")
    )


@bp.get("/drills")
@login_required
def index():
    """The drill list: key points missed across interviews, due ones first, and the wrong
    claims made more than once."""
    items = drills.drill_list(current_user)
    mistakes = drills.repeated_mistakes(current_user)
    if wants_json():
        return envelope(
            {
                "items": [item.as_json() for item in items],
                "mistakes": [drills.mistake_json(m) for m in mistakes],
            }
        )
    return render_template(
        "practice/drills.html",
        groups=drills.by_question(items),
        mistakes=mistakes,
        now=drills.utcnow(),
    )


@bp.post("/drills/start")
@login_required
def start():
    """A new interview of the due drill questions → its first question (JSON: 201 Session);
    an unfinished drill is carried on instead (JSON: 200), so a double click makes one."""
    session, reused = drills.start_drill(current_user)
    db.session.commit()
    if wants_json():
        return envelope(sessions.session_json(session), 200 if reused else 201)
    return redirect(url_for("interview.show", session_id=session.id))


@bp.app_template_global("delta_sentence")
def delta_sentence(attempt, language: str) -> str:
    """ "41 → 78: now covers X; still missing Z." for an attempt, in the page's language."""
    return attempts.delta_sentence(attempt, language)


@bp.app_template_filter("mistake_due")
def mistake_due(mistake):
    """When a repeated mistake is due for practice again (now, until a later answer corrects it)."""
    return drills.due_at(mistake)
