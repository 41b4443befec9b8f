"""Completing returns at once and the evaluation runs on a worker (a real Huey consumer over a
SQLite queue): JSON clients wait up to COMPLETE_WAIT_S, browsers watch the progress, a failed
job is shown with a retry."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.jobs.engine import drain
from app.models import Feedback, InterviewSession
from tests.conftest import JSON, count_rows
from tests.feedback.helpers import ANSWERS, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user


@pytest.fixture
def signed_in(queued_app: Flask) -> tuple[FlaskClient, object]:
    """A candidate signed in to the queued app: (client, user)."""
    user = make_user(email="candidate@example.com")
    client = queued_app.test_client()
    response = client.post(
        "/auth/login", data={"email": "candidate@example.com", "password": "password123"}
    )
    assert response.status_code == 302
    return client, user


def status_of(client: FlaskClient, session_id: int) -> dict:
    """GET /session/<id>/status → data."""
    response = client.get(f"/session/{session_id}/status")
    assert response.status_code == 200
    return response.get_json()["data"]


def answer_through_the_api(client: FlaskClient, session_id: int) -> None:
    """Answer every question as a script would, queueing a grading job after each."""
    for text in ANSWERS:
        data = client.get(f"/session/{session_id}/interview", headers=JSON).get_json()["data"]
        question = data["current_question"]
        reply = client.post(
            f"/session/{session_id}/answer",
            headers=JSON,
            data={"question_id": question["id"], "answer": text},
        )
        assert reply.status_code == 200


def test_json_complete_gets_the_seed_shape_when_done_in_time(queued_app, worker, signed_in):
    """Answers graded by jobs while answering; complete waits for the summary and answers
    {redirect, feedback_id}; every answer was graded exactly once."""
    client, user = signed_in
    fake = FakeModel()
    install_router(queued_app, fake)
    queued_app.config["COMPLETE_WAIT_S"] = 15
    session_id = make_session(user).id
    answer_through_the_api(client, session_id)
    response = complete(client, session_id)
    assert response.status_code == 200, response.get_json()
    feedback = db.session.scalar(db.select(Feedback))
    assert response.get_json()["data"] == {
        "redirect": f"/session/{session_id}/feedback",
        "feedback_id": feedback.id,
    }
    assert sum(len(r.items) for r in fake.sent("evaluate_answers")) == 3
    assert fake.calls["summarize_interview"] == 1
    assert status_of(client, session_id) == {
        "status": "EVALUATED", "stage": "done", "graded": 3, "total": 3, "error": None,
    }  # fmt: skip


def test_a_slow_evaluation_answers_202_and_the_status_follows_it(queued_app, worker, signed_in):
    """With a model slower than COMPLETE_WAIT_S, complete answers 202 with the status URL at
    once; the status goes through grading and summarising to done."""
    client, user = signed_in
    install_router(queued_app, FakeModel(delay=0.5))
    queued_app.config["COMPLETE_WAIT_S"] = 0.1
    session_id = make_session(user, answers=list(ANSWERS)).id
    response = complete(client, session_id)  # 202 while the job still grades (checked below)
    assert response.status_code == 202
    assert response.get_json()["data"] == {
        "redirect": f"/session/{session_id}/feedback",
        "status_url": f"/session/{session_id}/status",
    }
    stages = []
    while (data := status_of(client, session_id))["stage"] != "done":
        assert data["stage"] in ("grading", "summarising") and data["total"] == 3
        stages.append(data["stage"])
        time.sleep(0.05)
    assert stages[0] == "grading" and stages[-1] == "summarising"
    assert client.get(f"/session/{session_id}/feedback", headers=JSON).status_code == 200


def test_a_browser_lands_on_a_page_that_shows_progress_then_the_feedback(
    queued_app, worker, signed_in
):
    """The browser is redirected at once; the feedback page says how far grading is, polls the
    status (and reloads without JavaScript); once done it shows the feedback."""
    client, user = signed_in
    install_router(queued_app, FakeModel(delay=0.5))
    session_id = make_session(user, answers=list(ANSWERS)).id
    response = complete(client, session_id, as_json=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/session/{session_id}/feedback"
    page = client.get(f"/session/{session_id}/feedback").get_data(as_text=True)
    assert "0 of 3 answers graded…" in page or "answers graded, writing your summary…" in page
    assert f'data-status-url="/session/{session_id}/status"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    drain(queued_app, timeout=20)
    page = client.get(f"/session/{session_id}/feedback").get_data(as_text=True)
    assert "answers graded" not in page and "Strengths" in page


def test_a_failed_evaluation_job_is_shown_with_a_retry(queued_app, worker, signed_in):
    """Every provider down: the job fails, the JSON client gets 500 "AI service error", the
    status says failed with the error, the page offers a retry that then succeeds."""
    client, user = signed_in
    fake = FakeModel(down=True)
    install_router(queued_app, fake)
    queued_app.config["COMPLETE_WAIT_S"] = 15
    session_id = make_session(user, answers=list(ANSWERS)).id
    response = complete(client, session_id)
    assert response.status_code == 500
    assert response.get_json()["message"] == "AI service error"
    assert status_of(client, session_id)["stage"] == "failed"
    assert status_of(client, session_id)["error"] == "AI service error"
    page = client.get(f"/session/{session_id}/feedback").get_data(as_text=True)
    assert f'action="/session/{session_id}/complete"' in page and "Try the evaluation again" in page
    fake.down = False
    assert complete(client, session_id).status_code == 200
    assert count_rows(Feedback) == 1
    assert db.session.get_one(InterviewSession, session_id).evaluation_error is None


def test_calls_made_by_workers_are_attributed_to_their_interview(queued_app, worker, signed_in):
    """A worker has no request naming the session: its grading and summary calls still land in
    ai_calls under the interview, so `flask ai usage` and the report's receipt count them."""
    import sqlalchemy as sa

    from app.ai.usage import record_call
    from app.models import AICall

    client, user = signed_in
    router = install_router(queued_app, FakeModel())
    router.recorder = record_call
    queued_app.config["COMPLETE_WAIT_S"] = 15
    session_id = make_session(user).id
    answer_through_the_api(client, session_id)
    assert complete(client, session_id).status_code == 200
    db.session.expire_all()
    recorded = list(db.session.scalars(sa.select(AICall)))
    assert {c.task for c in recorded} >= {"evaluate_answers", "summarize_interview"}
    assert {c.session_id for c in recorded} == {session_id}
