"""Planning off the request path: with a remote planner a new interview is stored at once and a
job writes its questions while the page says "Preparing your questions…"; a failed job keeps
the interview and offers a retry; a slow follow-up is worded offline within FOLLOW_UP_WAIT_S."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.ai import tasks as ai
from app.ai.schemas import PlanRequest
from app.extensions import db
from app.jobs.engine import drain
from app.jobs.runs import release_stalled
from app.models import InterviewSession, JobRun, JobState, Question, utcnow
from app.sessions import planning
from app.sessions.planning import PLAN_JOB, store_once
from tests.conftest import JSON, Worker, build_app, count_rows, prepare_schema
from tests.support.fake_servers import FakeOpenAI, Received, Reply
from tests.support.router import restore_router
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD, make_session
from tests.support.users import make_user

FORM = {
    "resume_text": SAMPLE_CV,
    "job_title": "Backend Engineer",
    "company_name": "Acme",
    "job_description": SAMPLE_JD,
    "question_count": "5",
    "language": "en",
    "force_new": "1",
}
GAPPY_ANSWER = "The B-tree index keeps keys sorted, so I think it helps the query find rows faster."


@pytest.fixture
def remote() -> Iterator[FakeOpenAI]:
    """A fake remote provider (OpenAI-compatible, under /v1) answering every task validly."""
    server = FakeOpenAI("/v1").start()
    yield server
    server.stop()


def remote_config(server: FakeOpenAI, *, fallback: bool = False) -> dict:
    """Config with the fake remote provider first (and the offline one after it if asked)."""
    return {
        "AI_PROVIDERS": "openai_compatible,offline" if fallback else "openai_compatible",
        "OPENAI_COMPAT_BASE_URL": server.url + "/v1",
        "OPENAI_COMPAT_MODEL": "remote-fake",
        "AI_MAX_ATTEMPTS": 1,
    }


@pytest.fixture
def app_overrides(remote: FakeOpenAI) -> dict:
    """The module's apps plan with the remote fake; jobs run in place (JOBS_URL=immediate)."""
    return remote_config(remote)


def sign_in(client) -> None:
    """A candidate signed in on `client`."""
    make_user(email="candidate@example.com")
    assert client.post(
        "/auth/login", data={"email": "candidate@example.com", "password": "password123"}
    ).status_code == 302  # fmt: skip


def slow(server: FakeOpenAI, seconds: float):
    """A reply source: the fake's valid answer after `seconds`."""

    def reply(received: Received) -> Reply:
        return replace(server.default_reply(received), delay=seconds)

    return reply


def test_a_remote_plan_is_a_job_and_json_gets_the_session_when_it_is_done(logged_in):
    """The job ran within PLAN_WAIT_S (in place here): 201 with the Session shape, planned by
    the remote provider, its run recorded as a succeeded plan_session job."""
    response = logged_in.post("/sessions/new", data=FORM, headers=JSON)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["current_question"] is not None and data["progress"]["total"] == 5
    session = db.session.get_one(InterviewSession, data["id"])
    assert session.is_planned and session.provider == "openai_compatible"
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.name == PLAN_JOB)).all()
    assert [run.state for run in runs] == [JobState.SUCCEEDED]


def test_a_failed_plan_keeps_the_interview_and_offers_a_retry(app, logged_in, remote):
    """Every provider fails: JSON gets 500 with the reason, the session and CV stay stored, the
    status says planning_failed, the page offers "Try again", the failed run is recorded; the
    retry plans it once the provider answers again."""
    remote.queue(*[Reply({"error": "down"}, status=500)] * 6)
    response = logged_in.post("/sessions/new", data=FORM, headers=JSON)
    assert response.status_code == 500
    assert "Your interview is kept" in response.get_json()["message"]
    session = db.session.scalars(sa.select(InterviewSession)).one()
    assert not session.is_planned and count_rows(Question) == 0
    status = logged_in.get(f"/session/{session.id}/status", headers=JSON).get_json()["data"]
    assert status["stage"] == "planning_failed" and "could not be planned" in status["error"]
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "Your questions could not be prepared" in page
    assert f'action="/session/{session.id}/plan"' in page
    run = db.session.scalars(sa.select(JobRun).where(JobRun.name == PLAN_JOB)).one()
    assert run.state == JobState.FAILED and "AllProvidersFailed" in (run.error or "")

    remote.replies.clear()
    retried = logged_in.post(f"/session/{session.id}/plan")
    assert retried.status_code == 302 and retried.location.endswith("/interview")
    db.session.expire_all()
    assert db.session.get_one(InterviewSession, session.id).is_planned
    assert count_rows(Question) == 5
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "Question 1 of 5" in page


