"""`make bench-scale`: two app servers and two job workers on one Redis and PostgreSQL.

Two gunicorn servers (gunicorn.conf.py, each on its own port) and two `flask jobs worker`
processes share a PostgreSQL database (SCALE_DATABASE_URL) and a Redis queue (SCALE_REDIS_URL,
also the rate limits' store). A fake remote provider (PROVIDER_DELAY_S per call) comes first,
the offline interviewer after it. A recruiter invites SCALE_CANDIDATES candidates (default 50)
to a SCALE_QUESTIONS-question plan with a webhook to a local receiver; every candidate, in its
own thread, alternating between the two servers, opens the link, waits for the questions
(planning is a job), answers each one (follow-ups too; SCALE_THINK_S before each, default 0: a
stress run) and presses "Get my feedback".

Printed: lost and duplicated answers (each must be 0), evaluations (one per candidate),
duplicate webhooks (0) and the timings: questions ready after "start", answer requests, the
press to the finished report, the slowest request, the whole run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa

from bench.load_clients import Candidate, Timings, percentile
from bench.load_servers import ROOT, SlowOpenAI, gunicorn, production_env
from tests.support.sessions import SAMPLE_JD

CANDIDATES = int(os.environ.get("SCALE_CANDIDATES", "50"))
QUESTIONS = int(os.environ.get("SCALE_QUESTIONS", "4"))
PROVIDER_DELAY_S = float(os.environ.get("SCALE_PROVIDER_DELAY_S", "1.0"))
DATABASE_URL = os.environ.get(
    "SCALE_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/ic_scale"
)
REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/3")
WORKER_THREADS = int(os.environ.get("SCALE_WORKER_THREADS", "16"))
THINK_S = float(os.environ.get("SCALE_THINK_S", "0"))  # before each answer: 0 is a stress run
OUTPUT = ROOT / "bench-output" / "scale"
ANSWER = (
    "I measured first: a composite index on PostgreSQL for the hot query, Redis cache-aside with "
    "a TTL, and the key deleted after each write; the trade-off was consistency against latency. "
    "As a result p99 fell from 900 ms to 120 ms and errors dropped by 40% within two sprints."
)


def prepare() -> str:
    """A clean schema on PostgreSQL, an empty queue, and a recruiter; returns its API key."""
    from app import create_app
    from app.auth.services import create_token
    from app.extensions import db
    from app.models import User

    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": DATABASE_URL})
    with app.app_context():
        db.drop_all()
        db.create_all()
        recruiter = User(email="recruiter@example.com", name="Recruiter")
        recruiter.set_password("scale-bench-password")
        db.session.add(recruiter)
        db.session.flush()
        _, key = create_token(recruiter, "scale", "recruiter")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this benchmark's own database number
    return key


class Receiver:
    """A webhook receiver on 127.0.0.1 counting deliveries per response id."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's naming
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.counts[json.loads(body)["response_id"]] += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the webhook goes."""
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def job_workers(env: dict[str, str], log: Path, count: int) -> list[subprocess.Popen]:
    """`count` separate `flask jobs worker` processes on the shared queue."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"]
    command += ["-w", str(WORKER_THREADS)]
    with log.open("ab") as output:
        return [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
            for _ in range(count)
        ]


def wait_for_workers(log: Path, count: int, timeout: float = 300) -> None:
    """Until `count` workers say they are consuming (starting one loads the whole app)."""
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("Huey consumer started") < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"workers did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGINT: running jobs finish first."""
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Run:
    """What the candidates measured, shared between their threads."""

    def __init__(self) -> None:
        self.ready, self.answers, self.report = Timings(), Timings(), Timings()
        self.requests = Timings()
        self.submitted: dict[int, list[tuple[int, str]]] = {}
        self.errors: list[str] = []
        self.resent = 0  # GETs sent again after a connection reset
        self.lock = threading.Lock()


