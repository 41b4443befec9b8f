"""The candidate's own recordings: play one, delete one, delete all of an interview's."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.auth.routes import safe_next
from app.extensions import db
from app.i18n import N_, translate
from app.interview import bp, recordings
from app.responses import envelope, wants_json
from app.sessions.services import get_owned_session


@bp.get("/session/<int:session_id>/recordings/<int:recording_id>")
@login_required
def recording(session_id: int, recording_id: int):
    """Play one of the interview's kept recordings (its owner only; 404 for anyone else)."""
    session = get_owned_session(current_user, session_id)
    return recordings.audio_response(recordings.owned_recording(session, recording_id))


@bp.post("/session/<int:session_id>/recordings/<int:recording_id>/delete")
@login_required
def delete_recording(session_id: int, recording_id: int):
    """Delete one recording now: its file and its row; a recruiter's link to it stops working."""
    session = get_owned_session(current_user, session_id)
    count = recordings.delete_recordings([recordings.owned_recording(session, recording_id)])
    db.session.commit()
    return deleted(session, count)


@bp.post("/session/<int:session_id>/recordings/delete")
@login_required
def delete_recordings(session_id: int):
    """Delete every recording of the interview now."""
    session = get_owned_session(current_user, session_id)
    count = recordings.delete_recordings(recordings.session_recordings(session))
    db.session.commit()
    return deleted(session, count)


def deleted(session, count: int):
    """JSON: how many were deleted; a browser goes back to the page it came from."""
    if wants_json():
        return envelope({"deleted": count})
    message = N_("Recording deleted.") if count == 1 else N_("Recordings deleted: {n}.")
    flash(translate(message, session.language, n=count), "info")
    fallback = url_for("sessions.detail", session_id=session.id)
    target = safe_next(request.form.get("next")) if request.form.get("next") else fallback
    return redirect(target)
