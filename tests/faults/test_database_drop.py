"""The database connection dropping between two requests (a restart, a failover, an idle timeout
killing it) loses nothing that was committed, and the next request simply reconnects."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import InterviewSession, Question
from tests import factories
from tests.conftest import JSON

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
    user = factories.make_user(email="steady@example.com")
    session = factories.make_session(user)
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
