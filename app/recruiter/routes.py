"""The recruiter JSON API (SPEC §9): bare JSON objects, `{"error": ...}` on failure, API key."""

from __future__ import annotations

import logging

from flask import Response, g, jsonify, request

from app.errors import AppError, ValidationFailed
from app.extensions import db
from app.models import Invite
from app.recruiter import bp, invites, services
from app.recruiter.auth import api_key_required, current_recruiter
from app.recruiter.links import absolute_url
from app.recruiter.payload import is_ascii_digits, json_body
from app.recruiter.reports import evaluated_report, recruiter_report
from app.recruiter.signing import webhook_secret
from app.reports import services as reports
from app.reports.pdf import PdfRenderError, pdf_filename_headers
from app.requests import MAX_ID, fits_id

log = logging.getLogger(__name__)

TRUE_WORDS = {"1", "true", "yes", "on"}


def created(data: dict) -> Response:
    """A 201 with a bare JSON body."""
    response = jsonify(data)
    response.status_code = 201
    return response


@bp.post("/ai-interviews")
@api_key_required
def create_plan():
    """Create an interview plan; skills are read from the job description when omitted."""
    plan = services.create_plan(current_recruiter(), json_body(), g.api_key)
    db.session.commit()
    return created(services.plan_json(plan))


@bp.get("/ai-interviews")
@api_key_required
def list_plans():
    """The recruiter's interview plans, newest first."""
    return jsonify([services.plan_json(p) for p in services.list_plans(current_recruiter())])


@bp.get("/ai-interviews/<int:ai_interview_id>")
@api_key_required
def show_plan(ai_interview_id: int):
    """One of the recruiter's interview plans."""
    return jsonify(services.plan_json(services.get_plan(current_recruiter(), ai_interview_id)))


@bp.post("/ai-interviews/invite")
@api_key_required
def invite():
    """Invite a candidate: returns the response id and the link to send them."""
    new = invites.create_invite(current_recruiter(), json_body())
    db.session.commit()
    return created(
        {
            "response_id": new.invite.id,
            "invite_link": absolute_url("recruiter.links.invite", token=new.token),
            "invite_status": new.invite.status,
        }
    )


def chosen_invite(response_id: int | None) -> Invite:
    """The invite named by the path's response_id or by ?custom_field_id= — exactly one."""
    custom_field_id = request.args.get("custom_field_id", "").strip() or None
    query_id = request.args.get("response_id", "").strip()
    if query_id:
        if not is_ascii_digits(query_id) or not fits_id(int(query_id)):
            raise ValidationFailed(f"response_id must be a positive integer up to {MAX_ID}.")
        if response_id is not None:
            raise ValidationFailed("Give response_id once.")
        response_id = int(query_id)
    if (response_id is None) == (custom_field_id is None):
        raise ValidationFailed("Give exactly one of response_id or custom_field_id.")
    owner = current_recruiter()
    if response_id is not None:
        return invites.owned_invite(owner, response_id)
    return invites.invite_by_custom_field(owner, str(custom_field_id))


@bp.get("/ai-interviews/report", defaults={"response_id": None})
@bp.get("/ai-interviews/report/<int:response_id>")
@api_key_required
def report(response_id: int | None):
    """The candidate's report: pending fields until the interview is evaluated, then all, with
    recording links signed afresh (never served from a cache: they expire)."""
    downloadable = request.args.get("is_downloadable", "").strip().lower() in TRUE_WORDS
    data = recruiter_report(chosen_invite(response_id), downloadable=downloadable)
    db.session.commit()  # the status may have settled (Completed or Expired)
    response = jsonify(data)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/ai-interviews/report/<int:response_id>/pdf")
@api_key_required
def report_pdf(response_id: int):
    """The completed report as a PDF download."""
    return pdf_response(invites.owned_invite(current_recruiter(), response_id))


def pdf_response(invite: Invite) -> Response:
    """The invite's report PDF; 400 before the interview is evaluated."""
    found = evaluated_report(invite)
    if found is None:
        raise ValidationFailed("Interview not completed")
    session, report = found
    try:
        data = reports.report_pdf(session, report)
    except PdfRenderError:
        log.exception("Drawing the PDF of invite %s failed", invite.id)
        raise AppError("The PDF could not be generated. Please try again.", 500) from None
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = pdf_filename_headers(invite.id, session.language)
    response.headers["Content-Length"] = str(len(data))
    return response


@bp.get("/ai-interviews/webhook-secret")
@api_key_required
def show_webhook_secret():
    """The webhook secret of the key making this request (plans it creates are signed with it)."""
    key = g.api_key
    return jsonify(
        {
            "webhook_secret": webhook_secret(key),
            "api_key_id": key.id,
            "api_key_prefix": key.prefix,
            "signature_header": "X-Signature",
            "signature_format": "sha256=<hex HMAC-SHA256 of the raw request body>",
        }
    )
