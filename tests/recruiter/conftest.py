"""Recruiter API fixtures: recruiters with API keys, a small API client, and a candidate who
takes an invited interview through the real pages.

Jobs run where they are enqueued (JOBS_URL=immediate) and `take_interview` drains the retries
the queue scheduled, so tests are deterministic; delivery by a real worker has its own tests.
Local receivers on 127.0.0.1 are allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.services import create_token
from app.extensions import db
from app.jobs.engine import drain
from app.models import User
from tests.conftest import JSON
from tests.support.sessions import SAMPLE_JD
from tests.support.users import make_user


@pytest.fixture
def app_overrides() -> dict:
    """Deterministic, fast webhooks to local receivers."""
    return {
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,
        "WEBHOOK_BACKOFF_BASE_S": 0.01,
        "WEBHOOK_BACKOFF_MAX_S": 0.02,
        "WEBHOOK_TIMEOUT_S": 3.0,
        "WEBHOOK_MAX_ATTEMPTS": 3,
    }


def make_recruiter(email: str) -> tuple[User, str]:
    """A recruiter account with one API key; returns the user and the key."""
    user = make_user(email=email, name="Recruiter")
    _, key = create_token(user, "integration", "recruiter")
    db.session.commit()
    return user, key


@dataclass
class Api:
    """A test client speaking the recruiter API with one key."""

    client: FlaskClient
    key: str

    def get(self, path: str, **kwargs: Any):
        """GET with the key."""
        return self.client.get(path, headers={"X-API-Key": self.key}, **kwargs)

    def post(self, path: str, body: Any):
        """POST a JSON body with the key."""
        return self.client.post(path, json=body, headers={"X-API-Key": self.key})

    def create_plan(self, **fields: Any) -> dict:
        """A plan on the sample job description (3 questions), returned as JSON."""
        body = {
            "name": "Backend hiring Q3",
            "job_role": "Backend Engineer",
            "job_description": SAMPLE_JD,
            "question_count": 3,
            **fields,
        }
        response = self.post("/ai-interviews", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def invite(self, plan_id: int, **fields: Any) -> dict:
        """An invite to a plan, returned as JSON."""
        body = {
            "ai_interview_id": plan_id,
            "candidate_name": "Casey Candidate",
            "candidate_email": "casey@example.com",
            **fields,
        }
        response = self.post("/ai-interviews/invite", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def report(self, response_id: int, query: str = "") -> dict:
        """The report of one response id (200 expected)."""
        response = self.get(f"/ai-interviews/report/{response_id}{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def recruiter(app: Flask) -> tuple[User, str]:
    """A recruiter and their API key."""
    return make_recruiter("recruiter@example.com")


@pytest.fixture
def api(client: FlaskClient, recruiter: tuple[User, str]) -> Api:
    """The recruiter's API client."""
    return Api(client, recruiter[1])


@pytest.fixture
def other_api(app: Flask) -> Api:
    """A second, unrelated recruiter's API client."""
    _, key = make_recruiter("other-recruiter@example.com")
    return Api(app.test_client(), key)


STRONG_ANSWERS = {
    "technical": (
        "I would explain the mechanism, the trade-offs and when it fails. For example, a B-tree "
        "index keeps keys sorted in a balanced tree so lookups and range scans take O(log n); the "
        "planner skips it for low selectivity or when a function wraps the column. With Redis I "
        "use cache-aside with a TTL and delete the key after the database write, guarding hot "
        "keys against a stampede. In my last role this cut p95 latency from 180 ms to 40 ms."
    ),
    "behavioral": (
        "Situation: two teams disagreed on moving our payments API to Kafka. Task: I owned the "
        "decision. Action: I listened to both sides, wrote a one-page comparison and ran a load "
        "test. Result: we chose Kafka, cut incident count by 30% and the team agreed with the data."
    ),
}
CODE_ANSWER = "def cache_get(key):\n    value = redis.get(key)\n    return value or load(key)\n"


def default_answer(question: dict) -> tuple[str, str]:
    """A decent answer for any question; coding questions are answered in code mode."""
    if question["kind"] == "coding":
        return CODE_ANSWER, "code"
    return STRONG_ANSWERS.get(question["kind"], STRONG_ANSWERS["technical"]), "default"


@dataclass
class Candidate:
    """A candidate's browser that came in through an invite link."""

    client: FlaskClient
    session_id: int


def start_invite(app: Flask, invite_link: str, **form: Any) -> Candidate:
    """Open the invite link in a fresh browser and press start (optionally with a CV)."""
    browser = app.test_client()
    path = urlsplit(invite_link).path
    assert browser.get(path).status_code == 200
    response = browser.post(path + "/start", data=form)
    assert response.status_code == 302, response.data[:500]
    location = response.headers["Location"]
    assert location.endswith("/interview")
    return Candidate(browser, int(location.rstrip("/").split("/")[-2]))


HONEST = {"time_spent_ms": "90000", "paste_chars": "0", "tab_switches": "0"}


def answer_all(
    candidate: Candidate,
    answer: Callable[[dict], tuple[str, str]] = default_answer,
    signals: dict[str, str] = HONEST,
) -> list[dict]:
    """Answer every question (follow-ups included) through the answer form, with the browser's
    integrity signals; returns the questions asked."""
    asked = []
    base = f"/session/{candidate.session_id}"
    while True:
        state = candidate.client.get(base + "/interview", headers=JSON).get_json()["data"]
        question = state["current_question"]
        if question is None:
            return asked
        asked.append(question)
        text, mode = answer(question)
        reply = candidate.client.post(
            base + "/answer",
            data={"question_id": question["id"], "answer": text, "answer_mode": mode, **signals},
            headers=JSON,
        )  # fmt: skip
        assert reply.status_code == 200, reply.get_json()


def finish(candidate: Candidate):
    """Complete the interview as the page's button does."""
    response = candidate.client.post(f"/session/{candidate.session_id}/complete")
    assert response.status_code == 302, response.data[:500]
    return response


def take_interview(app: Flask, invite_link: str, **form: Any) -> Candidate:
    """Start, answer everything and complete an invited interview."""
    candidate = start_invite(app, invite_link, **form)
    answer_all(candidate)
    finish(candidate)
    drain(app)  # webhook retries the queue scheduled
    return candidate
