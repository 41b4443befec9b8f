"""Rate limits kept in Redis degrade instead of failing when Redis goes away, and go back to Redis
when it returns.

Each test runs its own throwaway `redis-server` on a free port and stops it under the app, as an
outage would: sign-in, session creation and the recruiter API keep answering, the limits keep
holding per process in memory (with a logged warning), and counting returns to Redis once it
answers again. A Redis that accepts connections but never replies costs a bounded wait.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from app.auth.services import create_token
from app.extensions import db, limiter
from app.throttle import forget_in_memory_counts
from tests.conftest import JSON
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD

REDIS_SERVER = shutil.which("redis-server")
FALLBACK_WARNING = "falling back to in-memory storage"
LOGIN_LIMIT = 3
RECOVERY_BOUND_S = 20.0
STORAGE_TIMEOUT_S = 0.5

pytestmark = pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayRedis:
    """A redis-server of this test's own, on 127.0.0.1, that can be stopped and started again on
    the same port (no persistence: a restart comes back empty)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        command = [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Stop the server (its port refuses connections from now on)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        """A client of this server."""
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)

    def counters(self) -> list[bytes]:
        """The rate-limit counters stored in this server right now."""
        return list(self.client().scan_iter("LIMITS*"))


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    """A running throwaway Redis, stopped after the test."""
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_overrides(throwaway_redis: ThrowawayRedis) -> dict:
    """Rate limits on, kept in the throwaway Redis, small enough to reach in a test."""
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": throwaway_redis.url,
        "LOGIN_LIMIT": f"{LOGIN_LIMIT} per minute",
        "SESSION_CREATE_LIMIT_PER_IP": "100 per minute",
        "SESSION_CREATE_LIMIT_GLOBAL": "100 per minute",
        "RECRUITER_API_LIMIT": "100 per minute",
        "RATELIMIT_STORAGE_TIMEOUT_S": STORAGE_TIMEOUT_S,
    }


@pytest.fixture(autouse=True)
def limiter_state_is_not_shared() -> Iterator[None]:
    """The limiter is one object for every app in this process: a test that leaves Redis marked
    dead must not send the next test's limits to memory."""
    yield
    limiter._storage_dead = False
    forget_in_memory_counts()


def sign_in(app: Flask, password: str = "password123") -> int:
    """One sign-in attempt from a fresh browser; the status code."""
    form = {"email": "candidate@example.com", "password": password}
    return app.test_client().post("/auth/login", data=form).status_code


def test_sign_in_new_sessions_and_the_recruiter_api_work_while_redis_is_down(
    app, user, throwaway_redis, caplog
):
    """With Redis stopped nothing answers 500: the app carries on, saying why in the log."""
    _, key = create_token(user, "ats", "recruiter")
    db.session.commit()
    throwaway_redis.stop()

    client = app.test_client()
    login = {"email": user.email, "password": "password123"}
    assert client.post("/auth/login", data=login).status_code == 302
    form = {"resume_text": SAMPLE_CV, "job_description": SAMPLE_JD,
            "question_count": "3"}  # fmt: skip
    created = client.post("/sessions/new", data=form, headers=JSON)
    assert created.status_code == 201, created.get_data(as_text=True)[:300]
    listing = app.test_client().get("/ai-interviews", headers={"X-API-Key": key})
    assert listing.status_code == 200, listing.get_data(as_text=True)[:300]
    assert FALLBACK_WARNING in caplog.text


def test_limits_still_hold_in_memory_while_redis_is_down(app, user, throwaway_redis):
    """Degraded is not unlimited: the sign-in limit is still enforced, from process memory."""
    throwaway_redis.stop()
    attempts = [sign_in(app, password="wrong-password") for _ in range(LOGIN_LIMIT + 2)]
    assert attempts[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT  # the form again, with an error
    assert attempts[LOGIN_LIMIT:] == [429, 429]


def test_counting_returns_to_redis_when_it_comes_back(app, user, throwaway_redis, caplog):
    """Stop Redis, keep serving, start it again: within a bounded time the limits are counted in
    Redis again (shared by every process) and the recovery is logged. Both kinds are exercised:
    the decorated limits (a registration attempt) and the failed sign-in counters."""
    caplog.set_level(logging.INFO, logger="flask-limiter")
    throwaway_redis.stop()
    assert sign_in(app) == 302
    assert register_attempt(app) == 400
    throwaway_redis.start()
    assert throwaway_redis.counters() == []
    started = time.monotonic()
    while "Rate limit storage recovered" not in caplog.text or not throwaway_redis.counters():
        assert time.monotonic() - started < RECOVERY_BOUND_S, "limits never returned to Redis"
        assert sign_in(app, password="wrong-password") in (401, 429)
        assert register_attempt(app) in (400, 429)
        time.sleep(0.25)


def register_attempt(app: Flask) -> int:
    """A registration post the form refuses (400), counted by the registration limit."""
    return app.test_client().post("/auth/register", data={"email": "not-an-email"}).status_code


def test_a_redis_that_never_answers_costs_a_bounded_wait(app, user):
    """A Redis address that accepts connections and never replies (a hung server, a dead
    network path) must not hold a sign-in forever: it times out and falls back."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        port = silent.getsockname()[1]
        app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{port}/0"
        with app.app_context():
            limiter.init_app(app)
        results: list[int] = []
        started = time.monotonic()
        attempt = threading.Thread(target=lambda: results.append(sign_in(app)), daemon=True)
        attempt.start()
        attempt.join(15)
        elapsed = time.monotonic() - started
    assert results == [302], f"sign-in still waiting after {elapsed:.1f} s"
    # At most two waits (the failed count, then a first health check of the storage), plus the
    # sign-in itself.
    assert elapsed < 2 * STORAGE_TIMEOUT_S + 2
