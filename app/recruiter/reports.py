"""The candidate report as the recruiter API returns it (SPEC §9, seed 003).

Before the interview is evaluated only the invite's fields are returned. After, the completed
report adds the numbers the evaluation stored — nothing is recomputed here, so the API, the
candidate's own report and the PDF cannot disagree:

* `score` is the report's overall score (int 0–100);
* `recommendation` is the stored one, one of RECOMMENDATIONS, decided from the overall score
  alone by `app.evaluation.scoring.recommendation` (≥ 85 "Strongly recommended", ≥ 70
  "Recommended", ≥ 55 "Consider", else "Not recommended");
* `integrity_score` (float 0–10) comes from `app.evaluation.integrity` (formula in its
  docstring); it is review-only and never moves the score or recommendation. The flags behind
  it are listed on the signed HTML report (`report_link`), keeping the JSON to seed 003's fields;
* `conversation` is the transcript derived from the questions table: each asked question
  (role "assistant") followed by its answer (role "user", mode "code" for code answers), with
  follow-ups after the answer they follow up, timestamps in Unix milliseconds;
* `interview_recording` holds signed, expiring links to the spoken answers kept under
  AUDIO_RETENTION_DAYS (see `recording_links`), signed afresh on every read; the webhook's copy
  adds `interview_recording_expires_at` (see `webhook_report`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, url_for

from app.evaluation.scoring import clamp_score, recommendation
from app.interview.recordings import answered_recordings
from app.models import (
    InterviewSession,
    Invite,
    InviteStatus,
    Question,
    Report,
    SessionStatus,
    utcnow,
)
from app.recruiter.invites import (
    invite_plan,
    invite_session,
    refresh_status,
)
from app.recruiter.links import absolute_url
from app.recruiter.signing import sign_recording_link, sign_report_link
from app.reports.services import report_json, stored_report
from app.responses import iso

RECOMMENDATIONS = ("Strongly recommended", "Recommended", "Consider", "Not recommended")


def epoch_ms(moment: datetime) -> int:
    """A stored naive-UTC datetime as Unix milliseconds."""
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def conversation_turns(session: InterviewSession) -> list[tuple[Question, dict[str, Any]]]:
    """The interview as messages, in the order they happened, each with its question."""
    turns: list[tuple[Question, dict[str, Any]]] = []
    for question in session.questions:  # ordered by position, then id: follow-ups after mains
        asked = question.asked_at or question.answered_at
        if asked is None:
            continue  # never shown: the interview finished before it
        turns.append(
            (question, {"content": question.text, "mode": "default", "role": "assistant",
                        "timestamp": epoch_ms(asked)})
        )  # fmt: skip
        if question.answered_at is not None:
            turns.append(
                (question, {"content": question.answer_text or "",
                            "mode": "code" if question.answer_mode == "code" else "default",
                            "role": "user", "timestamp": epoch_ms(question.answered_at)})
            )  # fmt: skip
    return turns


def conversation(session: InterviewSession) -> list[dict[str, Any]]:
    """The interview as messages, in the order they happened."""
    return [message for _, message in conversation_turns(session)]


def evaluated_report(invite: Invite) -> tuple[InterviewSession, Report] | None:
    """The invite's evaluated session and its report, once both exist."""
    session = invite_session(invite)
    if session is None or session.status != SessionStatus.EVALUATED:
        return None
    report = stored_report(session.id)
    return (session, report) if report is not None else None


def settle_status(invite: Invite) -> str:
    """The invite's status, stored: Completed once its report exists, Expired once run out."""
    if invite.status != InviteStatus.COMPLETED and evaluated_report(invite) is not None:
        invite.status = InviteStatus.COMPLETED
        invite.completed_at = invite.completed_at or utcnow()
    return refresh_status(invite)


def pending_json(invite: Invite, status: str) -> dict[str, Any]:
    """The fields known before the interview is evaluated."""
    data: dict[str, Any] = {
        "ai_interview_id": invite.plan_id,
        "ai_interview_name": invite_plan(invite).name,
        "candidate_email": invite.candidate_email,
        "candidate_id": invite.candidate_id,
        "candidate_name": invite.candidate_name,
        "invite_status": status,
        "response_id": invite.id,
    }
    if invite.custom_field_id is not None:
        data["custom_field_id"] = invite.custom_field_id
    return data


