"""The queue: which Huey storage `JOBS_URL` names, declaring jobs, and enqueueing them."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

from app.errors import AppError
from app.extensions import db

log = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What a queue storage raises when it cannot take a job."""
    errors: list[type[BaseException]] = [OSError, sqlite3.Error]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # the redis extra is not installed: no Redis queue either
        return tuple(errors)
    return (*errors, RedisError)


EXTENSION_KEY = "jobs"
QUEUE_NAME = "interview-coach"
QUEUE_UNAVAILABLE = "The job queue is not reachable right now. Nothing was lost; try again."


@dataclass(frozen=True)
class JobSpec:
    """A job as declared: its function and Huey's retry settings."""

    name: str
    func: Callable[..., Any]
    retries: int = 0
    retry_delay: float = 0
    retry_backoff: float = 0
    # Called with the job's arguments and the reason when the sweep gives a lost job up, so
    # what waited on it (a page saying "preparing") can show the failure and offer a retry.
    on_give_up: Callable[..., None] | None = None
    # Names what a run works on from its arguments ("interview 12 of a@example.com"), for the
    # operator's listings; arguments themselves may be long or private (a webhook's body).
    subject: Callable[..., str] | None = None


# Declarations, like routes on a blueprint: bound to each app's queue by `init_app`.
_declared: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    retries: int = 0,
    retry_delay: float = 0,
    retry_backoff: float = 0,
    on_give_up: Callable[..., None] | None = None,
    subject: Callable[..., str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a job: `enqueue(name, *args)` runs `func(*args)` on a worker, in an app context.
    Arguments must be JSON-simple (ids, strings): they are stored with the job. `on_give_up(*args,
    error)` runs when a lost job has had its JOBS_MAX_RUNS runs; `subject(*args)` names what a
    run works on in `flask jobs` listings."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        spec = JobSpec(name, func, retries, retry_delay, retry_backoff, on_give_up, subject)
        _declared[name] = spec
        return func

    return declare


@dataclass(frozen=True)
class PeriodicSpec:
    """Work the worker does on a schedule (Huey's crontab fields: minute, hour, day, ...)."""

    name: str
    func: Callable[[], Any]
    schedule: dict[str, str]


_periodic: dict[str, PeriodicSpec] = {}


def periodic(name: str, **schedule: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Declare work every worker runs on a schedule, e.g. `@periodic("purge", hour="3",
    minute="17")`. Each worker runs it, so it must be idempotent (every periodic job is)."""

    def declare(func: Callable[[], Any]) -> Callable[[], Any]:
        _periodic[name] = PeriodicSpec(name, func, schedule)
        return func

    return declare


class QueueUnavailable(AppError):
    """The queue's storage (Redis, the SQLite file) refused the job."""

    status = 503

    def __init__(self) -> None:
        super().__init__(QUEUE_UNAVAILABLE)


@dataclass
class Jobs:
    """The app's queue and its bound jobs, kept in `app.extensions["jobs"]`."""

    huey: Huey
    tasks: dict[str, TaskWrapper] = field(default_factory=dict)

    @property
    def immediate(self) -> bool:
        """Whether jobs run in the enqueuing thread (JOBS_URL=immediate)."""
        return bool(self.huey.immediate)


def build_huey(url: str, instance_path: str) -> Huey:
    """The Huey instance for `url`: immediate, sqlite:///FILE or redis://HOST:PORT/DB."""
    if url == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute():
            path = Path(instance_path) / path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Writers wait for each other like the app database's do, instead of failing at 5 s.
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False, timeout=30)
    raise RuntimeError(f"JOBS_URL {url!r}: use immediate, sqlite:///FILE or redis://HOST/DB")


def bind(app: Flask, huey: Huey, spec: JobSpec) -> TaskWrapper:
    """Register one job with the app's queue; each run gets an app context of its own."""

    def run(*args: Any) -> Any:
        with app.app_context():
            try:
                return spec.func(*args)
            finally:
                db.session.remove()

    run.__name__ = spec.name
    return huey.task(
        name=spec.name,
        retries=spec.retries,
        retry_delay=spec.retry_delay,
        retry_backoff=spec.retry_backoff,
    )(run)


def bind_periodic(app: Flask, huey: Huey, spec: PeriodicSpec) -> None:
    """Schedule one periodic job on the app's queue, run in an app context of its own."""

    def run() -> None:
        with app.app_context():
            try:
                spec.func()
            finally:
                db.session.remove()

    run.__name__ = spec.name
    huey.periodic_task(crontab(**spec.schedule), name=spec.name)(run)


def init_app(app: Flask) -> None:
    """Build the app's queue from JOBS_URL and bind every declared job and the run records."""
    from app.jobs import runs
    from app.jobs.declared import import_job_modules

    import_job_modules()
    huey = build_huey(app.config["JOBS_URL"], app.instance_path)
    jobs = Jobs(huey, {name: bind(app, huey, spec) for name, spec in _declared.items()})
    runs.watch(app, huey)
    runs.schedule_sweeps(app, huey)
    for spec in _periodic.values():
        bind_periodic(app, huey, spec)
    app.extensions[EXTENSION_KEY] = jobs


def declared(name: str) -> JobSpec | None:
    """The declaration of a job, by name."""
    return _declared.get(name)


def get_jobs(app: Flask | None = None) -> Jobs:
    """The queue of `app` (default: the current app)."""
    jobs: Jobs = (app or current_app).extensions[EXTENSION_KEY]
    return jobs


def enqueue(name: str, *args: Any, delay: float | None = None) -> None:
    """Put a job on the queue (after `delay` seconds). Call it after the commit that makes its
    work visible: a worker may start at once, and in immediate mode it runs right here."""
    task = get_jobs().tasks[name]
    try:
        if delay:
            task.schedule(args=args, delay=delay)
        else:
            task(*args)
    except _storage_errors() as error:
        log.error("Could not enqueue %s%s: %s", name, args, error)
        raise QueueUnavailable() from error


def drain(app: Flask, timeout: float = 30.0) -> None:
    """Wait until no job is queued, scheduled or running (tests, benchmarks, scripts). With
    JOBS_URL=immediate, run the scheduled jobs (retries) as their time comes."""
    from app.jobs.runs import unfinished_count

    huey = get_jobs(app).huey
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if huey.immediate:
                for task in huey.read_schedule(huey._get_timestamp()):
                    huey.execute(task)
                idle = not huey.scheduled_count()
            else:
                idle = not unfinished_count()
            db.session.remove()
        if idle:
            return
        time.sleep(0.02)
    raise TimeoutError(f"jobs still pending after {timeout} s")
