"""Shared fixtures: an app per test on a clean database, a client, a CLI runner, sign-in helpers.

The database is in-memory SQLite unless DATABASE_URL (or TEST_DATABASE_URL) points at PostgreSQL,
in which case the schema is created once and every table is emptied after each test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from app import create_app
from app.extensions import db, limiter
from app.interview.services import finish_wording
from app.jobs.engine import get_jobs
from tests.support.users import make_user

# Property tests check what is drawn or parsed, never how fast: Hypothesis's default 200 ms
# deadline per example failed them on a busy CI machine. No example database is written either.
hypothesis_settings.register_profile("checks", deadline=None, database=None)
hypothesis_settings.load_profile("checks")

_schema_ready: set[str] = set()


def prepare_schema(app: Flask) -> None:
    """Create tables (once per server database; every time for a fresh in-memory SQLite)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite://") and url in ("sqlite://", "sqlite:///:memory:"):
        db.create_all()
        return
    if url not in _schema_ready:
        db.drop_all()
        db.create_all()
        _schema_ready.add(url)


def empty_tables() -> None:
    """Delete every row, children first, so the next test starts clean on a shared database."""
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


_built_apps: list[Flask] = []


def build_app(**overrides) -> Flask:
    """A testing app with optional config overrides; its connections close after the test."""
    application = create_app("testing", overrides=overrides or None)
    _built_apps.append(application)
    config = application.config
    if config["RATELIMIT_ENABLED"] and config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        with application.app_context():
            limiter.reset()  # a shared Redis keeps counters between tests; each starts at zero
    return application


def settle(application: Flask) -> None:
    """Let the app's background work that writes to its database (remote follow-up wording)
    finish, so it neither lands after the tables are emptied nor holds a connection open."""
    finish_wording(application)


def connections_in_use(application: Flask) -> int:
    """Connections of the app's pools still checked out (pools that keep count: PostgreSQL's,
    a SQLite file's; an in-memory SQLite database has one shared connection)."""
    with application.app_context():
        pools = [engine.pool for engine in db.engines.values()]
    return sum(pool.checkedout() for pool in pools if isinstance(pool, sa.pool.QueuePool))


def close_built_apps() -> int:
    """Dispose the engines of every app built for the test; how many connections were in use."""
    left_open = 0
    while _built_apps:
        application = _built_apps.pop()
        settle(application)
        left_open += connections_in_use(application)
        with application.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    return left_open


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """After every fixture of a test is torn down, close the connections its apps opened. A
    connection still checked out then is an error of that test: disposing the engine cannot
    close it, and it is collected unclosed later, in whichever test runs then."""
    try:
        result = yield
    finally:
        left_open = close_built_apps()
    if left_open:
        raise AssertionError(f"{left_open} database connection(s) still in use after the test")
    return result


@pytest.fixture
def app_overrides() -> dict:
    """Config overrides for the `app` fixture; override this fixture in a module to change them."""
    return {}


@pytest.fixture
def app(app_overrides: dict) -> Iterator[Flask]:
    """A fresh app with an empty database."""
    application = build_app(**app_overrides)
    with application.app_context():
        prepare_schema(application)
        yield application
        settle(application)
        if not application.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite://"):
            empty_tables()
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()


class AuthActions:
    """Sign a test client in and out."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, email: str = "candidate@example.com", password: str = "password123"):
        """Sign in through the real form."""
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        """Sign out."""
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Sign-in helper bound to the client."""
    return AuthActions(client)


@pytest.fixture
def user(app: Flask):
    """A candidate account (password `password123`)."""
    return make_user(email="candidate@example.com")


@pytest.fixture
def logged_in(client: FlaskClient, auth: AuthActions, user):
    """The client signed in as `user`."""
    response = auth.login()
    assert response.status_code == 302
    return client


JSON = {"Accept": "application/json"}


def csrf_token_from(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def count_rows(model) -> int:
    """How many rows a table has."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.fixture
def queued_app(tmp_path) -> Iterator[Flask]:
    """An app whose jobs go through a real queue — a SQLite file, or the Redis of
    TEST_JOBS_REDIS_URL — on a file database (or the server database of DATABASE_URL) that
    worker threads can share. Start workers with the `worker` fixture."""
    from app import config

    overrides: dict = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}"}
    redis_url = os.environ.get("TEST_JOBS_REDIS_URL", "")
    if redis_url:
        overrides["JOBS_URL"] = redis_url
    if config.TestingConfig().SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'app.sqlite3'}"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    application = build_app(**overrides)
    get_jobs(application).huey.flush()  # a shared Redis may hold another run's jobs
    with application.app_context():
        prepare_schema(application)
        yield application
        settle(application)
        db.session.remove()
        if not application.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            empty_tables()
    get_jobs(application).huey.flush()


class Worker:
    """Huey consumer threads serving one app's queue, started and stopped by a test."""

    def __init__(self, application: Flask, workers: int = 2):
        self.consumer = get_jobs(application).huey.create_consumer(
            workers=workers,
            worker_type="thread",
            periodic=False,
            check_worker_health=False,
            initial_delay=0.02,
            max_delay=0.1,
        )
        self.running = False

    def start(self) -> None:
        """Start the scheduler and worker threads (no signal handlers: not the main program)."""
        self.consumer.scheduler.start()
        for _, thread in self.consumer.worker_threads:
            thread.start()
        self.running = True

    def stop(self) -> None:
        """Let running jobs finish, then stop."""
        if self.running:
            self.consumer.stop(graceful=True)
            self.running = False


@pytest.fixture
def worker(queued_app: Flask) -> Iterator[Worker]:
    """Two worker threads running `queued_app`'s jobs for the length of the test."""
    running = Worker(queued_app)
    running.start()
    yield running
    running.stop()
