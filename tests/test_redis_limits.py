"""Two app servers sharing Redis enforce ONE global session-creation limit between them.

Runs when REDIS_URL is set (CI: redis://127.0.0.1:6379/15): two gunicorn processes with the
production config, on two ports, share a SQLite file and `RATELIMIT_STORAGE_URI=$REDIS_URL`. With
in-process memory storage each would allow the limit on its own; with Redis they allow it together.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app import create_app
from app.extensions import db
from app.models import ApiToken
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD
from tests.support.users import make_user

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[1]
GLOBAL_LIMIT = 3

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepared_database(path: Path) -> str:
    """A SQLite file with the schema and a user holding a personal API token; returns the token."""
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        user = make_user(email="limits@example.com")
        token, secret = ApiToken.issue(user, "load")
        db.session.add(token)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return secret


def start_server(port: int, database: Path, log: Path) -> subprocess.Popen:
    """gunicorn with the production config, its limits in Redis, on 127.0.0.1:<port>."""
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "redis-limit-test-" + "k" * 32,
        "DATABASE_URL": f"sqlite:///{database}",
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "SESSION_CREATE_LIMIT_GLOBAL": f"{GLOBAL_LIMIT} per minute",
        "SESSION_CREATE_LIMIT_PER_IP": "1000 per minute",
        "AI_PROVIDERS": "offline",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_until_up(port: int, process: subprocess.Popen, log: Path) -> None:
    """Poll /healthz until the server answers (or fail with its log)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server on {port} exited:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return
        except requests.RequestException:  # not listening yet, or workers still booting
            time.sleep(0.2)
    pytest.fail(f"server on {port} did not start:\n{log.read_text()[-2000:]}")


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], str]]:
    """Two app processes sharing one database and one Redis; yields their URLs and a token."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this test database's old counters
    database = tmp_path / "shared.sqlite3"
    secret = prepared_database(database)
    ports = [free_port(), free_port()]
    processes = [start_server(p, database, tmp_path / f"gunicorn-{p}.log") for p in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process, tmp_path / f"gunicorn-{port}.log")
        yield [f"http://127.0.0.1:{port}" for port in ports], secret
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_processes_share_one_global_session_limit(two_servers):
    """Alternating between two servers, only GLOBAL_LIMIT sessions are created in all; the rest
    get 429 with Retry-After, from whichever server they reach."""
    urls, secret = two_servers
    headers = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    form = {
        "resume_text": SAMPLE_CV,
        "job_description": SAMPLE_JD,
        "question_count": "3",
        "force_new": "1",
    }
    results = []
    for attempt in range(GLOBAL_LIMIT * 3):
        url = urls[attempt % 2]
        response = requests.post(url + "/sessions/new", data=form, headers=headers, timeout=30)
        results.append((url, response.status_code, response.headers.get("Retry-After")))
    created = [r for r in results if r[1] == 201]
    limited = [r for r in results if r[1] == 429]
    assert len(created) == GLOBAL_LIMIT, results
    assert len(limited) == len(results) - GLOBAL_LIMIT, results
    assert {url for url, _, _ in limited} == set(urls)  # both servers refuse once it is spent
    assert all(retry_after and int(retry_after) > 0 for _, _, retry_after in limited)
    listing = requests.get(urls[0] + "/sessions", headers=headers, timeout=10).json()["data"]
    assert len(listing) == GLOBAL_LIMIT
