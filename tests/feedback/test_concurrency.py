"""Exactly once under concurrency: 20 simultaneous completes against a real threaded server.

The server is werkzeug's threaded `make_server` on 127.0.0.1 over a file-backed SQLite database
(or the PostgreSQL database DATABASE_URL points at, as in CI), so every request has its own
thread, app context and database connection, as under gunicorn's gthread workers.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from werkzeug.serving import make_server

from app import config
from app.extensions import db
from app.jobs.engine import get_jobs
from app.models import Feedback, InterviewSession, Report
from tests.conftest import Worker, build_app, count_rows, empty_tables, prepare_schema
from tests.feedback.helpers import ANSWERS
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user

CLIENTS = 20


@pytest.fixture
def live(tmp_path) -> Iterator[tuple[str, object]]:
    """(base URL, app) of a threaded server on a database every thread shares."""
    overrides = {}
    if config.TestingConfig().SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    application = build_app(**overrides)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    with application.app_context():
        prepare_schema(application)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", application
        finally:
            server.shutdown()
            server.server_close()
            if not application.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
                empty_tables()


def signed_in_cookies(base: str) -> dict[str, str]:
    """Sign in through the real form and return the session cookie."""
    with requests.Session() as browser:
        response = browser.post(
            f"{base}/auth/login",
            data={"email": "candidate@example.com", "password": "password123"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302
        return browser.cookies.get_dict()


def complete_at_once(
    base: str, application, model: FakeModel
) -> tuple[int, list[tuple[int, dict]]]:
    """A candidate's answered interview, completed by CLIENTS requests released together with
    `model` grading: (session id, each request's status and JSON body)."""
    install_router(application, model)
    user = make_user(email="candidate@example.com")
    session_id = make_session(user, answers=list(ANSWERS)).id
    db.session.remove()
    cookies = signed_in_cookies(base)
    start = threading.Barrier(CLIENTS)

    def post_complete(_: int) -> tuple[int, dict]:
        start.wait()
        response = requests.post(
            f"{base}/session/{session_id}/complete",
            headers={"Accept": "application/json"},
            cookies=cookies,
            timeout=30,
        )
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return session_id, list(pool.map(post_complete, range(CLIENTS)))


def test_twenty_simultaneous_completes_evaluate_once(live):
    """One request evaluates (one AI grading call, one feedback and report row); the other 19 get
    the already-generated 400."""
    base, application = live
    model = FakeModel(delay=0.3)  # slow enough that every request arrives while it grades
    session_id, results = complete_at_once(base, application, model)
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 400: CLIENTS - 1}, results
    losers = {body["message"] for status, body in results if status == 400}
    assert losers == {"Feedback has already been generated for this session."}
    assert model.calls == {"evaluate_answers": 1, "summarize_interview": 1}
    assert count_rows(Feedback) == 1 and count_rows(Report) == 1
    assert db.session.get_one(InterviewSession, session_id).status == "EVALUATED"


@pytest.fixture
def live_queue(tmp_path) -> Iterator[tuple[str, object]]:
    """(base URL, app) of a threaded server whose evaluations run on a worker: a Huey consumer
    over a SQLite queue (or TEST_JOBS_REDIS_URL's Redis)."""
    overrides: dict = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}"}
    if os.environ.get("TEST_JOBS_REDIS_URL"):
        overrides["JOBS_URL"] = os.environ["TEST_JOBS_REDIS_URL"]
    if config.TestingConfig().SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    application = build_app(**overrides, COMPLETE_WAIT_S=20)
    get_jobs(application).huey.flush()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    worker = Worker(application, workers=4)
    with application.app_context():
        prepare_schema(application)
        thread.start()
        worker.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", application
        finally:
            worker.stop()
            server.shutdown()
            server.server_close()
            get_jobs(application).huey.flush()
            if not application.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
                empty_tables()


def test_twenty_simultaneous_completes_queue_one_evaluation(live_queue):
    """With the evaluation on a worker: one request queues it and gets the feedback id, the
    other 19 get the already-generated 400; one grading call, one summary, one feedback row."""
    base, application = live_queue
    model = FakeModel(delay=0.3)
    session_id, results = complete_at_once(base, application, model)
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 400: CLIENTS - 1}, results
    assert model.calls == {"evaluate_answers": 1, "summarize_interview": 1}
    assert count_rows(Feedback) == 1 and count_rows(Report) == 1
    assert db.session.get_one(InterviewSession, session_id).status == "EVALUATED"
