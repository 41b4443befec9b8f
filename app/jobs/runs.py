"""Records of job runs, written from Huey's signals, and the sweep that releases lost jobs.

Huey hands a job to one worker and forgets it; if that worker is killed mid-run the job is gone.
So each run is recorded with a lease (`JOBS_LEASE_S`, default 300 s — above a task's AI deadline):
a run still "running" when its lease ends is taken for lost, marked so with a visible error, and
enqueued again under the same id, up to `JOBS_MAX_RUNS` runs in all; then it is marked failed.
A worker that is stopped abruptly (SIGTERM) hands its interrupted jobs back to the queue at once.
The sweep runs every minute on every consumer; a guarded update lets only one of them act. It
also forgets runs that succeeded more than `JOBS_KEEP_DAYS` (default 7) ago.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey, crontab
from huey import signals as S  # noqa: N812
from huey.api import PeriodicTask, Task

from app.extensions import db
from app.models import JobRun, JobState, utcnow

log = logging.getLogger(__name__)

SWEEP_JOB = "release_stalled_jobs"


def lease_s() -> float:
    """How long a run may take before it is presumed lost."""
    return float(current_app.config.get("JOBS_LEASE_S", 300))


def mark_queued(task: Task) -> None:
    """The job was put on the queue (again)."""
    run = db.session.get(JobRun, task.id)
    if run is None:
        run = JobRun(id=task.id, name=task.name, args=list(task.args or ()), attempts=0)
        db.session.add(run)
    run.state, run.lease_until = JobState.QUEUED, None


def mark_running(task: Task) -> None:
    """A worker started the job (again): count the attempt and start its lease."""
    run = db.session.get(JobRun, task.id)
    if run is None:
        run = JobRun(id=task.id, name=task.name, args=list(task.args or ()), attempts=0)
        db.session.add(run)
    run.state, run.attempts = JobState.RUNNING, run.attempts + 1
    run.started_at, run.finished_at = utcnow(), None
    run.lease_until = run.started_at + timedelta(seconds=lease_s())


def mark_done(task: Task, state: str, error: str | None = None) -> None:
    """The run ended: succeeded, failed, or failed with a retry scheduled. An earlier run's
    error stays on a later success: it tells what the job went through."""
    run = db.session.get(JobRun, task.id)
    if run is None:
        return
    run.state, run.finished_at, run.lease_until = state, utcnow(), None
    if error is not None:
        run.error = error[:2000]


def watch(app: Flask, huey: Huey) -> None:
    """Record every run of the app's jobs (periodic sweeps excepted) in `job_runs`."""

    def recorder(signal: str, task: Task, *args: Any) -> None:
        if isinstance(task, PeriodicTask):
            return
        with app.app_context():
            try:
                record(huey, signal, task, *args)
                db.session.commit()
            except Exception:  # the record must never break the job itself
                log.exception("Could not record %s of job %s", signal, task.id)
            finally:
                db.session.remove()

    huey.signal(
        S.SIGNAL_ENQUEUED, S.SIGNAL_EXECUTING, S.SIGNAL_COMPLETE, S.SIGNAL_ERROR, S.SIGNAL_RETRYING,
        S.SIGNAL_INTERRUPTED,
    )(recorder)  # fmt: skip


def record(huey: Huey, signal: str, task: Task, *args: Any) -> None:
    """Apply one Huey signal to the job's record."""
    if signal == S.SIGNAL_ENQUEUED:
        mark_queued(task)
    elif signal == S.SIGNAL_EXECUTING:
        mark_running(task)
    elif signal == S.SIGNAL_COMPLETE:
        mark_done(task, JobState.SUCCEEDED)
    elif signal == S.SIGNAL_ERROR:
        error = f"{type(args[0]).__name__}: {args[0]}" if args else "error"
        mark_done(task, JobState.RETRYING if task.retries else JobState.FAILED, error)
    elif signal == S.SIGNAL_RETRYING:
        mark_done(task, JobState.RETRYING)
    elif signal == S.SIGNAL_INTERRUPTED:
        mark_done(task, JobState.LOST, "Interrupted: its worker was stopped; queued again.")
        huey.enqueue(task)


def schedule_sweeps(app: Flask, huey: Huey) -> None:
    """Every minute, on each consumer: release runs whose worker died."""

    def sweep() -> None:
        with app.app_context():
            try:
                release_stalled()
                forget_old_successes()
            finally:
                db.session.remove()

    sweep.__name__ = SWEEP_JOB
    huey.periodic_task(crontab(minute="*"), name=SWEEP_JOB)(sweep)


