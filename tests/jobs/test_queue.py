"""The job queue: pending work survives a restart, a job whose worker died runs again after its
lease, and `flask jobs status` shows what is queued and what failed with its error."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug import Request, Response

from app.evaluation.services import evaluate_now
from app.extensions import db
from app.jobs.engine import drain, get_jobs
from app.jobs.runs import forget_old_successes, release_stalled
from app.models import InterviewSession, Invite, JobRun, JobState, WebhookDelivery, utcnow
from tests.conftest import Worker, build_app
from tests.recruiter.conftest import Api, answer_all, make_recruiter, start_invite


@pytest.fixture
def hooked_invite(queued_app: Flask, httpserver) -> tuple[Invite, list[Request]]:
    """A completed invited interview whose webhook is queued but not sent (no worker yet)."""
    queued_app.config.update(WEBHOOK_ALLOW_PRIVATE_TARGETS=True, WEBHOOK_TIMEOUT_S=5.0)
    received: list[Request] = []

    def receive(request: Request) -> Response:
        request.get_data()
        received.append(request)
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    api = Api(queued_app.test_client(), make_recruiter("recruiter@example.com")[1])
    plan = api.create_plan(notification_url=httpserver.url_for("/hook"))
    link = api.invite(plan["ai_interview_id"])["invite_link"]
    candidate = take_interview_queued(queued_app, link)
    invite = db.session.scalar(sa.select(Invite).where(Invite.session_id == candidate))
    assert invite is not None and invite.status == "Completed"
    return invite, received


def take_interview_queued(app: Flask, link: str) -> int:
    """Take the interview and evaluate it in this thread (its grading and webhook jobs stay on
    the queue: no worker runs yet); returns the session id."""
    candidate = start_invite(app, link)
    answer_all(candidate)
    with app.test_request_context():
        evaluate_now(db.session.get_one(InterviewSession, candidate.session_id))
    return candidate.session_id


def delivered() -> list[tuple[int, bool]]:
    """(attempt, delivered) of every recorded webhook attempt."""
    db.session.expire_all()
    rows = db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
    return [(row.attempt, row.delivered) for row in rows]


def test_a_queued_webhook_is_delivered_after_every_process_restarts(queued_app, hooked_invite):
    """The web process that queued the webhook is gone; a worker started later, on a fresh app
    over the same queue and database, delivers it once."""
    _, received = hooked_invite
    assert delivered() == [] and received == []
    restarted = build_app(
        **{k: queued_app.config[k] for k in ("JOBS_URL", "SQLALCHEMY_DATABASE_URI")},
        WEBHOOK_ALLOW_PRIVATE_TARGETS=True,
    )
    worker = Worker(restarted)
    worker.start()
    try:
        drain(restarted, timeout=20)
    finally:
        worker.stop()
    assert delivered() == [(1, True)]
    assert len(received) == 1


def test_a_job_whose_worker_died_runs_again_after_its_lease(queued_app, hooked_invite):
    """A run left "running" past its lease is marked lost with a visible error and queued
    again under the same id; a worker then completes it."""
    invite, received = hooked_invite
    (queued,) = [t for t in get_jobs(queued_app).huey.pending() if t.name == "deliver_webhook"]
    get_jobs(queued_app).huey.flush()  # the job a killed worker had taken off the queue
    db.session.execute(sa.delete(JobRun))
    db.session.add(
        JobRun(
            id="killed-1", name="deliver_webhook", args=list(queued.args),
            state=JobState.RUNNING, attempts=1, lease_until=utcnow() - timedelta(seconds=1),
        )
    )  # fmt: skip
    db.session.commit()
    (released,) = release_stalled()
    assert released.state == JobState.LOST and "stopped responding" in (released.error or "")
    worker = Worker(queued_app)
    worker.start()
    try:
        drain(queued_app, timeout=20)
    finally:
        worker.stop()
    db.session.expire_all()
    run = db.session.get_one(JobRun, "killed-1")
    assert (run.state, run.attempts) == (JobState.SUCCEEDED, 2)
    assert "stopped responding" in (run.error or "")  # what it went through stays readable
    assert delivered() == [(1, True)] and len(received) == 1


def test_a_job_that_keeps_dying_is_failed_not_run_forever(queued_app):
    """After JOBS_MAX_RUNS runs a stalled job is marked failed and not queued again."""
    queued_app.config["JOBS_MAX_RUNS"] = 2
    db.session.add(
        JobRun(
            id="killed-2", name="deliver_webhook", args=[999, "", "", "", 1],
            state=JobState.RUNNING,
            attempts=2, lease_until=utcnow() - timedelta(seconds=1),
        )
    )  # fmt: skip
    db.session.commit()
    (released,) = release_stalled()
    assert released.state == JobState.FAILED and "gave up after 2 runs" in (released.error or "")
    assert get_jobs(queued_app).huey.pending_count() == 0


def test_jobs_status_shows_queued_and_failed_jobs_with_their_error(queued_app, hooked_invite):
    """`flask jobs status` counts the queued webhook, a failed grading run, and lists the
    failure with its error."""
    db.session.add(
        JobRun(
            id="failed-1", name="grade_answer", args=[1], state=JobState.FAILED,
            attempts=1, error="RuntimeError: receiver exploded", finished_at=utcnow(),
        )
    )  # fmt: skip
    db.session.commit()
    result = queued_app.test_cli_runner().invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    table = result.output.split("\n\n")[0].splitlines()[1:]
    rows = {line.split()[0]: line.split()[1:] for line in table}
    # queued, scheduled, running, failed, lost
    assert rows["deliver_webhook"] == ["1", "0", "0", "0", "0"]
    assert rows["grade_answer"][2:] == ["0", "1", "0"]
    assert "RuntimeError: receiver exploded" in result.output


def test_the_sweep_forgets_old_successes_and_keeps_failures(queued_app):
    """Succeeded runs older than JOBS_KEEP_DAYS are deleted; failed ones and recent ones stay."""
    old = utcnow() - timedelta(days=8)
    db.session.add_all(
        [
            JobRun(id="old-ok", name="grade_answer", args=[1], state=JobState.SUCCEEDED,
                   attempts=1, finished_at=old),
            JobRun(id="old-failed", name="grade_answer", args=[1], state=JobState.FAILED,
                   attempts=1, finished_at=old, error="RuntimeError: no"),
            JobRun(id="new-ok", name="grade_answer", args=[1], state=JobState.SUCCEEDED,
                   attempts=1, finished_at=utcnow()),
        ]
    )  # fmt: skip
    db.session.commit()
    assert forget_old_successes() == 1
    assert sorted(db.session.scalars(sa.select(JobRun.id))) == ["new-ok", "old-failed"]
