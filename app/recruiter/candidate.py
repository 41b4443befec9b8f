"""The candidate's side of an invite: start the plan's interview, with or without a CV.

Starting is guarded so a double click (or two tabs) cannot plan two interviews: one conditional
UPDATE moves the invite from Pending to Started, and only the request that made it plans the
session, in the same transaction; the others find that session and continue it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app.errors import Conflict
from app.extensions import db
from app.models import InterviewSession, Invite, InviteStatus, User, utcnow
from app.recruiter.invites import (
    candidate_account,
    invite_plan,
    invite_session,
)
from app.sessions.services import NewSession, create_session

STARTING_ELSEWHERE = "This interview is being started in another tab. Reload in a moment."


@dataclass(frozen=True)
class CvInput:
    """What the invite page's form sent: an uploaded file, pasted text, or neither."""

    upload: tuple[bytes, str] | None = None
    text: str = ""


def invite_candidate(invite: Invite) -> User:
    """The invite's candidate account (re-created as invite-only if it was deleted)."""
    user = db.session.get(User, invite.candidate_id) if invite.candidate_id else None
    if user is None:
        user = candidate_account(invite.candidate_email, invite.candidate_name)
        invite.candidate_id = user.id
    return user


def stand_in_cv(invite: Invite, role: str) -> str:
    """The CV text used when the candidate gives none: the interview follows the job alone."""
    return (
        f"{invite.candidate_name} — invited candidate for {role}.\n"
        "No CV was provided for this interview; the questions follow the job description."
    )


# A Started invite with no session whose start is older than this was abandoned mid-start (the
# request died); a younger one is being started by another request right now.
STALE_START = timedelta(minutes=10)


def claim_start(invite: Invite) -> bool:
    """Pending → Started, for exactly one request of several simultaneous ones.

    Deleting the interview puts the invite back to Pending (see `sessions.services`); a start
    that was claimed but never finished can be re-claimed after `STALE_START`."""
    stale = utcnow() - STALE_START
    result = db.session.execute(
        sa.update(Invite)
        .where(
            Invite.id == invite.id,
            Invite.session_id.is_(None),
            sa.or_(
                Invite.status == InviteStatus.PENDING,
                sa.and_(Invite.status == InviteStatus.STARTED, Invite.started_at < stale),
            ),
        )
        .values(status=InviteStatus.STARTED, started_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def release_start(invite: Invite) -> None:
    """Give back a claimed start that produced no interview, so the link works again at once."""
    db.session.execute(
        sa.update(Invite)
        .where(
            Invite.id == invite.id,
            Invite.status == InviteStatus.STARTED,
            Invite.session_id.is_(None),
        )
        .values(status=InviteStatus.PENDING, started_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # exactly once: the link works again at once


def start_interview(invite: Invite, user: User, cv: CvInput) -> InterviewSession:
    """The invite's interview: planned now from the plan (or stored for a planning job when a
    remote planner comes first: the caller queues it after its commit, see `queue_planning`),
    or the one already started; not committed. Raises what session creation raises (a CV that
    cannot be read, AI failure)."""
    existing = invite_session(invite)
    if existing is not None:
        return existing
    if not claim_start(invite):
        db.session.rollback()
        db.session.refresh(invite)
        existing = invite_session(invite)
        if existing is None:
            raise Conflict(STARTING_ELSEWHERE)
        return existing
    plan = invite_plan(invite)
    role = plan.job_role or plan.name
    session, _ = create_session(
        user,
        NewSession(
            job_description=plan.job_description, job_title=role, company_name="",
            question_count=plan.question_count, language=plan.language, force_new=True,
            resume_upload=cv.upload, resume_text=cv.text.strip() or stand_in_cv(invite, role),
            plan=plan,
        ),
        defer=True,  # a remote planner works on a job, queued by the caller after its commit
    )  # fmt: skip
    db.session.refresh(invite)
    invite.session_id = session.id
    return session
