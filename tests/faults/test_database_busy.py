"""A database too busy to take a write — SQLite's single write lock held by another writer past
the busy timeout — answers 503 with Retry-After and a message that says what was kept. The typed
answer stays in the form when it could not be stored; nothing is lost or stored twice; the same
request works once the lock is free."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.ai.providers import OfflineProvider
from app.ai.providers.base import ProviderRequest
from app.errors import BUSY_MESSAGE
from app.extensions import db
from app.models import Question
from tests.conftest import JSON, build_app, prepare_schema
from tests.security.conftest import forget_identity_per_request
from tests.support.router import install_router
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD
from tests.support.users import make_user

TYPED = "My answer about B-tree indexes and range scans, typed before the server got busy."


@pytest.fixture
def busy_app(tmp_path: Path) -> Iterator[Flask]:
    """An app over a SQLite file whose writers give up after 0.2 s of waiting for the lock."""
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    application = build_app(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.2}},
        FOLLOW_UPS_PER_QUESTION=0,
    )
    forget_identity_per_request(application)
    with application.app_context():
        prepare_schema(application)
        yield application
        db.session.remove()


def database_path(app: Flask) -> Path:
    """The SQLite file behind the app."""
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


@contextmanager
def write_lock_held(path: Path) -> Iterator[sqlite3.Connection]:
    """Another writer holds the database's write lock until the block ends."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def signed_in(app: Flask, *, email: str):
    """A user with a planned 3-question interview, and a client signed in as them."""
    user = make_user(email=email)
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": "password123"})
    form = {
        "resume_text": SAMPLE_CV,
        "job_description": SAMPLE_JD,
        "question_count": "3",
    }
    created = client.post("/sessions/new", data=form, headers=JSON).get_json()["data"]
    client.get(f"/session/{created['id']}/interview")  # the first view starts the interview
    return client, created["id"], created["current_question"]["id"]


def stored_answers(session_id: int) -> list[tuple[int, str]]:
    """(question id, answer) for every answered question, read fresh from the database."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Question.id, Question.answer_text).where(
            Question.session_id == session_id, Question.answered_at.is_not(None)
        )
    )
    return [tuple(row) for row in rows]


def test_answer_refused_while_locked_stays_in_the_form_and_goes_in_once_free(busy_app):
    """While another writer holds the lock: the page says the answer is not saved yet and
    shows it in the form (503, Retry-After); JSON gets the 503 envelope. Once free, the same
    post is stored exactly once."""
    client, session_id, question_id = signed_in(busy_app, email="busy@example.com")
    form = {"question_id": str(question_id), "answer": TYPED}
    with write_lock_held(database_path(busy_app)):
        page = client.post(f"/session/{session_id}/answer", data=form)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        html = page.get_data(as_text=True)
        assert "your answer is not saved yet" in html
        assert f">{TYPED}</textarea>" in html
        scripted = client.post(f"/session/{session_id}/answer", data=form, headers=JSON)
        assert scripted.status_code == 503
        assert scripted.headers["Retry-After"] == "5"
        assert scripted.get_json() == {"code": 503, "data": None, "message": BUSY_MESSAGE}
    assert stored_answers(session_id) == []
    again = client.post(f"/session/{session_id}/answer", data=form, headers=JSON)
    assert again.status_code == 200, again.get_data(as_text=True)[:300]
    assert stored_answers(session_id) == [(question_id, TYPED)]


class LockingFollowUps(OfflineProvider):
    """The offline interviewer; while writing a follow-up, another writer takes the lock (as a
    burst of other candidates would) and keeps it until the test lets go."""

    name = "locking"

    def __init__(self, database: Path) -> None:
        self.database = database
        self.holder: sqlite3.Connection | None = None

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Answer as the offline interviewer, taking the write lock first on follow-ups."""
        if task == "follow_up" and self.holder is None:
            self.holder = sqlite3.connect(self.database, timeout=0, isolation_level=None)
            self.holder.execute("BEGIN IMMEDIATE")
        return super().generate(task, request, timeout=timeout)

    def release(self) -> None:
        """The other writer finishes."""
        if self.holder is not None:
            self.holder.execute("ROLLBACK")
            self.holder.close()


def test_answer_saved_before_the_lock_is_kept_and_the_page_says_so(busy_app):
    """The answer is committed, then the follow-up cannot be written: 503 saying the answer
    was saved, an empty form (the answer is not offered for resubmission), and after the lock
    is released the interview carries on with the answer stored once."""
    busy_app.config["FOLLOW_UPS_PER_QUESTION"] = 1
    provider = LockingFollowUps(database_path(busy_app))
    install_router(busy_app, provider)
    client, session_id, question_id = signed_in(busy_app, email="saved@example.com")
    # On topic but partial: the first key point only, so the interviewer presses for the rest.
    partial = f"{db.session.get(Question, question_id).key_points[0]}."
    try:
        page = client.post(
            f"/session/{session_id}/answer", data={"question_id": question_id, "answer": partial}
        )
        assert provider.holder is not None, "the vague answer should have asked for a follow-up"
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert "Your answer was saved" in html
        assert partial not in html.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    finally:
        provider.release()
    assert stored_answers(session_id) == [(question_id, partial)]
    after = client.get(f"/session/{session_id}/interview", headers=JSON).get_json()["data"]
    assert after["current_question"]["id"] != question_id
    assert after["progress"]["answered"] == 1