def release_stalled(now: datetime | None = None) -> list[JobRun]:
    """Runs past their lease: queue each again (same id), or fail it after JOBS_MAX_RUNS."""
    from app.jobs.engine import get_jobs

    now = now or utcnow()
    stalled = db.session.scalars(
        sa.select(JobRun).where(JobRun.state == JobState.RUNNING, JobRun.lease_until < now)
    ).all()
    released = []
    for run in stalled:
        if not take_over(run, now):
            continue  # another consumer's sweep got it first
        wrapper = get_jobs().tasks.get(run.name)
        if wrapper is not None and run.state == JobState.LOST:
            task = wrapper.s(*run.args)
            task.id = run.id
            get_jobs().huey.enqueue(task)
        elif run.state == JobState.FAILED:
            give_up(run)
        released.append(run)
    return released


def give_up(run: JobRun) -> None:
    """Tell the job's declaration that its run was given up (see `job(on_give_up=...)`)."""
    from app.jobs.engine import declared

    spec = declared(run.name)
    if spec is None or spec.on_give_up is None:
        return
    try:
        spec.on_give_up(*run.args, run.error or "")
    except Exception:  # the sweep goes on with the other runs
        log.exception("on_give_up of %s %s failed", run.name, run.id)
        db.session.rollback()


def forget_old_successes(now: datetime | None = None) -> int:
    """Delete records of runs that succeeded more than JOBS_KEEP_DAYS ago (failures stay for
    an operator to read); returns how many."""
    days = float(current_app.config.get("JOBS_KEEP_DAYS", 7))
    before = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        sa.delete(JobRun).where(JobRun.state == JobState.SUCCEEDED, JobRun.finished_at < before)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def take_over(run: JobRun, now: datetime) -> bool:
    """Mark one stalled run lost (to run again) or failed; False when someone else did."""
    max_runs = int(current_app.config.get("JOBS_MAX_RUNS", 3))
    again = run.attempts < max_runs
    state = JobState.LOST if again else JobState.FAILED
    note = "queued again" if again else f"gave up after {run.attempts} runs"
    error = f"Its worker stopped responding: unfinished {lease_s():.0f} s after starting; {note}."
    result = db.session.execute(
        sa.update(JobRun)
        .where(JobRun.id == run.id, JobRun.state == JobState.RUNNING)
        .values(state=state, error=error, finished_at=now, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    db.session.refresh(run)
    log.warning("Job %s %s (%s): %s", run.name, run.id, run.args, error)
    return True


def queue_counts(huey: Huey) -> tuple[Counter[str], Counter[str]]:
    """Jobs waiting on the queue and jobs scheduled for later (retries), by name."""
    if huey.immediate:
        return Counter(), Counter()
    queued = Counter(task.name for task in huey.pending())
    scheduled = Counter(task.name for task in huey.scheduled())
    return queued, scheduled


def runs_by_state() -> dict[str, Counter[str]]:
    """How many recorded runs are in each state, by job name."""
    counts: dict[str, Counter[str]] = {}
    rows = db.session.execute(
        sa.select(JobRun.state, JobRun.name, sa.func.count()).group_by(JobRun.state, JobRun.name)
    )
    for state, name, count in rows:
        counts.setdefault(state, Counter())[name] = count
    return counts


def recent_failures(limit: int = 20) -> list[JobRun]:
    """The latest failed or lost runs, newest first, with their errors."""
    return list(
        db.session.scalars(
            sa.select(JobRun)
            .where(JobRun.state.in_([JobState.FAILED, JobState.LOST]))
            .order_by(JobRun.finished_at.desc())
            .limit(limit)
        )
    )


def failed_runs(limit: int = 50, name: str | None = None) -> list[JobRun]:
    """Runs that failed for good (no retry left), newest first, optionally of one job."""
    query = sa.select(JobRun).where(JobRun.state == JobState.FAILED)
    if name:
        query = query.where(JobRun.name == name)
    return list(db.session.scalars(query.order_by(JobRun.finished_at.desc()).limit(limit)))


class NotRetryable(Exception):  # noqa: N818 - a refusal with its reason
    """The run is not a failed run of a job this app knows."""


def retry_failed(run_id: str) -> JobRun:
    """Queue a failed run again under its id (its record shows the new attempt); jobs are
    idempotent, so work already stored is not redone. Raises NotRetryable."""
    from app.jobs.engine import get_jobs

    run = db.session.get(JobRun, run_id)
    if run is None:
        raise NotRetryable(f"No job run {run_id}.")
    if run.state != JobState.FAILED:
        raise NotRetryable(f"Job run {run_id} is {run.state}, not failed.")
    wrapper = get_jobs().tasks.get(run.name)
    if wrapper is None:
        raise NotRetryable(f"Job run {run_id} is of {run.name}, which this app does not declare.")
    task = wrapper.s(*run.args)
    task.id = run.id
    get_jobs().huey.enqueue(task)
    db.session.refresh(run)
    return run


UNFINISHED = (JobState.QUEUED, JobState.RUNNING, JobState.RETRYING)


def unfinished_count() -> int:
    """How many recorded jobs are queued, running or waiting for a retry."""
    query = sa.select(sa.func.count()).where(JobRun.state.in_(UNFINISHED))
    return db.session.scalar(query) or 0
