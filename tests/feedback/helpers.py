"""Helpers the feedback and report tests share: answers, follow-ups, completing a session."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.extensions import db
from app.models import InterviewSession, Question, utcnow
from tests.conftest import JSON
from tests.support.sessions import make_session

INDEX_ANSWER = (
    "A B-tree keeps keys sorted in a balanced tree so lookups are O(log n); it also serves range "
    "scans and ORDER BY. The planner skips it when most rows match."
)
STAR_ANSWER = (
    "At Acme a teammate wanted MongoDB for payments. I was the tech lead, so I benchmarked both "
    "with him; PostgreSQL won on consistency, we shipped it and cut incidents by 30%."
)
CACHE_ANSWER = (
    "Cache-aside: read Redis, on a miss read PostgreSQL and set the key with a TTL; on writes "
    "update the database, then delete the key. Locks stop a stampede on hot keys."
)
ANSWERS = [INDEX_ANSWER, STAR_ANSWER, CACHE_ANSWER]


def add_follow_up(
    main: Question, text: str, answer: str | None, key_points: list[str] | None = None
) -> Question:
    """A follow-up to `main`, answered with `answer` (None leaves it open); committed."""
    follow_up = Question(
        session_id=main.session_id,
        position=main.position,
        parent_id=main.id,
        text=text,
        category=main.category,
        skill=main.skill,
        kind=main.kind,
        key_points=key_points or ["a concrete example"],
        asked_at=utcnow(),
    )
    if answer is not None:
        follow_up.answer_text, follow_up.answered_at = answer, utcnow()
    db.session.add(follow_up)
    db.session.commit()
    return follow_up


def complete(client: FlaskClient, session_id: int, *, as_json: bool = True):
    """POST /session/<id>/complete as a JSON client or a browser."""
    return client.post(f"/session/{session_id}/complete", headers=JSON if as_json else {})


def evaluated_session(client: FlaskClient, user, answers=None, **fields) -> InterviewSession:
    """A session answered with `answers` and evaluated through the real endpoint."""
    session = make_session(user, answers=answers or list(ANSWERS), **fields)
    response = complete(client, session.id)
    assert response.status_code == 200, response.get_json()
    return db.session.get_one(InterviewSession, session.id)