class InvitedCandidate(Candidate):
    """A candidate who arrives through an invite link (no account, no password)."""

    def __init__(self, base: str, run: Run) -> None:
        super().__init__(base, "", "")
        self.run = run

    def send(self, method: str, path: str, timings: Timings | None = None, **kwargs):
        """Every request is timed into the run's overall figures too. A GET on a keep-alive
        connection the server closed at that moment (connection reset) is sent again, as a
        browser does; a form post goes on a connection of its own, so it never meets that race
        (sending it again could answer twice)."""
        if method != "GET":
            kwargs["headers"] = {**kwargs.get("headers", {}), "Connection": "close"}
        started = time.perf_counter()
        try:
            response = super().send(method, path, timings, **kwargs)
        except requests.ConnectionError:
            if method != "GET":
                raise
            with self.run.lock:
                self.run.resent += 1
            response = super().send(method, path, timings, **kwargs)
        self.run.requests.add((time.perf_counter() - started) * 1000)
        return response

    def start(self, link: str) -> int:
        """Open the link and press start; returns the session id."""
        path = urlsplit(link).path
        page = self.send("GET", path).text
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        pressed = self.send("POST", path + "/start", data={"csrf_token": self.csrf})
        assert pressed.status_code == 302, (pressed.status_code, pressed.text[:300])
        return int(pressed.headers["Location"].rstrip("/").split("/")[-2])

    def first_question(self, session_id: int) -> dict:
        """Poll the interview until the planning job stored the questions."""
        while True:
            data = self.send(
                "GET", f"/session/{session_id}/interview", headers={"Accept": "application/json"}
            ).json()["data"]
            if data["current_question"] is not None:
                return data["current_question"]
            time.sleep(0.2)

    def interview(self, link: str) -> None:
        """The whole interview, to the finished report."""
        started = time.perf_counter()
        session_id = self.start(link)
        question = self.first_question(session_id)
        self.run.ready.add((time.perf_counter() - started) * 1000)
        sent: list[tuple[int, str]] = []
        for turn in range(1, 3 * QUESTIONS + 1):
            time.sleep(THINK_S)
            text = f"{ANSWER} (#{session_id}.{turn})"
            reply = self.post_form(
                f"/session/{session_id}/answer",
                {"question_id": str(question["id"]), "answer": text},
                self.run.answers,
            )
            assert reply.status_code == 200, (reply.status_code, reply.text[:300])
            sent.append((question["id"], text))
            question = reply.json()["data"]["next_question"]
            if question is None:
                break
        with self.run.lock:
            self.run.submitted[session_id] = sent
        pressed = time.perf_counter()
        reply = self.send("POST", f"/session/{session_id}/complete", data={"csrf_token": self.csrf})
        assert reply.status_code == 302, (reply.status_code, reply.text[:300])
        while True:
            data = self.send("GET", f"/session/{session_id}/status").json()["data"]
            assert data["stage"] != "failed", data
            if data["stage"] == "done":
                break
            time.sleep(0.2)
        self.run.report.add((time.perf_counter() - pressed) * 1000)


def invite_everyone(base: str, key: str, hook: str) -> list[str]:
    """A plan with the webhook and one invite per candidate; returns the links."""
    api = requests.Session()
    api.headers["X-API-Key"] = key
    plan = api.post(
        base + "/ai-interviews",
        json={"name": "Scale", "job_role": "Backend Engineer", "job_description": SAMPLE_JD,
              "question_count": QUESTIONS, "notification_url": hook},
        timeout=30,
    )  # fmt: skip
    assert plan.status_code == 201, plan.text[:300]
    links = []
    for number in range(CANDIDATES):
        invite = api.post(
            base + "/ai-interviews/invite",
            json={"ai_interview_id": plan.json()["ai_interview_id"],
                  "candidate_name": f"Candidate {number}",
                  "candidate_email": f"candidate{number}@example.com",
                  "custom_field_id": f"scale-{number}"},
            timeout=30,
        )  # fmt: skip
        assert invite.status_code == 201, invite.text[:300]
        links.append(invite.json()["invite_link"])
    return links


def check_database(run: Run) -> dict[str, int]:
    """Lost answers (submitted, not stored as sent), duplicated ones (questions of a session
    beyond those asked, or a session planned twice), evaluations and evaluated sessions."""
    engine = sa.create_engine(DATABASE_URL)
    lost = duplicated = 0
    with engine.connect() as connection:
        for session_id, sent in run.submitted.items():
            rows = connection.execute(
                sa.text(
                    "SELECT id, answer_text, parent_id, position FROM questions "
                    "WHERE session_id = :id"
                ),
                {"id": session_id},
            ).all()
            stored = {row.id: row.answer_text for row in rows}
            lost += sum(1 for qid, text in sent if stored.get(qid) != text)
            answered = [row for row in rows if row.answer_text is not None]
            duplicated += max(0, len(answered) - len(sent))
            mains = Counter(row.position for row in rows if row.parent_id is None)
            duplicated += sum(count - 1 for count in mains.values())
        counts = {
            name: connection.execute(sa.text(query)).scalar() or 0
            for name, query in {
                "feedback": "SELECT count(*) FROM feedback",
                "reports": "SELECT count(*) FROM reports",
                "evaluated": "SELECT count(*) FROM interview_sessions WHERE status = 'EVALUATED'",
                "failed_jobs": "SELECT count(*) FROM job_runs WHERE state = 'failed'",
            }.items()
        }
    engine.dispose()
    return {"lost": lost, "duplicated": duplicated, **counts}


