"""Invites: a candidate asked to take a plan's interview through a link, without a password.

The link carries a random token; only its SHA-256 is stored, so the database alone cannot open
an invite. Status moves Pending → Started (the candidate pressed start) → Completed (the interview
was evaluated). An invite not completed by `expires_at` reads Expired and its link stops working.

The candidate signs in by holding the link: their account is invite-only (no password) and is
created with the invite so the API can report a `candidate_id` from the start. An email that
already belongs to an account with a password is never signed in by a link — its owner signs in
as usual first — so an invite cannot be used to open someone's existing account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError

from app.auth.services import find_user, normalise_email
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import InterviewPlan, InterviewSession, Invite, InviteStatus, User, utcnow
from app.models.user import hash_token
from app.recruiter import payload
from app.recruiter.services import get_plan

INVITE_NOT_FOUND = "Response not found"
LINK_NOT_VALID = "This invite link is not valid. Check that you copied all of it."


@dataclass(frozen=True)
class NewInvite:
    """A created invite with the secret token of its link (shown once, never stored)."""

    invite: Invite
    token: str


def candidate_email(body: dict[str, Any]) -> str:
    """The candidate's email, validated and lower-cased."""
    raw = payload.text(body, "candidate_email", max_len=254) or ""
    try:
        validate_email(raw, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed("candidate_email must be a valid email address.") from None
    return normalise_email(raw)


def candidate_account(email: str, name: str) -> User:
    """The account the candidate will use: an existing one, else a new invite-only account."""
    user = find_user(email)
    if user is None:
        user = User(email=email, name=name[:120], password_hash=None)
        db.session.add(user)
        db.session.flush()
    return user


def check_custom_field_unused(owner: User, custom_field_id: str | None) -> None:
    """A recruiter's custom_field_id identifies one invite (the database enforces it too)."""
    if custom_field_id is None:
        return
    clash = db.session.scalar(
        sa.select(Invite.id).where(
            Invite.owner_id == owner.id, Invite.custom_field_id == custom_field_id
        )
    )
    if clash is not None:
        raise Conflict(f"custom_field_id {custom_field_id!r} is already used by another invite.")


def create_invite(owner: User, body: dict[str, Any]) -> NewInvite:
    """Invite a candidate to one of the recruiter's plans."""
    plan = get_plan(owner, payload.identifier(body, "ai_interview_id"))
    name = payload.text(body, "candidate_name", max_len=200) or ""
    email = candidate_email(body)
    custom_field_id = payload.text(body, "custom_field_id", max_len=200, required=False)
    expires_at = payload.expiry(body, "expiry_date")
    check_custom_field_unused(owner, custom_field_id)
    token = secrets.token_urlsafe(32)
    invite = Invite(
        plan_id=plan.id, owner_id=owner.id, candidate_name=name, candidate_email=email,
        candidate_id=candidate_account(email, name).id, custom_field_id=custom_field_id,
        token_hash=hash_token(token), status=InviteStatus.PENDING, expires_at=expires_at,
    )  # fmt: skip
    db.session.add(invite)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent request took the same custom_field_id
        db.session.rollback()
        raise Conflict(
            f"custom_field_id {custom_field_id!r} is already used by another invite."
        ) from None
    return NewInvite(invite, token)


def effective_status(invite: Invite) -> str:
    """The status to show: Expired once past expires_at unless the interview was completed."""
    if (
        invite.status in (InviteStatus.PENDING, InviteStatus.STARTED)
        and invite.expires_at is not None
    ):
        if utcnow() > invite.expires_at:
            return InviteStatus.EXPIRED
    return invite.status


def refresh_status(invite: Invite) -> str:
    """Store Expired once the invite has run out (the caller commits), and return the status."""
    status = effective_status(invite)
    if status != invite.status:
        invite.status = status
    return status


def owned_invite(owner: User, response_id: int) -> Invite:
    """One of the recruiter's invites by response id; another recruiter's is not found."""
    invite = db.session.get(Invite, response_id)
    if invite is None or invite.owner_id != owner.id:
        raise NotFound(INVITE_NOT_FOUND)
    return invite


def invite_by_custom_field(owner: User, custom_field_id: str) -> Invite:
    """The recruiter's invite with this custom_field_id."""
    invite = db.session.scalar(
        sa.select(Invite).where(
            Invite.owner_id == owner.id, Invite.custom_field_id == custom_field_id
        )
    )
    if invite is None:
        raise NotFound(INVITE_NOT_FOUND)
    return invite


def invite_by_token(token: str) -> Invite:
    """The invite a link's token opens."""
    invite = db.session.scalar(sa.select(Invite).where(Invite.token_hash == hash_token(token)))
    if invite is None:
        raise NotFound(LINK_NOT_VALID)
    return invite


def invite_session(invite: Invite) -> InterviewSession | None:
    """The interview the candidate started from this invite, if any."""
    return db.session.get(InterviewSession, invite.session_id) if invite.session_id else None


def invite_plan(invite: Invite) -> InterviewPlan:
    """The plan the invite is for."""
    return db.session.get_one(InterviewPlan, invite.plan_id)
