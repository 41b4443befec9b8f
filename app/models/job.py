"""The record of background jobs: what ran, where it stands, and why it failed.

The queue itself is Huey's (SQLite or Redis); this table is the operator's view of it, written
by the app as jobs are queued and by the workers as they start, finish, fail or are retried, so
`flask jobs status` can show running and failed jobs with their errors, and a job whose worker
died is noticed once its lease runs out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class JobState:
    """The states a job run goes through."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"
    FAILED = "failed"
    LOST = "lost"  # its worker stopped (killed, crashed) before it finished


class JobRun(db.Model):  # type: ignore[name-defined]
    """One queued job (its Huey task id), across its attempts."""

    __tablename__ = "job_runs"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), index=True)
    args: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    state: Mapped[str] = mapped_column(sa.String(20), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # A running job not finished by then is taken for lost and run again (or failed).
    lease_until: Mapped[datetime | None]
