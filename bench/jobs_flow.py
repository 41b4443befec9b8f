"""`make bench-jobs`: AI work off the request path, with a remote provider taking 2 s per call.

gunicorn (production config) and a `flask jobs worker` over SQLite (database and queue), with a
local OpenAI-compatible fake as the only remote provider (PROVIDER_DELAY_S per call):

1. a candidate answers an 8-question interview, pausing THINK_S before each answer and before
   pressing "Get my feedback" (a browser form post): the time from the press to the full report
   (status stage "done", then the report page), and the slowest web request of the run by kind
   (targets: ≤ 3 s to the report, no request over 2 s);
2. the same with the worker killed (SIGKILL) while it grades an answer (the first from answer 3
   on whose grading is under way) and a new one started:
   the report still completes (the evaluation takes over the dead grader's claim once it is
   GRADING_CLAIM_STALE_S old), and the killed run is marked lost and run again by the sweep
   once its lease (JOBS_LEASE_S) is over.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from bench.load_clients import Candidate, Timings
from bench.load_servers import (
    PASSWORD,
    ROOT,
    SlowOpenAI,
    gunicorn,
    job_worker,
    prepare_database,
    production_env,
)
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD

PROVIDER_DELAY_S = 2.0
QUESTIONS = 8
THINK_S = 3.0  # reading the next question before answering; a real candidate takes minutes
STALE_S, LEASE_S = 6, 10
OUTPUT = ROOT / "bench-output" / "jobs"
ANSWER = (
    "I measured first: a composite index on PostgreSQL for the hot query, Redis cache-aside with "
    "a TTL, and the key deleted after each write; the trade-off was consistency against latency. "
    "As a result p99 fell from 900 ms to 120 ms and errors dropped by 40% within two sprints."
)


class TimedCandidate(Candidate):
    """A candidate that remembers how long each of its requests took, by kind."""

    def __init__(self, base: str, email: str) -> None:
        super().__init__(base, email, PASSWORD)
        self.kinds: dict[str, Timings] = {}

    def send(self, method: str, path: str, timings: Timings | None = None, **kwargs):
        """The request, timed under its kind (method and last path segment)."""
        kind = f"{method} {path.rstrip('/').split('/')[-1]}"
        return super().send(method, path, self.kinds.setdefault(kind, Timings()), **kwargs)

    def slowest(self) -> str:
        """The slowest request of each kind, slowest kind first."""
        worst = sorted(((max(t.samples), k) for k, t in self.kinds.items()), reverse=True)
        return ", ".join(f"{kind} {ms / 1000:.2f} s" for ms, kind in worst)


def answer_everything(candidate: TimedCandidate, session: dict, after_answer: Callable) -> int:
    """Answer each question (follow-ups too) after THINK_S; returns the session id."""
    session_id, question, turn = session["id"], session["current_question"], 0
    while question is not None and turn < 3 * QUESTIONS:
        time.sleep(THINK_S)
        turn += 1
        form = {"question_id": str(question["id"]), "answer": f"{ANSWER} (#{turn})"}
        reply = candidate.post_form(f"/session/{session_id}/answer", form)
        assert reply.status_code == 200, reply.text[:300]
        question = reply.json()["data"]["next_question"]
        after_answer(turn)
    return session_id


def create_as_browser(candidate: TimedCandidate) -> dict:
    """Post the new-interview form as a browser does (no JSON wait: a 302 to the interview page,
    which shows "Preparing your questions" and polls the status), follow the status until the
    plan is stored, then read the Session as JSON."""
    reply = candidate.send(
        "POST",
        "/sessions/new",
        data={"resume_text": SAMPLE_CV, "job_description": SAMPLE_JD,
              "question_count": str(QUESTIONS), "force_new": "1",
              "csrf_token": candidate.csrf},
    )  # fmt: skip
    assert reply.status_code == 302, reply.text[:300]
    session_id = int(re.search(r"/session/(\d+)", reply.headers["Location"]).group(1))  # type: ignore[union-attr]
    while True:
        stage = candidate.send("GET", f"/session/{session_id}/status").json()["data"]["stage"]
        assert stage != "planning_failed", stage
        if stage != "planning":
            break
        time.sleep(0.2)
    return candidate.send(
        "GET", f"/session/{session_id}", headers={"Accept": "application/json"}
    ).json()["data"]


def press_and_wait(candidate: TimedCandidate, session_id: int) -> float:
    """Press "Get my feedback" as a browser does and follow the status until the report is
    there; returns the seconds from the press to the report page."""
    time.sleep(THINK_S)
    pressed = time.perf_counter()
    reply = candidate.send(
        "POST", f"/session/{session_id}/complete", data={"csrf_token": candidate.csrf}
    )
    assert reply.status_code == 302, reply.text[:300]
    while True:
        data = candidate.send("GET", f"/session/{session_id}/status").json()["data"]
        assert data["stage"] != "failed", data
        if data["stage"] == "done":
            break
        time.sleep(0.1)
    assert candidate.send("GET", f"/session/{session_id}/report").status_code == 200
    return time.perf_counter() - pressed


def job_runs(database: Path, name: str) -> list[tuple[str, int, str]]:
    """(state, attempts, error) of the recorded runs of one job."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT state, attempts, coalesce(error, '') FROM job_runs WHERE name = ?", (name,)
        ).fetchall()
    return [tuple(row) for row in rows]


