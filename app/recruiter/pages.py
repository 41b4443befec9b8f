"""Pages opened from a link, with no API key: the candidate's invite and the shared report.

The invite page greets the candidate, offers an optional CV (file or pasted text) and a start
button; starting signs them in to their invite-only account and opens the normal interview
pages. The shared report is the signed, expiring, read-only view a recruiter can forward; a
recording link plays one kept spoken answer.
"""

from __future__ import annotations

import logging

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from app.access import scope_to_invite
from app.auth.forms import SetPasswordForm
from app.auth.routes import form_errors
from app.documents.throttle import upload_limit
from app.errors import AppError, NotFound
from app.evaluation.integrity import flag_text
from app.extensions import db
from app.interview.recordings import audio_response
from app.models import Invite, InviteStatus, Recording
from app.recruiter import links_bp as bp
from app.recruiter.candidate import CvInput, invite_candidate, release_start, start_interview
from app.recruiter.claim import claim_account, claimable
from app.recruiter.invites import (
    invite_by_token,
    invite_plan,
    invite_session,
)
from app.recruiter.reports import (
    answer_players,
    conversation_turns,
    evaluated_report,
    recruiter_report,
    settle_status,
)
from app.recruiter.routes import pdf_response
from app.recruiter.signing import read_recording_link, read_report_link
from app.sessions.planning import queue_planning

log = logging.getLogger(__name__)

SIGN_IN_FIRST = (
    "This email already has an Interview Coach account. Sign in, then start the interview."
)


def render_invite(invite: Invite, token: str, *, error: str | None = None, status: int = 200):
    """The invite page in its current state (pending, started, completed), with the form to set
    a password when the link may claim the account."""
    return render_template(
        "recruiter/invite.html", invite=invite, plan=invite_plan(invite), token=token,
        session=invite_session(invite), error=error, values=request.form,
        claimable=claimable(invite),
    ), status  # fmt: skip


def render_expired(invite: Invite):
    """The clear "this link has expired" page (410)."""
    return render_template("recruiter/expired.html", invite=invite, plan=invite_plan(invite)), 410


@bp.get("/invite/<token>")
def invite(token: str):
    """The candidate's invite: who it is for, an optional CV, and a start button."""
    found = invite_by_token(token)
    status = settle_status(found)
    db.session.commit()
    if status == InviteStatus.EXPIRED:
        return render_expired(found)
    return render_invite(found, token)


@bp.post("/invite/<token>/start")
@upload_limit
def start(token: str):
    """Start (or continue) the invite's interview, signed in without a password."""
    found = invite_by_token(token)
    status = settle_status(found)
    if status == InviteStatus.EXPIRED:
        db.session.commit()
        return render_expired(found)
    if status == InviteStatus.COMPLETED:
        db.session.commit()
        return redirect(url_for(".invite", token=token))
    candidate = invite_candidate(found)
    if candidate.password_hash and getattr(current_user, "id", None) != candidate.id:
        db.session.commit()
        flash(SIGN_IN_FIRST, "info")
        return redirect(url_for("auth.login", next=url_for(".invite", token=token)))
    try:
        session = start_interview(found, candidate, cv_from_form())
    except AppError as error:
        db.session.rollback()
        release_start(found)  # planning may have failed after the claim was committed
        return render_invite(found, token, error=error.message, status=error.status)
    db.session.commit()
    queue_planning(session)
    login_user(candidate)
    if not candidate.password_hash:
        scope_to_invite(session.id)
    return redirect(url_for("interview.show", session_id=session.id))


@bp.post("/invite/<token>/password")
def claim(token: str):
    """Set a password on the invite's password-less account (see `app.recruiter.claim`), and
    sign in account-wide with it."""
    found = invite_by_token(token)
    if settle_status(found) == InviteStatus.EXPIRED:
        db.session.commit()
        return render_expired(found)
    form = SetPasswordForm()
    if not form.validate():
        return render_invite(found, token, error=form_errors(form), status=400)
    try:
        user = claim_account(found, form.password.data or "")
    except AppError as error:
        db.session.rollback()
        return render_invite(found, token, error=error.message, status=error.status)
    db.session.commit()
    login_user(user)
    flash("Your password is set: sign in with this email and password from now on.", "success")
    return redirect(url_for("sessions.index"))


def cv_from_form() -> CvInput:
    """The optional CV the candidate gave: an uploaded file or pasted text."""
    upload = request.files.get("resume_file")
    file = (upload.read(), upload.filename) if upload and upload.filename else None
    return CvInput(upload=file, text=request.form.get("resume_text", ""))


def shared_invite(token: str) -> Invite:
    """The invite a signed report link names (404 tampered or gone, 410 expired)."""
    invite = db.session.get(Invite, read_report_link(token))
    if invite is None:
        raise AppError("This report no longer exists.", 404)
    return invite


def private_headers(response: Response) -> Response:
    """A shared report is for whoever holds the link: not cached, indexed or leaked onwards."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/ai-interviews/shared/<token>")
def shared_report(token: str):
    """The read-only HTML report behind a signed, expiring link, with a player under each
    answer whose recording is kept (its own signed link, as in the JSON's interview_recording:
    whoever may read this report may hear that interview's answers, and no other's)."""
    invite = shared_invite(token)
    found = evaluated_report(invite)
    if found is None:
        raise AppError("This interview has not been completed yet.", 404)
    data = recruiter_report(invite)
    session, report = found
    html = render_template(
        "recruiter/shared_report.html", data=data, report=report, session=session,
        pdf_url=url_for(".shared_report_pdf", token=token),
        flags=[flag_text(flag, "en") for flag in report.integrity_flags],
        turns=conversation_turns(session), players=answer_players(invite, session),
    )  # fmt: skip
    db.session.commit()
    return private_headers(Response(html, mimetype="text/html"))


@bp.get("/ai-interviews/shared/<token>/pdf")
def shared_report_pdf(token: str):
    """The report PDF behind a signed, expiring link (`is_downloadable=true`)."""
    return private_headers(pdf_response(shared_invite(token)))


@bp.get("/ai-interviews/recordings/<token>")
def recording(token: str):
    """One spoken answer of an invite's interview behind a signed, expiring link (no key):
    404 when the link was tampered with or names a recording of another interview, or one
    deleted or past its retention; 403 once the link has expired."""
    response_id, recording_id = read_recording_link(token)
    invite = db.session.get(Invite, response_id)
    found = db.session.get(Recording, recording_id)
    if invite is None or found is None or invite.session_id != found.session_id or found.is_expired:
        raise NotFound("This recording no longer exists.")
    return private_headers(audio_response(found))
