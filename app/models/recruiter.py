"""Recruiters' interview plans, the invites they send, and webhook deliveries."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.language import LANGUAGES
from app.models.base import one_of, utcnow


class InviteStatus(enum.StrEnum):
    """Pending → Started (the candidate pressed start) → Completed (evaluated); Expired when its
    link's time ran out first. The values are seed 003's `invite_status` strings."""

    PENDING = "Pending"
    STARTED = "Started"
    COMPLETED = "Completed"
    EXPIRED = "Expired"


class InterviewPlan(db.Model):  # type: ignore[name-defined]
    """A role a recruiter interviews for: job description, skills, length, language."""

    __tablename__ = "interview_plans"
    __table_args__ = (one_of("language", LANGUAGES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The API key that created the plan: its secret signs the plan's webhooks.
    api_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("api_tokens.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    job_role: Mapped[str] = mapped_column(sa.String(200), default="")
    job_description: Mapped[str] = mapped_column(sa.Text)
    must_haves: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    nice_to_haves: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    question_count: Mapped[int] = mapped_column(default=8)
    language: Mapped[str] = mapped_column(sa.String(5), default="en")
    notification_url: Mapped[str | None] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invites: Mapped[list[Invite]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True
    )


class Invite(db.Model):  # type: ignore[name-defined]
    """A candidate invited to a plan; its id is the API's response_id."""

    __tablename__ = "invites"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "custom_field_id"),
        one_of("status", InviteStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_plans.id", ondelete="CASCADE"), index=True
    )
    # The plan's owner, copied so the database can enforce one custom_field_id per recruiter.
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    candidate_name: Mapped[str] = mapped_column(sa.String(200))
    candidate_email: Mapped[str] = mapped_column(sa.String(254))
    candidate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    custom_field_id: Mapped[str | None] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=InviteStatus.PENDING)
    expires_at: Mapped[datetime | None]
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interview_sessions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    plan: Mapped[InterviewPlan] = relationship(back_populates="invites")


class WebhookDelivery(db.Model):  # type: ignore[name-defined]
    """One attempt to POST a completed report to a plan's notification_url."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invites.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    attempt: Mapped[int] = mapped_column(default=1)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    delivered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
