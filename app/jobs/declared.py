"""The modules that declare jobs, imported before the queue is built so every job is bound."""

from __future__ import annotations

import importlib

JOB_MODULES = (
    "app.evaluation.jobs",
    "app.interview.recordings",
    "app.recruiter.webhooks",
    "app.sessions.planning",
)


def import_job_modules() -> None:
    """Import each module that declares jobs (idempotent)."""
    for name in JOB_MODULES:
        importlib.import_module(name)
