"""`flask jobs failed`: each failed run says what it works on (the interview and its candidate,
the invite and its URL), never a webhook's signed body; `--json` gives scripts the same list."""

from __future__ import annotations

import json

from app.extensions import db
from app.models import JobRun, JobState, utcnow
from tests.support.sessions import make_session

SECRET_BODY = '{"candidate_email": "private@example.com", "score": 83}'


def failed_run(run_id: str, name: str, args: list, error: str) -> JobRun:
    """A run that failed for good, stored."""
    run = JobRun(
        id=run_id, name=name, args=args, state=JobState.FAILED, attempts=3, error=error,
        finished_at=utcnow(),
    )  # fmt: skip
    db.session.add(run)
    db.session.commit()
    return run


def test_a_failed_run_names_its_interview_and_candidate(runner, user):
    """A failed planning and grading run are listed with the interview, the question's number
    and the candidate's email, the error and the retry hint."""
    session = make_session(user, answers=["An answer."])
    first = session.questions[0]
    failed_run("plan-1", "plan_session", [session.id], "AllProvidersFailed: down")
    failed_run("grade-1", "grade_answer", [first.id], "RuntimeError: timed out")
    output = runner.invoke(args=["jobs", "failed"]).output
    assert f"plan_session  interview {session.id} of {user.email}" in output
    assert f"grade_answer  question 1 of interview {session.id} of {user.email}" in output
    assert "AllProvidersFailed: down" in output and "RuntimeError: timed out" in output
    assert "2 failed runs; queue again: flask jobs retry" in output


def test_a_failed_webhook_shows_its_invite_and_url_not_its_body(runner):
    """A failed delivery names the invite and the receiver; the signed report body and its
    signature (the job's stored arguments) stay out of the listing and the JSON."""
    args = [7, "https://hooks.example.com/in", SECRET_BODY, "sha256=abcdef0123", 1]
    failed_run("hook-1", "deliver_webhook", args, "ConnectionError: refused")
    text = runner.invoke(args=["jobs", "failed"]).output
    listed = runner.invoke(args=["jobs", "failed", "--json"])
    assert listed.exit_code == 0
    (row,) = json.loads(listed.output)
    assert row["subject"] == "invite 7 to https://hooks.example.com/in"
    assert row["id"] == "hook-1" and row["job"] == "deliver_webhook" and row["runs"] == 3
    assert row["error"] == "ConnectionError: refused"
    assert "invite 7 to https://hooks.example.com/in" in text
    for output in (text, listed.output):
        assert "private@example.com" not in output and "sha256=abcdef0123" not in output


def test_a_run_of_a_deleted_interview_or_unknown_job_is_still_listed(runner):
    """A run whose interview is gone says so; a job the app no longer declares shows its
    arguments cut short; the JSON of no failures is an empty list."""
    assert json.loads(runner.invoke(args=["jobs", "failed", "--json"]).output) == []
    failed_run("gone-1", "evaluate_session", [999, "2026-01-01T00:00:00"], "KeyError: 1")
    failed_run("old-1", "retired_job", ["x" * 500], "ValueError: no")
    output = runner.invoke(args=["jobs", "failed"]).output
    assert "evaluate_session  interview 999 (deleted)" in output
    assert "retired_job  ('xxx" in output and "x" * 100 not in output