def test_offline_planning_stays_in_the_request(client):
    """Offline first: planned in the request (milliseconds), no planning job at all."""
    application = build_app(AI_PROVIDERS="offline")
    with application.app_context():
        prepare_schema(application)
        browser = application.test_client()
        sign_in(browser)
        browser.post("/sessions/new", data=FORM, headers=JSON)  # the first loads the bank
        response = browser.post("/sessions/new", data=FORM, headers=JSON)
        assert response.status_code == 201 and response.get_json()["data"]["current_question"]
        assert count_rows(JobRun) == 0  # planned in the request itself: nothing was queued


def test_the_plan_is_stored_once_when_two_runs_overlap(app, user):
    """A run presumed lost that finishes after its replacement stores nothing twice."""
    session = make_session(user)
    session.planned_at = None
    db.session.execute(sa.delete(Question).where(Question.session_id == session.id))
    db.session.commit()
    request = PlanRequest(resume_text=SAMPLE_CV, job_description=SAMPLE_JD, count=3)
    app.config["AI_PROVIDERS"] = "offline"
    restore_router(app)
    with app.test_request_context():
        result = ai.plan_questions(request)
        assert store_once(session.id, result) is True
        assert store_once(session.id, result) is False
    assert count_rows(Question) == 3


@pytest.fixture
def queued_remote(queued_app: Flask, remote: FakeOpenAI) -> Flask:
    """`queued_app` (a real queue, no worker yet) planning with the remote fake."""
    queued_app.config.update(remote_config(remote, fallback=True), PLAN_WAIT_S=0.3)
    restore_router(queued_app)
    return queued_app


def test_planning_is_queued_and_awaited_without_a_request(queued_remote):
    """The planning service takes no cue from a web request: a script (or a recruiter's
    invite) queues a plan and waits up to PLAN_WAIT_S from an app context alone; no worker
    yet, so the plan is still pending and no error is recorded."""
    user = make_user(email="script@example.com")
    session = make_session(user)
    session.planned_at = None
    db.session.execute(sa.delete(Question).where(Question.session_id == session.id))
    db.session.commit()
    planning.queue_planning(session)
    assert planning.plan_wait_s() == 0.3
    assert planning.wait_for_plan(session.id, planning.plan_wait_s()) == (False, None)
    assert db.session.get_one(JobRun, db.session.scalar(sa.select(JobRun.id))).name == PLAN_JOB


def test_without_a_worker_json_gets_202_and_the_browser_a_preparing_page(queued_remote):
    """No worker yet: JSON waits PLAN_WAIT_S and gets 202 {redirect, status_url}; the browser
    is sent to the interview page, which says "Preparing your questions…", polls the status and
    refreshes without JS; once a worker ran the job the same page shows question 1."""
    browser = queued_remote.test_client()
    sign_in(browser)
    response = browser.post("/sessions/new", data=FORM, headers=JSON)
    assert response.status_code == 202, response.get_json()  # gave up waiting: no worker ran
    data = response.get_json()["data"]
    session_id = int(data["redirect"].split("/")[2])
    assert data == {
        "redirect": f"/session/{session_id}/interview",
        "status_url": f"/session/{session_id}/status",
    }
    status = browser.get(data["status_url"], headers=JSON).get_json()["data"]
    assert status == {
        "status": "CREATED", "stage": "planning", "graded": 0, "total": 5, "error": None,
    }  # fmt: skip

    pressed = browser.post("/sessions/new", data=FORM)
    assert pressed.status_code == 302 and pressed.location.endswith("/interview")
    page = browser.get(pressed.location).get_data(as_text=True)
    assert "Preparing your questions…" in page
    assert 'http-equiv="refresh"' in page and "data-status-url" in page
    as_json = browser.get(pressed.location, headers=JSON).get_json()["data"]
    assert as_json["status"] == "CREATED" and as_json["current_question"] is None
    assert browser.get(f"/session/{session_id}").status_code == 200  # detail, nothing planned
    assert browser.get("/sessions").status_code == 200
    answered = browser.post(
        f"/session/{session_id}/answer", data={"question_id": "1", "answer": "x"}, headers=JSON
    )
    assert answered.status_code in (400, 409)  # nothing to answer yet; nothing is completed
    assert db.session.get_one(InterviewSession, session_id).status == "CREATED"

    worker = Worker(queued_remote)
    worker.start()
    try:
        drain(queued_remote, timeout=30)
    finally:
        worker.stop()
    # The test's app context (and its database session) outlives each request here, unlike in a
    # server: forget what this session read before the worker planned.
    db.session.expire_all()
    assert "Question 1 of 5" in browser.get(data["redirect"]).get_data(as_text=True)
    status = browser.get(data["status_url"], headers=JSON).get_json()["data"]
    assert status["stage"] == "answering"


