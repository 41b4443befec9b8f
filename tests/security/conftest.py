"""Fixtures for the security suite: a cast of users and tokens, and sessions in every state."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask, g

from app.extensions import db
from app.models import ApiToken, InterviewSession, Resume, User
from tests.support.sessions import SAMPLE_JD, make_recording, make_resume, make_session
from tests.support.users import issue_token, make_user

ANSWERS = [
    "A B-tree keeps keys sorted in a balanced tree so lookups are O(log n); it also serves range "
    "scans and ORDER BY. The planner skips it when most rows match.",
    "At Acme a teammate wanted MongoDB for payments. I was the tech lead, so I benchmarked both "
    "with him; PostgreSQL won on consistency, we shipped it and cut incidents by 30%.",
    "Cache-aside: read Redis, on a miss read PostgreSQL and set the key with a TTL; on writes "
    "update the database, then delete the key. Locks stop a stampede on hot keys.",
]


def forget_identity_per_request(app: Flask) -> None:
    """Forget per-context caches at each request's start, as a real server's fresh context would.

    The `app` fixture keeps one app context open for the whole test and Flask reuses it for
    test-client requests, so Flask-WTF's `g.csrf_token` and Flask-Login's `g._login_user` would
    otherwise carry one client's token and user (a possibly detached row) into the next request.
    """

    def forget_cached_identity() -> None:
        g.pop("csrf_token", None)
        g.pop("_login_user", None)

    # First of all before-request functions: the app's own (bearer auth, the sign-in scope
    # policy) already look at the signed-in user.
    app.before_request_funcs.setdefault(None, []).insert(0, forget_cached_identity)


@pytest.fixture(autouse=True)
def fresh_context_per_request(app: Flask) -> None:
    """Every security test's requests start from a clean context."""
    forget_identity_per_request(app)


def evaluate(app: Flask, session: InterviewSession) -> InterviewSession:
    """Evaluate a completed session with the real service (the offline interviewer grades it)."""
    from app.evaluation.services import evaluate_now

    with app.test_request_context():
        evaluate_now(session)
    return db.session.get_one(InterviewSession, session.id)


@dataclass
class World:
    """Who is who, and what the owner has."""

    owner: User
    other: User
    admin: User
    bearer: str
    revoked: str
    resume: Resume
    open: InterviewSession  # CREATED, questions waiting
    finished: InterviewSession  # COMPLETED, not yet evaluated
    evaluated: InterviewSession  # EVALUATED: feedback and report exist
    spare_token_id: int  # a second personal token of the owner's (for the revoke route)
    recording_id: int  # a kept recording of the open session's first question


@pytest.fixture
def world(app: Flask, tmp_path) -> World:
    """An owner with a CV, sessions in each state, tokens and a kept recording; another user;
    an admin."""
    owner = make_user("owner@example.com", fast_hash=True)
    other = make_user("other@example.com", fast_hash=True)
    admin = make_user("admin@example.com", fast_hash=True, is_admin=True)
    bearer = issue_token(owner, "curl")
    revoked = issue_token(owner, "old laptop", revoked=True)
    issue_token(owner, "spare")
    spare = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "spare"))
    resume = make_resume(owner)
    open_session = make_session(owner)
    open_session.resume_id = resume.id
    finished = make_session(owner, answers=list(ANSWERS))
    evaluated = evaluate(app, make_session(owner, answers=list(ANSWERS)))
    db.session.commit()
    app.config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    recording = make_recording(
        open_session, open_session.questions[0], app.config["RECORDINGS_DIR"]
    )
    return World(
        owner=owner,
        other=other,
        admin=admin,
        bearer=bearer,
        revoked=revoked,
        resume=resume,
        open=open_session,
        finished=finished,
        evaluated=evaluated,
        spare_token_id=spare.id,
        recording_id=recording.id,
    )


def invite_through_api(client, key: str, candidate_name: str, candidate_email: str) -> dict:
    """A three-question plan and one invite made through the recruiter API; the invite JSON."""
    headers = {"X-API-Key": key}
    plan = client.post(
        "/ai-interviews",
        headers=headers,
        json={
            "name": "Backend",
            "job_role": "Backend Engineer",
            "job_description": SAMPLE_JD,
            "question_count": 3,
        },
    ).get_json()
    return client.post(
        "/ai-interviews/invite",
        headers=headers,
        json={
            "ai_interview_id": plan["ai_interview_id"],
            "candidate_name": candidate_name,
            "candidate_email": candidate_email,
        },
    ).get_json()
