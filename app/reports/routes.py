"""Routes of the reports blueprint: the full report page and its PDF."""

from __future__ import annotations

import logging

from flask import Response, render_template
from flask_login import current_user, login_required

from app.errors import error_response
from app.evaluation.progress import POLL_MS, REFRESH_S, evaluation_progress
from app.evaluation.services import EvaluationFailed
from app.feedback.pages import ai_error_response, complete_wait_s
from app.i18n import N_
from app.reports import bp, services
from app.reports.pages import REPORT_STATE, kept_report_page, render_report
from app.reports.pdf import PdfRenderError, pdf_filename_headers
from app.responses import envelope, wants_json
from app.sessions.services import SESSION_ONLY, get_owned_session, read_with_user

log = logging.getLogger(__name__)


@bp.get("/session/<int:session_id>/report")
@login_required
@read_with_user(REPORT_STATE)
def show(session_id: int):
    """The full report; a COMPLETED session is evaluated on this first view, then stored. A
    view of a report already shown is served from its kept page, read with the user
    (`kept_report_page`); otherwise the session is loaded and the page rendered (and kept)."""
    if not wants_json():
        kept = kept_report_page(current_user, session_id)
        if kept is not None:
            return kept
    session = get_owned_session(current_user, session_id, SESSION_ONLY.statement)
    try:
        report = services.get_report(session, wait_s=complete_wait_s())
    except EvaluationFailed:
        return ai_error_response(session_id, session.language)
    except services.ReportPending:
        if wants_json():
            return envelope(None, 202, services.REPORT_PENDING)
        html = render_template(
            "reports/pending.html",
            session=session,
            progress=evaluation_progress(session),
            poll_ms=POLL_MS,
            refresh_s=REFRESH_S,
        )
        return html, 202
    if wants_json():
        return envelope(services.report_json(session, report))
    return render_report(session, report)  # builds the report's JSON only when not kept


@bp.get("/session/<int:session_id>/report.pdf")
@login_required
def pdf(session_id: int):
    """The stored report as an A4 PDF download; never calls the AI."""
    session = get_owned_session(current_user, session_id)
    report = services.stored_report(session.id)
    if report is None:
        return Response(services.REPORT_NOT_READY, status=400, mimetype="text/plain")
    try:
        data = services.report_pdf(session, report)
    except PdfRenderError:
        log.exception("Drawing the PDF of session %s failed", session.id)
        return error_response(500, N_("The PDF could not be generated. Please try again."))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = pdf_filename_headers(session.id, session.language)
    response.headers["Content-Length"] = str(len(data))
    return response