def wait_for_webhooks(receiver: Receiver, timeout: float = 60) -> None:
    """Until every candidate's webhook arrived (or the timeout)."""
    deadline = time.monotonic() + timeout
    while len(receiver.counts) < CANDIDATES and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # a duplicate would arrive just after


def line(name: str, timings: Timings) -> str:
    """p50, p99 and max of one kind, in seconds."""
    values = timings.samples
    return (
        f"  {name:<34} n={len(values):<4} p50 {percentile(values, 50) / 1000:6.2f} s  "
        f"p99 {percentile(values, 99) / 1000:6.2f} s  max {max(values or [0]) / 1000:6.2f} s"
    )


def main() -> None:
    """Run the scale scenario and print its figures; exits 1 when a count is wrong."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / "scale.log"
    log.write_text("")
    key = prepare()
    fake = SlowOpenAI(PROVIDER_DELAY_S).start()
    env = production_env(
        DATABASE_URL,
        JOBS_URL=REDIS_URL,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        AI_PROVIDERS="openai_compatible,offline",
        OPENAI_COMPAT_BASE_URL=fake.base_url,
        OPENAI_COMPAT_MODEL="slow-fake",
        AI_TIMEOUT_S="20",
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        PUBLIC_BASE_URL="http://127.0.0.1",  # the links are opened by path on either server
    )
    run = Run()
    try:
        with ExitStack() as running, Receiver() as receiver:
            bases = [
                running.enter_context(gunicorn("wsgi:app", env, workers=1, threads=32, log=log))
                for _ in range(2)
            ]
            workers = job_workers(env, log, 2)
            running.callback(stop, workers)
            wait_for_workers(log, len(workers))
            links = invite_everyone(bases[0], key, receiver.url)
            began = time.perf_counter()

            def candidate(number: int) -> None:
                try:
                    InvitedCandidate(bases[number % 2], run).interview(links[number])
                except Exception as error:  # reported with the figures
                    with run.lock:
                        run.errors.append(f"candidate {number}: {error!r}"[:300])

            threads = [threading.Thread(target=candidate, args=(n,)) for n in range(CANDIDATES)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
            wait_for_webhooks(receiver)
            webhooks = receiver.counts
    finally:
        fake.stop()
    found = check_database(run)
    duplicates = sum(count - 1 for count in webhooks.values() if count > 1)
    print(
        f"scale: {CANDIDATES} concurrent interviews x {QUESTIONS} questions, 2 app servers + "
        f"2 workers ({WORKER_THREADS} threads) on PostgreSQL and Redis, remote fake "
        f"{PROVIDER_DELAY_S:.1f} s/call, {THINK_S:.0f} s thinking before each answer"
    )
    print(f"  lost answers {found['lost']}, duplicated answers {found['duplicated']}")
    print(
        f"  evaluations {found['feedback']} feedback / {found['reports']} reports / "
        f"{found['evaluated']} sessions evaluated (of {CANDIDATES})"
    )
    print(
        f"  webhooks {sum(webhooks.values())} for {len(webhooks)} interviews, "
        f"duplicate webhooks {duplicates}; failed jobs {found['failed_jobs']}"
    )
    print(line("questions ready after start", run.ready))
    print(line("answer request", run.answers))
    print(line("'Get my feedback' to the report", run.report))
    print(line("any request", run.requests))
    print(
        f"  all {CANDIDATES} interviews took {wall:.1f} s; errors: {len(run.errors)}; "
        f"GETs sent again after a connection reset: {run.resent}"
    )
    for error in run.errors[:5]:
        print(f"    {error}")
    ok = (
        found["lost"] == 0 and found["duplicated"] == 0 and duplicates == 0
        and found["feedback"] == CANDIDATES and found["evaluated"] == CANDIDATES
        and len(webhooks) == CANDIDATES and not run.errors
    )  # fmt: skip
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
