"""Report page and evaluation: the two costs a candidate waits for at the end of an interview.

* Report page render for an evaluated 20-question session (a whole GET through the test client:
  login, query, JSON builder, Markdown, SVG, template), served from storage. Target: ≤ 20 ms median.
* Evaluation of an 8-question interview with the built-in offline provider (claim, one grading
  call, the summary, storing feedback and report). Target: ≤ 100 ms median.

Both run on an in-memory SQLite database with the testing configuration.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.ai.tasks import ROUTER_KEY
from app.evaluation.services import evaluate_now
from app.extensions import db
from app.models import InterviewSession
from tests.support.sessions import make_session
from tests.support.users import make_user

RENDER_QUESTIONS, EVALUATE_QUESTIONS = 20, 8
WARM_UP, RUNS = 3, 25
RENDER_TARGET_MS, EVALUATE_TARGET_MS = 20.0, 100.0
ANSWER = (
    "I would use cache-aside: read Redis first and on a miss read PostgreSQL, then set the key "
    "with a TTL. On writes I update the database and delete the key. For a B-tree index the "
    "planner skips it when most rows match. At Acme I led this change and cut p95 latency by 40%."
)


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of `action` in milliseconds, after a short warm-up."""
    for _ in range(WARM_UP):
        action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def new_session(user, count: int) -> InterviewSession:
    """A COMPLETED session with `count` answered questions."""
    return make_session(user, answers=[ANSWER] * count)


def render_report(app: Flask, client: FlaskClient, user) -> float:
    """Median ms to serve the stored report page of a 20-question session."""
    session = new_session(user, RENDER_QUESTIONS)
    evaluate_now(session)
    url = f"/session/{session.id}/report"

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return median_ms(get)


def evaluate_interview(user) -> float:
    """Median ms to evaluate a fresh 8-question session with the offline provider."""
    sessions = iter([new_session(user, EVALUATE_QUESTIONS) for _ in range(WARM_UP + RUNS)])
    return median_ms(lambda: evaluate_now(next(sessions)))


def main() -> None:
    """Print both figures against their targets."""
    app = create_app("testing", overrides={"AI_PROVIDERS": "offline"})
    logging.getLogger("app.ai").setLevel(logging.WARNING)  # one log line per AI hop otherwise
    with app.app_context():
        db.create_all()
        app.extensions.pop(ROUTER_KEY, None)
        user = make_user(email="bench@example.com")
        client = app.test_client()
        client.post("/auth/login", data={"email": user.email, "password": "password123"})
        rows = [
            ("report page, 20 questions", render_report(app, client, user), RENDER_TARGET_MS),
            ("evaluate 8 answers, offline", evaluate_interview(user), EVALUATE_TARGET_MS),
        ]
        db.session.remove()
    print(f"median of {RUNS} runs")
    print(f"{'measure':<30} {'ms':>7}  target")
    for name, millis, target in rows:
        verdict = "ok" if millis <= target else "MISSED"
        print(f"{name:<30} {millis:7.1f}  {verdict} (≤ {target:.0f} ms)")


if __name__ == "__main__":
    main()
