"""Claiming an invite-only account: its candidate sets a password from their invite link.

An invite makes a password-less account for its email, which then blocks registering that email
(409). The candidate may give that account a password from their invite page. Holding a link
proves control of the invite, not of the mailbox — the recruiter who made the link holds it too —
so a link claims the account only when everything in it came through that same recruiter's
invites: the claimant then gains nothing the recruiter could not already read through its API.
An account also invited by another recruiter stays invite-only (each link still opens its own
interview), and a link never replaces a password that is already set.
"""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.errors import Conflict
from app.extensions import db
from app.models import InterviewPlan, InterviewSession, Invite, User
from app.recruiter.candidate import invite_candidate

ALREADY_CLAIMED = "This account already has a password. Sign in with it instead."
SHARED_ACCOUNT = (
    "This email was invited by more than one organisation, so a password cannot be set from "
    "one invite link. Each of your invite links still opens its own interview."
)


def foreign_content(invite: Invite, user: User) -> bool:
    """Whether the account holds anything that did not come through the invite's recruiter: an
    invite from someone else, or an interview not taken on one of this recruiter's plans."""
    other_invite = db.session.scalar(
        sa.select(Invite.id)
        .where(Invite.candidate_id == user.id, Invite.owner_id != invite.owner_id)
        .limit(1)
    )
    other_session = db.session.scalar(
        sa.select(InterviewSession.id)
        .outerjoin(InterviewPlan, InterviewPlan.id == InterviewSession.plan_id)
        .where(
            InterviewSession.user_id == user.id,
            sa.or_(InterviewPlan.id.is_(None), InterviewPlan.owner_id != invite.owner_id),
        )
        .limit(1)
    )
    return other_invite is not None or other_session is not None


def claim_refusal(invite: Invite, user: User) -> str | None:
    """Why the invite's link may not set this account's password, or None when it may."""
    if user.password_hash:
        return ALREADY_CLAIMED
    if foreign_content(invite, user):
        return SHARED_ACCOUNT
    return None


def claimable(invite: Invite) -> bool:
    """Whether the invite page offers to set a password."""
    user = db.session.get(User, invite.candidate_id) if invite.candidate_id else None
    return user is not None and claim_refusal(invite, user) is None


def claim_account(invite: Invite, password: str) -> User:
    """Give the invite's password-less account this password (not committed), ending every
    sign-in made through links. Exactly one of two simultaneous claims succeeds: the update only
    applies while the account still has no password."""
    user = invite_candidate(invite)
    refusal = claim_refusal(invite, user)
    if refusal is not None:
        raise Conflict(refusal)
    result = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.password_hash.is_(None))
        .values(
            password_hash=generate_password_hash(password),
            session_version=User.session_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(ALREADY_CLAIMED)
    db.session.refresh(user)
    return user
