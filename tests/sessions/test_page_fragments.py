"""The interview page's kept body: it follows every change to the interview, belongs to one user
only, and carries each request's own CSRF token."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.interview.pages import QUESTION_BODIES
from app.models import InterviewSession
from tests import factories
from tests.conftest import JSON, csrf_token_from
from tests.security.conftest import forget_identity_per_request

ANSWER = (
    "A B-tree keeps keys sorted in a balanced tree, so a lookup is O(log n) and it also serves "
    "range scans and ORDER BY; the planner skips it when most rows match."
)


@pytest.fixture
def app_overrides() -> dict:
    """Forms carry and need CSRF tokens, as in production."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture(autouse=True)
def fresh_context_per_request(app: Flask) -> None:
    """Each request starts from a clean context, as on a server (no token or user carried)."""
    forget_identity_per_request(app)
    QUESTION_BODIES.clear()


def signed_in(app: Flask, email: str):
    """A client signed in through the real form."""
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": "password123", "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def page(client, session_id: int) -> str:
    """The interview page's HTML."""
    response = client.get(f"/session/{session_id}/interview")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def questions(*texts: str) -> list[dict]:
    """Planned questions with these texts."""
    return [
        {"text": text, "category": "Databases", "kind": "technical", "key_points": ["B-tree"]}
        for text in texts
    ]


def test_kept_body_follows_a_new_answer_and_a_draft(app, user):
    """A view after an answer shows the next question and insights on that answer; a view
    after a saved draft shows the draft: the kept body is never the one from before."""
    session = factories.make_session(user, questions=questions("First?", "Second?", "Third?"))
    client = signed_in(app, user.email)
    first = page(client, session.id)
    assert "First?" in first and "About your last answer" not in first
    token = csrf_token_from(first)
    question_id = session.questions[0].id
    response = client.post(
        f"/session/{session.id}/answer",
        data={"question_id": str(question_id), "answer": ANSWER, "csrf_token": token},
        headers=JSON,
    )
    assert response.status_code == 200
    words = response.get_json()["data"]["insights"]["word_count"]
    after = page(client, session.id)
    assert "Second?" in after and "About your last answer" in after
    assert f"{words} words" in after  # the insights of the answer just stored
    second_id = session.questions[1].id
    response = client.post(
        f"/session/{session.id}/draft",
        data={"question_id": str(second_id), "answer": "my unsent draft", "csrf_token": token},
    )
    assert response.status_code == 204
    assert "my unsent draft" in page(client, session.id)


def test_kept_body_is_never_served_to_another_user(app, user):
    """Another user whose interview has the same id (SQLite gives a deleted row's id out again),
    questions and state sees their own questions, never the first user's kept body."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite gives a deleted row's id out again; PostgreSQL never does")
    first = factories.make_session(user, questions=questions("Alice's question?"))
    client = signed_in(app, user.email)
    assert "Alice&#39;s question?" in page(client, first.id)
    session_id, question_id, created_at = first.id, first.questions[0].id, first.created_at
    db.session.delete(first.questions[0])
    db.session.delete(first)
    db.session.commit()
    other = factories.make_user(email="bob@example.com")
    second = factories.make_session(other, questions=questions("Bob's question?"))
    second.created_at = created_at
    db.session.commit()
    assert (second.id, second.questions[0].id) == (session_id, question_id)
    html = page(signed_in(app, other.email), second.id)
    assert "Bob&#39;s question?" in html and "Alice" not in html
    assert db.session.get(InterviewSession, second.id).user_id == other.id


def test_kept_body_carries_each_requests_csrf_token(app, user):
    """Two browsers of one user get the same kept body, each with its own CSRF token, and each
    token is accepted by the page's forms."""
    session = factories.make_session(user)
    browsers = [signed_in(app, user.email), signed_in(app, user.email)]
    tokens = [csrf_token_from(page(browser, session.id)) for browser in browsers]
    assert len(QUESTION_BODIES) == 1
    assert tokens[0] != tokens[1]
    assert all("placeholder" not in token for token in tokens)
    question_id = str(session.questions[0].id)
    for browser, token in zip(browsers, tokens, strict=True):
        response = browser.post(
            f"/session/{session.id}/draft",
            data={"question_id": question_id, "answer": "draft", "csrf_token": token},
        )
        assert response.status_code == 204
