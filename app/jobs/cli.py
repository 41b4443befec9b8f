"""`flask jobs worker`: run a worker; `flask jobs status`: what is queued, running and failed;
`flask jobs failed`: the runs that failed for good, with their errors; `flask jobs retry`."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from app.i18n import counted
from app.jobs import runs
from app.jobs.engine import get_jobs
from app.jobs.subjects import subject_of
from app.models import JobRun, JobState

jobs_cli = AppGroup("jobs", help="Run and inspect background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", "-w", type=int, default=None, help="Worker threads (JOBS_WORKERS).")
def worker(workers: int | None) -> None:
    """Run jobs from the queue until stopped (SIGINT finishes running jobs; SIGTERM hands them
    back to the queue)."""
    jobs = get_jobs()
    if jobs.immediate:
        raise click.ClickException("JOBS_URL=immediate runs jobs in place; there is no queue.")
    count = workers or int(current_app.config["JOBS_WORKERS"])
    click.echo(f"Worker on {current_app.config['JOBS_URL']} with {counted(count, 'thread')}.")
    jobs.huey.create_consumer(
        workers=count,
        worker_type="thread",
        periodic=True,
        # An idle SQLite queue is polled at most this far apart (Huey's default backs off to
        # 10 s, which a candidate waiting for feedback would feel); Redis blocks instead.
        initial_delay=0.05,
        max_delay=0.5,
    ).run()


@jobs_cli.command("status")
@click.option("--failures", type=int, default=10, help="How many recent failures to show.")
def status(failures: int) -> None:
    """Jobs queued, scheduled (retries), running and failed, by task; recent failures with
    their errors."""
    jobs = get_jobs()
    queued, scheduled = runs.queue_counts(jobs.huey)
    by_state = runs.runs_by_state()
    names = sorted(set(jobs.tasks) | set(queued) | set(scheduled))
    columns = ("queued", "scheduled", JobState.RUNNING, JobState.FAILED, JobState.LOST)
    click.echo(f"{'task':<20}" + "".join(f"{c:>11}" for c in columns))
    for name in names:
        recorded = [by_state[state][name] if state in by_state else 0 for state in columns[2:]]
        cells = [queued[name], scheduled[name], *recorded]
        click.echo(f"{name:<20}" + "".join(f"{c:>11}" for c in cells))
    recent = runs.recent_failures(failures)
    if recent:
        click.echo("\nRecent failures:")
    for run in recent:
        click.echo(
            f"{finished(run)}  {run.name}  {subject_of(run)}  {run.state}  {run.error or ''}"
        )


def finished(run: JobRun) -> str:
    """When the run ended, to the second (UTC), or "-"."""
    return f"{run.finished_at:%Y-%m-%d %H:%M:%S}" if run.finished_at else "-"


def describe(run: JobRun) -> str:
    """One failed run on one line: when, id, job, what it works on, runs, error."""
    return (
        f"{finished(run)}  {run.id}  {run.name}  {subject_of(run)}  runs={run.attempts}  "
        f"{run.error or ''}"
    )


def as_json(run: JobRun) -> dict[str, object]:
    """One failed run for scripts (no raw arguments: a webhook's carry the signed report)."""
    return {
        "id": run.id,
        "job": run.name,
        "subject": subject_of(run),
        "runs": run.attempts,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "error": run.error,
    }


@jobs_cli.command("failed")
@click.option("--limit", type=int, default=50, help="How many, newest first.")
@click.option("--name", default=None, help="Only runs of this job (e.g. plan_session).")
@click.option("--json", "as_list", is_flag=True, help="A JSON list, one object per run.")
def failed(limit: int, name: str | None, as_list: bool) -> None:
    """Runs that failed for good: when, id (for `flask jobs retry`), job, what it works on
    (the interview and its candidate, or the invite and its URL), runs and error."""
    found = runs.failed_runs(limit, name)
    if as_list:
        click.echo(json.dumps([as_json(run) for run in found], indent=2))
        return
    if not found:
        click.echo("No failed jobs.")
        return
    for run in found:
        click.echo(describe(run))
    click.echo(
        f"\n{counted(len(found), 'failed run')}; queue again: flask jobs retry ID… (or --all)."
    )


@jobs_cli.command("retry")
@click.argument("run_ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every failed run (of --name, if given).")
@click.option("--name", default=None, help="With --all: only runs of this job.")
def retry(run_ids: tuple[str, ...], every: bool, name: str | None) -> None:
    """Queue failed runs again by id (or --all); jobs are idempotent, so nothing stored is
    redone."""
    ids = list(run_ids) or ([run.id for run in runs.failed_runs(10_000, name)] if every else [])
    if not ids:
        raise click.UsageError("Give run ids (see `flask jobs failed`) or --all.")
    refused = 0
    for run_id in ids:
        try:
            run = runs.retry_failed(run_id)
        except runs.NotRetryable as error:
            click.echo(str(error), err=True)
            refused += 1
            continue
        click.echo(f"Queued again: {run.id}  {run.name}  {subject_of(run)}  ({run.state})")
    if refused:
        raise SystemExit(1)
