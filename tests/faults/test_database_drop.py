"""The database connection dropping between two requests (a restart, a failover, an idle timeout
killing it) loses nothing that was committed, and the next request simply reconnects."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import InterviewSession, Question
from tests.conftest import JSON
from tests.support.sessions import make_session
from tests.support.users import make_user

ANSWERS = [
    "A B-tree keeps keys sorted in a balanced tree so lookups are O(log n) and range scans work.",
    "At Acme I disagreed with a teammate about MongoDB; we benchmarked both and cut incidents 30%.",
    "Cache-aside with a TTL; delete the key after the database write; lock hot keys on a miss.",
]


def drop_every_connection() -> int:
    """Kill the app's database connections under its feet, as a server restart would.

    PostgreSQL: terminate every other backend of this database. SQLite: close the DBAPI
    connections sitting in the pool. Returns how many were cut.
    """
    engine = db.engine
    db.session.remove()
    if engine.dialect.name == "postgresql":
        with sa.create_engine(engine.url, poolclass=sa.pool.NullPool).connect() as admin:
            killed = admin.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        return int(killed)
    pooled = [engine.raw_connection() for _ in range(engine.pool.checkedin())]
    drivers = [connection.dbapi_connection for connection in pooled]
    for connection in pooled:
        connection.close()  # back into the pool, healthy...
    for driver in drivers:
        driver.close()  # ...then cut behind the pool's back
    return len(drivers)


def test_committed_answers_survive_a_dropped_connection(durable_app):
    """Answer, lose every connection, answer again: both answers are there, nothing doubled."""
    user = make_user(email="steady@example.com")
    session = make_session(user)
    client = durable_app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": "password123"})
    stored = []
    for text in ANSWERS:
        question = client.get(f"/session/{session.id}/interview", headers=JSON).get_json()
        current = question["data"]["current_question"]
        assert drop_every_connection() >= 1
        response = client.post(
            f"/session/{session.id}/answer",
            headers=JSON,
            data={"question_id": current["id"], "answer": text},
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        stored.append((current["id"], text))
        assert drop_every_connection() >= 1
        detail = client.get(f"/session/{session.id}", headers=JSON)
        assert detail.status_code == 200
        answered = [
            (q["id"], q["answer_text"])
            for q in detail.get_json()["data"]["questions"]
            if q["answer_text"] is not None
        ]
        assert set(stored) <= set(answered)
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Question).where(Question.session_id == session.id)).all()
    assert sorted(q.answer_text for q in rows if q.parent_id is None) == sorted(ANSWERS)
    assert db.session.get(InterviewSession, session.id).status in ("IN_PROGRESS", "COMPLETED")


def cut_own_connection() -> None:
    """Kill the connection the current request's transaction is using, mid-request, as a
    database restart or failover would: PostgreSQL terminates its backend, SQLite closes the
    driver connection behind SQLAlchemy's back."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool).connect() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return
    connection.connection.dbapi_connection.close()  # type: ignore[union-attr]


def add_dropping_route(app, name: str, after_drop) -> str:
    """A route that reads a row (opening a transaction), loses its connection, then runs
    `after_drop`; returns its path."""

    def view():
        db.session.scalar(sa.select(InterviewSession.id).limit(1))
        cut_own_connection()
        return after_drop()

    path = f"/test-drop/{name}"
    app.add_url_rule(path, f"test_drop_{name}", view)
    return path


def finishes_normally() -> tuple[str, int]:
    """The view had read all it needed: only the end-of-request rollback meets the dead line."""
    return "answered", 200


def crashes() -> None:
    """An unrelated bug after the drop: the 500 handler's own rollback meets the dead line."""
    raise RuntimeError("a bug after the connection dropped")


def queries_again() -> tuple[str, int]:
    """The view goes back to the database on the dead connection."""
    db.session.scalar(sa.select(InterviewSession.id).limit(1))
    return "unreachable", 200


@pytest.mark.parametrize(
    ("after_drop", "statuses"),
    [(finishes_normally, {200}), (crashes, {500}), (queries_again, {503})],
    ids=["view-finishes", "view-crashes", "view-queries-again"],
)
def test_a_connection_lost_mid_request_gives_the_apps_own_answer(durable_app, after_drop, statuses):
    """Whatever the view does after its connection drops, the answer is the app's own (the
    view's page, the friendly 500, or 503 with Retry-After) — never an exception escaping the
    request for gunicorn to turn into a bare 500 — and the next request works."""
    make_session(make_user(email="dropped@example.com"))
    db.session.remove()  # the fixture's own session lets go of its connection
    path = add_dropping_route(durable_app, after_drop.__name__, after_drop)
    client = durable_app.test_client()
    response = as_a_server_would(lambda: client.get(path, headers=JSON))
    assert response.status_code in statuses, response.get_data(as_text=True)[:300]
    if response.status_code == 503:
        assert response.headers["Retry-After"]
    login = {"email": "dropped@example.com", "password": "password123"}
    next_request = as_a_server_would(lambda: client.post("/auth/login", data=login))
    assert next_request.status_code == 302  # read the account over a fresh connection
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InterviewSession)) == 1


def as_a_server_would(request: Callable[[], TestResponse]) -> TestResponse:
    """Run a test-client request in a thread of its own, so that it gets its own app context
    and the end-of-request teardown runs as under gunicorn (in the test's thread the fixture's
    app context is reused and the teardown never runs); whatever escapes the app is raised."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(request).result(timeout=60)
