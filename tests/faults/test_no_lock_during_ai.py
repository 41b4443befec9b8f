"""A request waiting on an AI provider (seconds, in production) must not hold a database write
lock meanwhile: on SQLite — the default deployment — every other writer would queue behind it and
give up with "database is locked" after the busy timeout."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.ai.providers import OfflineProvider
from app.ai.providers.base import ProviderRequest
from tests.conftest import JSON
from tests.faults.test_ai_faults import FULL, VAGUE
from tests.support.router import install_router
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD, make_resume
from tests.support.users import make_user


class LockProbe(OfflineProvider):
    """The offline interviewer, which first checks whether anyone holds the write lock."""

    name = "probe"

    def __init__(self, database: Path) -> None:
        self.database = database
        self.locked: dict[str, bool] = {}

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Try to take the write lock without waiting, as another request would; then answer."""
        other = sqlite3.connect(self.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.locked.setdefault(task, False)
        except sqlite3.OperationalError:
            self.locked[task] = True
        finally:
            other.close()
        return super().generate(task, request, timeout=timeout)


@pytest.fixture
def probe(durable_app: Flask) -> LockProbe:
    """The probe as the app's only AI provider (SQLite only: the lock is SQLite's)."""
    url = durable_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the write-lock probe is for SQLite files")
    durable_app.config["FOLLOW_UPS_PER_QUESTION"] = 1
    provider = LockProbe(Path(url.removeprefix("sqlite:///")))
    install_router(durable_app, provider)
    return provider


@pytest.mark.parametrize("cv", ["new", "saved"])
def test_no_write_lock_is_held_while_the_ai_works(durable_app, probe, cv):
    """Planning (with a new or a saved CV), follow-ups, grading and summarising all run with the
    database free for other requests."""
    user = make_user(email="patient@example.com")
    form = {"job_description": SAMPLE_JD, "question_count": "3"}
    if cv == "saved":
        form["resume_id"] = str(make_resume(user).id)
    else:
        form["resume_text"] = SAMPLE_CV
    client = durable_app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": "password123"})
    created = client.post("/sessions/new", data=form, headers=JSON).get_json()["data"]
    question, text = created["current_question"], VAGUE
    while question is not None:
        result = client.post(
            f"/session/{created['id']}/answer",
            headers=JSON,
            data={"question_id": question["id"], "answer": text},
        )
        question, text = result.get_json()["data"]["next_question"], FULL
    assert client.post(f"/session/{created['id']}/complete", headers=JSON).status_code == 200
    assert set(probe.locked) >= {"plan_questions", "evaluate_answers", "summarize_interview"}
    assert not any(probe.locked.values()), f"write lock held during: {probe.locked}"