def run(kill: bool) -> list[str]:
    """One interview to its report; with `kill`, the worker dies while grading answer 3."""
    name = "kill" if kill else "plain"
    database = OUTPUT / f"{name}.sqlite3"
    url = prepare_database(database, ["candidate@example.com"])
    fake = SlowOpenAI(PROVIDER_DELAY_S).start()
    env = production_env(
        url,
        AI_PROVIDERS="openai_compatible,offline",
        OPENAI_COMPAT_BASE_URL=fake.base_url,
        OPENAI_COMPAT_MODEL="slow-fake",
        AI_TIMEOUT_S="10",
        GRADING_CLAIM_STALE_S=str(STALE_S),
        JOBS_LEASE_S=str(LEASE_S),
    )
    log = OUTPUT / f"{name}.log"
    try:
        with ExitStack() as running:
            base = running.enter_context(gunicorn("wsgi:app", env, workers=2, threads=32, log=log))
            process = running.enter_context(job_worker(env, log=log))

            killed: list[int] = []

            def maybe_kill(turn: int) -> None:
                if kill and turn >= 3 and not killed and grading_under_way(database):
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    killed.append(turn)
                    running.enter_context(job_worker(env, log=log))

            candidate = TimedCandidate(base, "candidate@example.com")
            candidate.sign_in()
            session = create_as_browser(candidate)
            session_id = answer_everything(candidate, session, maybe_kill)
            to_report = press_and_wait(candidate, session_id)
            lines = [
                f"{'worker killed mid-grading' if kill else 'one candidate'}: "
                f"{to_report:.2f} s from 'Get my feedback' to the full report "
                f"({PROVIDER_DELAY_S:.0f} s/call, {THINK_S:.0f} s between answers)",
                f"  slowest request per kind: {candidate.slowest()}",
            ]
            if kill:
                lines.append(f"  worker killed after answer {killed or 'never'}")
                lines.append(wait_for_sweep(database))
    finally:
        fake.stop()
    return lines


def grading_under_way(database: Path, timeout: float = 1.5) -> bool:
    """Wait until a grading job is running (its AI call takes PROVIDER_DELAY_S)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(state == "running" for state, _, _ in job_runs(database, "grade_answer")):
            time.sleep(0.3)  # into the call
            return True
        time.sleep(0.05)
    return False


def wait_for_sweep(database: Path) -> str:
    """Wait (up to 120 s: the sweep runs each minute) until the killed grading run has been
    released and run again; returns what its record says."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        released = [run for run in job_runs(database, "grade_answer") if run[2]]
        if released and all(state == "succeeded" for state, _, _ in released):
            break
        time.sleep(1)
    return f"  the killed grading run (state, runs, error): {released or 'not released'}"


def main() -> None:
    """Both scenarios (BENCH_JOBS=plain or kill for one), figures printed."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*"):
        old.unlink()
    only = os.environ.get("BENCH_JOBS", "")
    for kill in (False, True):
        if only in ("", "kill" if kill else "plain"):
            print("\n".join(run(kill)), flush=True)


if __name__ == "__main__":
    main()