def test_a_slow_follow_up_is_worded_offline_within_the_wait(app, logged_in, user, remote):
    """The remote provider takes 3 s to word a follow-up; FOLLOW_UP_WAIT_S=0.3: the answer's
    request ends with the offline interviewer's follow-up instead of waiting for it."""
    warm = make_session(user)  # the offline grader's first use builds its vocabulary
    logged_in.post(
        f"/session/{warm.id}/answer",
        data={"question_id": str(warm.main_questions[0].id), "answer": GAPPY_ANSWER},
        headers=JSON,
    )
    app.config.update(FOLLOW_UP_WAIT_S=0.3)
    session = make_session(user)
    question = session.main_questions[0]
    remote.queue(slow(remote, 3.0))
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": str(question.id), "answer": GAPPY_ANSWER},
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    follow_up = response.get_json()["data"]["next_question"]
    assert follow_up["is_follow_up"] is True
    # Not the fake's wording: the request stopped waiting before the slow reply came.
    assert follow_up["text"] != "What was the measurable result of that change?"


def test_a_prompt_follow_up_is_worded_by_the_remote_provider(app, logged_in, user):
    """Within FOLLOW_UP_WAIT_S the remote provider's wording is used."""
    app.config.update(FOLLOW_UP_WAIT_S=5.0)
    session = make_session(user)
    question = session.main_questions[0]
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": str(question.id), "answer": GAPPY_ANSWER},
        headers=JSON,
    )
    follow_up = response.get_json()["data"]["next_question"]
    assert follow_up["text"] == "What was the measurable result of that change?"


def test_an_admin_lists_failed_jobs_with_their_error_and_retries_them(logged_in, runner, remote):
    """`flask jobs failed` shows the failed planning run with its error and id; `flask jobs
    retry ID` runs it again, which plans the kept interview; a run that is not failed is
    refused."""
    remote.queue(*[Reply({"error": "down"}, status=500)] * 6)
    assert logged_in.post("/sessions/new", data=FORM, headers=JSON).status_code == 500
    run = db.session.scalars(sa.select(JobRun)).one()
    listed = runner.invoke(args=["jobs", "failed"])
    assert listed.exit_code == 0
    assert run.id in listed.output and "plan_session" in listed.output
    assert "AllProvidersFailed" in listed.output

    remote.replies.clear()
    retried = runner.invoke(args=["jobs", "retry", run.id])
    assert retried.exit_code == 0, retried.output
    db.session.expire_all()
    assert db.session.get_one(JobRun, run.id).state == JobState.SUCCEEDED
    assert db.session.scalars(sa.select(InterviewSession)).one().is_planned
    assert "No failed jobs." in runner.invoke(args=["jobs", "failed"]).output
    again = runner.invoke(args=["jobs", "retry", run.id])
    assert again.exit_code == 1 and "not failed" in again.output


def test_a_planning_job_lost_too_often_stops_the_preparing_page(app, logged_in, user):
    """A plan_session run whose workers kept dying is given up after JOBS_MAX_RUNS runs: the
    session shows planning_failed with a retry instead of "preparing" forever."""
    session = make_session(user)
    session.planned_at = None
    db.session.execute(sa.delete(Question).where(Question.session_id == session.id))
    db.session.add(
        JobRun(
            id="lost-plan", name=PLAN_JOB, args=[session.id], state=JobState.RUNNING,
            attempts=app.config["JOBS_MAX_RUNS"], lease_until=utcnow() - timedelta(seconds=1),
        )
    )  # fmt: skip
    db.session.commit()
    (released,) = release_stalled()
    assert released.state == JobState.FAILED and "gave up" in (released.error or "")
    status = logged_in.get(f"/session/{session.id}/status", headers=JSON).get_json()["data"]
    assert status["stage"] == "planning_failed" and "could not be planned" in status["error"]
