"""What the load benchmark runs against: a prepared SQLite database, gunicorn processes on
127.0.0.1 with the production config, a job worker beside them, and a slow fake AI provider."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.fake_servers import FakeOpenAI, Received, Reply

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-password"  # noqa: S105 - the benchmark's throwaway accounts
SECRET_KEY = "load-benchmark-secret-" + "x" * 32


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_database(path: Path, emails: list[str]) -> str:
    """A SQLite file with the schema and one account per email; returns its URL."""
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.extensions import db
    from app.models import User

    url = f"sqlite:///{path}"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        # A cheap hash: setting up is not what is measured (sign-in cost is, via scrypt, elsewhere).
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
        db.session.add_all(
            User(email=e, name=e.split("@")[0], password_hash=password_hash) for e in emails
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production server, with limits raised past what the load needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AI_", "OPENAI_", "GEMINI_"))}
    env.update(
        APP_ENV="production",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        RATELIMIT_STORAGE_URI="memory://",
        LOGIN_LIMIT="100000 per minute",
        SESSION_CREATE_LIMIT_PER_IP="100000 per minute",
        SESSION_CREATE_LIMIT_GLOBAL="100000 per second",
        AI_PROVIDERS="offline",
        # The queue beside the database: a SQLite file, as `make run` keeps it.
        JOBS_URL=database_url.removesuffix(".sqlite3") + ".jobs.sqlite3",
    )
    env.update(extra)
    return env


@contextmanager
def job_worker(env: dict[str, str], *, log: Path, workers: int = 8) -> Iterator[subprocess.Popen]:
    """`flask jobs worker` on the same database and queue as the servers; yields the process
    (a benchmark may kill it); stopped with SIGINT, which lets running jobs finish."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "-w", str(workers)]
    start = log.stat().st_size if log.exists() else 0
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        wait_until_consuming(process, log, start)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_consuming(process: subprocess.Popen, log: Path, start: int, timeout: float = 120):
    """Block until the worker says it consumes the queue (its log, from byte `start`): a
    deployment's worker is up before candidates arrive, so its start-up (importing the app takes
    seconds on a loaded machine) must not be timed as the first job's wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with log.open("rb") as output:
            output.seek(start)
            if b"consumer started" in output.read():
                return
        if process.poll() is not None:
            raise RuntimeError(f"the job worker exited with {process.returncode}; see {log}")
        time.sleep(0.1)
    raise RuntimeError(f"the job worker did not start within {timeout:.0f} s; see {log}")


@contextmanager
def gunicorn(
    app_spec: str,
    env: dict[str, str],
    *,
    workers: int,
    threads: int,
    probe: str = "/healthz",
    log: Path,
) -> Iterator[str]:
    """gunicorn with the production settings (gunicorn.conf.py) on 127.0.0.1, with the given
    workers and threads; yields the base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app_spec,
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + probe, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll until the server answers, or stop with its log."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=5).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not come up:\n{log.read_text()[-3000:]}")


class SlowOpenAI(FakeOpenAI):
    """An OpenAI-compatible fake that takes `delay` seconds per call, then answers validly."""

    def __init__(self, delay: float) -> None:
        super().__init__("/v1")
        self.delay = delay

    def default_reply(self, received: Received) -> Reply:
        """The fake's valid answer, after the delay."""
        reply = super().default_reply(received)
        return Reply(reply.body, reply.status, reply.headers, delay=self.delay)
