"""What a page costs, measured the way production serves it.

Production config (CSRF, Secure cookies, security headers, rate limits), a file SQLite database,
and a fresh app context for every request, so each page does its real database reads. A candidate
signs in through the login form, then each page is requested many times and timed in CPU
microseconds (`process_time`, so other work on the machine does not count). The figures are
printed as ratios to the app's own `/healthz` (the request cycle's floor) and to a bare Flask
route, because ratios compare across machines where absolute times do not.

Pages: the interview page (3 of 8 main questions answered), history (the user's interviews, one of
them evaluated), the evaluated report, and `/healthz`. The targets: interview page ≤ 3×
`/healthz`, history ≤ 2.5×.
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

ROUNDS = 9
REQUESTS_PER_ROUND = 100
PASSWORD = "correct-horse-battery"  # noqa: S105 - the benchmark user's, on a throwaway database
ANSWER = (
    "I would measure first: at Acme a slow endpoint had no index on the foreign key; I added one, "
    "cached hot reads in Redis with a TTL and p99 went from 900 ms to 120 ms. The trade-off was "
    "invalidation, handled by deleting the key after each write."
)


def production_app(database: Path) -> Flask:
    """The app as `APP_ENV=production` builds it, on a file database with the schema in place."""
    os.environ["APP_ENV"] = "production"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-long-enough-0123456789")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("PUBLIC_BASE_URL", "https://localhost")
    # Grading runs on the job queue; in place here, so the report exists without a worker.
    os.environ["JOBS_URL"] = "immediate"
    from app import create_app
    from app.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
    return app


def seed(app: Flask) -> dict[str, int]:
    """A candidate with an evaluated interview and one in progress (3 of 8 answered)."""
    from app.extensions import db
    from tests.support.sessions import make_session
    from tests.support.users import make_user

    with app.app_context():
        user = make_user("bench@example.com", PASSWORD)
        done = make_session(user, answers=[ANSWER] * 8)
        ongoing = make_session(user, answers=[ANSWER] * 3 + [None] * 5)
        db.session.commit()
        return {"user": user.id, "done": done.id, "ongoing": ongoing.id}


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, str]) -> int:
    """Post a form as a browser would: CSRF token from `page`, same-origin Referer; the status."""
    html = client.get(page, base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, f"{page} has no CSRF token"
    response = client.post(
        action,
        base_url="https://localhost",
        data={**data, "csrf_token": token.group(1)},
        headers={"Referer": f"https://localhost{page}"},  # CSRF's https same-origin check
    )
    return response.status_code


def signed_in_client(app: Flask) -> FlaskClient:
    """A client that signed in through the real login form."""
    client = app.test_client()
    credentials = {"email": "bench@example.com", "password": PASSWORD}
    status = post_form(client, "/auth/login", "/auth/login", credentials)
    assert status in (302, 303), status
    return client


def evaluate(client: FlaskClient, session_id: int) -> None:
    """Finish the answered interview through its page's form, so its report exists."""
    page = f"/session/{session_id}/interview"
    status = post_form(client, page, f"/session/{session_id}/complete", {})
    assert status in (302, 303), status


def cpu_us_per_request(calls: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median over rounds of CPU microseconds per request, for each call. The rounds take turns
    (each round times every call once), so a change in the machine's load during the run
    weighs on every page alike instead of on whichever was being timed, which is what the ratios
    between them need."""
    rounds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, call in calls.items():
            started = time.process_time()
            for _ in range(REQUESTS_PER_ROUND):
                call()
            rounds[name].append((time.process_time() - started) / REQUESTS_PER_ROUND * 1e6)
    return {name: statistics.median(times) for name, times in rounds.items()}


def page_call(client: FlaskClient, url: str) -> Callable[[], object]:
    """A call that fetches `url` and checks it answered 200 (a 302 to login would flatter)."""

    def call() -> object:
        response = client.get(url, base_url="https://localhost")
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def bare_flask_call() -> Callable[[], object]:
    """The same measurement on the smallest Flask app there is."""
    from bench.hello import app as hello

    client = hello.test_client()
    return lambda: client.get("/")


def main() -> None:
    """Print CPU µs per request for each page, with ratios to /healthz and to bare Flask."""
    with tempfile.TemporaryDirectory() as folder:
        app = production_app(Path(folder) / "bench.sqlite3")
        ids = seed(app)
        client = signed_in_client(app)
        evaluate(client, ids["done"])
        pages = {
            "bare Flask route": bare_flask_call(),
            "/healthz (signed in)": page_call(client, "/healthz"),
            "interview page, 3 of 8": page_call(client, f"/session/{ids['ongoing']}/interview"),
            "history (/sessions)": page_call(client, "/sessions"),
            "report": page_call(client, f"/session/{ids['done']}/report"),
        }
        for call in pages.values():  # warm caches, templates and the connection pool
            for _ in range(20):
                call()
        cost = cpu_us_per_request(pages)
    floor, bare = cost["/healthz (signed in)"], cost["bare Flask route"]
    print(f"{'page':<26}{'CPU µs/req':>12}{'× /healthz':>12}{'× bare Flask':>14}")
    for name, us in cost.items():
        print(f"{name:<26}{us:>12.0f}{us / floor:>12.2f}{us / bare:>14.2f}")
    print("targets: interview page ≤ 3.00× /healthz, history ≤ 2.50× /healthz")
