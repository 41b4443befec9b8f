"""ai_calls rows are kept whatever becomes of the request that made the calls: a plan that fails
outright answers 500 and rolls the request back, yet what its calls cost stays on record."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from app.ai import usage
from app.ai.router import CallRecord
from app.extensions import db, end_database_session
from app.models import AICall, InterviewSession, User
from tests.conftest import JSON, build_app, prepare_schema
from tests.faults.test_ai_faults import NEW_SESSION
from tests.support.fake_servers import FakeGemini, gemini_error
from tests.support.sessions import make_session


def rows() -> list[AICall]:
    """Every ai_calls row, read afresh."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AICall).order_by(AICall.id)))


def a_call(task: str = "follow_up") -> CallRecord:
    """One failed call as the router hands it to the recorder."""
    return CallRecord(task, "gemini", "gemini-3.8-flash", 120, None, 35, 1, "unavailable", "down")


@pytest.fixture
def failing_gemini():
    """A Gemini that answers every call with 503, and no offline interviewer behind it."""
    server = FakeGemini(key="g-key", models={"gemini-3.8-flash"}).start()
    server.queue(*[gemini_error(503, "overloaded")] * 10)
    yield server
    server.stop()


def test_a_plan_that_fails_outright_keeps_its_calls_on_record(app, logged_in, failing_gemini):
    """Three attempts at 503, a 500 for the user, the interview kept for a retry: three ai_calls
    rows, linked to that interview."""
    app.config.update(
        AI_PROVIDERS="gemini",
        GEMINI_API_KEY="g-key",
        GEMINI_BASE_URL=failing_gemini.url,
        GEMINI_MODEL="gemini-3.8-flash",
        AI_DEADLINE_S=300,  # all three attempts, however slow a loaded machine is
        AI_PLAN_TIMEOUT_S=60,
    )
    response = logged_in.post("/sessions/new", data=NEW_SESSION, headers=JSON)
    assert response.status_code == 500
    end_database_session()  # the request's teardown (tests share one app context with it)
    recorded = rows()
    assert len(recorded) == 3 == len(failing_gemini.received)
    assert {(c.task, c.provider, c.outcome) for c in recorded} == {
        ("plan_questions", "gemini", "unavailable")
    }
    assert [c.attempts for c in recorded] == [1, 2, 3]
    # The interview is kept (its planning failed, with a retry), and the calls are its own.
    (kept,) = db.session.scalars(db.select(InterviewSession)).all()
    assert all(c.session_id == kept.id for c in recorded)


def test_a_row_outlives_a_rollback_of_the_callers_transaction(app, user):
    """Recorded mid-transaction, then the caller rolls back (as a grader does to read what other
    graders stored): the caller's own change is undone, the row is not."""
    user_id = user.id
    db.session.get_one(User, user_id).email = "changed@example.com"
    db.session.flush()
    usage.record_call(a_call())
    db.session.rollback()
    assert [c.task for c in rows()] == ["follow_up"]


def test_the_planning_calls_join_the_session_created_from_them(app, user):
    """Rows recorded before the interview existed are attributed to it once it is created."""
    usage.record_call(a_call("plan_questions"))
    usage.record_call(a_call("plan_questions"))
    session_id = make_session(user).id
    usage.claim_pending_calls(session_id)
    db.session.commit()
    assert [c.session_id for c in rows()] == [session_id, session_id]
    usage.claim_pending_calls(session_id + 1)  # already claimed: nothing left to attribute
    assert [c.session_id for c in rows()] == [session_id, session_id]


def test_a_row_that_cannot_be_written_apart_joins_the_callers_transaction(app, monkeypatch):
    """Its own connection failing (the database busy), the row is still kept, with the request."""

    def refuse(values: dict) -> int:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(usage, "_insert_apart", refuse)
    usage.record_call(a_call())
    db.session.commit()
    assert [c.outcome for c in rows()] == ["unavailable"]


def test_a_write_lock_held_by_the_caller_delays_the_row_briefly(tmp_path):
    """On a SQLite file, a caller holding the write lock would make the row's own connection wait
    for itself until the 30 s busy timeout; it waits about two seconds, then joins the caller."""
    application = build_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'usage.sqlite3'}")
    with application.app_context():
        prepare_schema(application)
        db.session.add(AICall(task="earlier", provider="x", model="", latency_ms=1, outcome="ok"))
        db.session.flush()  # the caller now holds SQLite's write lock
        started = time.monotonic()
        usage.record_call(a_call())
        waited = time.monotonic() - started
        db.session.commit()
        assert waited < usage.APART_LOCK_WAIT_MS / 1000 + 5
        assert [c.task for c in rows()] == ["earlier", "follow_up"]
        db.session.remove()