def skill_wise_scores(session: InterviewSession, report: Report) -> dict[str, list[dict[str, Any]]]:
    """The report's must-have and nice-to-have skill scores, as integers."""
    groups = report_json(session, report)["skill_scores"]
    return {
        group: [
            {"score": clamp_score(row.get("score")), "skill_name": str(row.get("skill_name"))}
            for row in groups.get(group, [])
            if row.get("skill_name")
        ]
        for group in ("must_haves", "nice_to_haves")
    }


def completed_json(invite: Invite, session: InterviewSession, report: Report) -> dict[str, Any]:
    """Every field of the completed report."""
    score = clamp_score(report.overall_score)
    stored = report.recommendation
    return {
        **pending_json(invite, InviteStatus.COMPLETED),
        "candidate_summary": report.candidate_summary or report.overall_feedback,
        "completed_date": iso(session.evaluated_at or report.created_at),
        "integrity_score": round(min(10.0, max(0.0, float(report.integrity_score))), 1),
        "pdf_link": absolute_url("recruiter.report_pdf", response_id=invite.id),
        "recommendation": stored if stored in RECOMMENDATIONS else recommendation(score),
        "score": score,
        "report_link": absolute_url(
            "recruiter.links.shared_report", token=sign_report_link(invite.id)
        ),
        "interview_recording": recording_links(invite, session),
        "skill_wise_scores": skill_wise_scores(session, report),
        "conversation": conversation(session),
    }


def recording_links(invite: Invite, session: InterviewSession) -> dict[str, str]:
    """Seed 003's `interview_recording`: for each kept recording of an answered question, the
    moment it was made (Unix ms, like `conversation`'s timestamps: it falls between the
    question's and the answer's) → a signed link that plays it without a key for
    RECORDING_LINK_TTL_S. Empty for typed interviews and for recordings deleted or expired."""
    links: dict[str, str] = {}
    for recording, _question in answered_recordings(session):
        moment = epoch_ms(recording.created_at)
        while str(moment) in links:  # two recordings in one millisecond keep both
            moment += 1
        token = sign_recording_link(invite.id, recording.id)
        links[str(moment)] = absolute_url("recruiter.links.recording", token=token)
    return links


def answer_players(invite: Invite, session: InterviewSession) -> dict[int, list[str]]:
    """For the shared HTML report: question id → signed links (relative, valid for
    RECORDING_LINK_TTL_S from this render) to that answer's kept recordings, oldest first."""
    players: dict[int, list[str]] = {}
    for recording, question in answered_recordings(session):
        token = sign_recording_link(invite.id, recording.id)
        players.setdefault(question.id, []).append(
            url_for("recruiter.links.recording", token=token)
        )
    return players


def links_expire_at() -> str:
    """When recording links signed now stop working (ISO 8601 UTC, whole seconds, as the
    signature's timestamp counts them)."""
    ttl = int(current_app.config["RECORDING_LINK_TTL_S"])
    return str(iso(utcnow().replace(microsecond=0) + timedelta(seconds=ttl)))


def webhook_report(invite: Invite) -> dict[str, Any]:
    """The report a webhook carries: the API's report and, when it links recordings, when those
    links expire (`interview_recording_expires_at`), because the receiver may read it hours
    later; `GET /ai-interviews/report/<response_id>` hands out fresh ones at any time."""
    data = recruiter_report(invite)
    if data.get("interview_recording"):
        data["interview_recording_expires_at"] = links_expire_at()
    return data


def download_links(invite: Invite) -> dict[str, str]:
    """`is_downloadable=true`: links that download without an API key (signed, expiring)."""
    return {
        "pdf_download_link": absolute_url(
            "recruiter.links.shared_report_pdf", token=sign_report_link(invite.id)
        )
    }


def recruiter_report(invite: Invite, *, downloadable: bool = False) -> dict[str, Any]:
    """The report of one invite: pending or completed shape (settles the stored status)."""
    status = settle_status(invite)
    found = evaluated_report(invite)
    if found is None:
        return pending_json(invite, status)
    data = completed_json(invite, *found)
    if downloadable:
        data.update(download_links(invite))
    return data
