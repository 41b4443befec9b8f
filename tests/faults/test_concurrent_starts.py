"""Two starts of one invite at once (a double click, two tabs) while the AI takes its time to plan:
exactly one interview is created, and both browsers land on it."""

from __future__ import annotations

import threading
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask

from app.ai.providers import OfflineProvider
from app.ai.providers.base import ProviderRequest
from app.ai.router import RouterSettings
from app.extensions import db
from app.models import InterviewSession, Invite
from tests.security.conftest import invite_through_api
from tests.support.router import install_router
from tests.support.users import issue_token, make_user


class SlowPlanner(OfflineProvider):
    """The offline interviewer, taking a second to plan (as a remote model would, or longer)."""

    name = "slow-planner"

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Wait, then answer."""
        if task == "plan_questions":
            time.sleep(1.0)
        return super().generate(task, request, timeout=timeout)


def invite_link(app: Flask) -> tuple[str, int]:
    """A recruiter's plan and one invite; returns the invite token and its id."""
    key = issue_token(make_user("hr@example.com", fast_hash=True), "ats", kind="recruiter")
    invite = invite_through_api(app.test_client(), key, "Casey", "casey@example.com")
    return invite["invite_link"].rsplit("/", 1)[-1], invite["response_id"]


def test_two_simultaneous_starts_make_one_interview(durable_app):
    """Both requests end on the same session; the invite points at it; no second plan is stored."""
    install_router(durable_app, SlowPlanner(), settings=RouterSettings())
    token, invite_id = invite_link(durable_app)
    db.session.remove()  # the threads' requests must see committed rows only
    outcomes: list[tuple[int, str]] = []

    def start() -> None:
        response = durable_app.test_client().post(f"/invite/{token}/start", data={})
        outcomes.append((response.status_code, response.headers.get("Location", "")))

    starters = [threading.Thread(target=start) for _ in range(2)]
    for thread in starters:
        thread.start()
        time.sleep(0.2)  # the second click lands while the first is still planning
    for thread in starters:
        thread.join(timeout=30)
    sessions = db.session.scalars(sa.select(InterviewSession.id)).all()
    assert len(sessions) == 1, f"one invite, {len(sessions)} interviews: {outcomes}"
    assert db.session.get(Invite, invite_id).session_id == sessions[0]
    assert all(status in (302, 409) for status, _ in outcomes), outcomes
