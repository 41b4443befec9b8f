"""Background jobs: AI work and webhooks run on a Huey queue, off the request path.

Huey serves both ends with one API: the embedded default keeps the queue in a SQLite file under
`instance/` (`make run` starts a worker beside the dev server), and `JOBS_URL=redis://…` shares
one queue between any number of app servers and worker processes (`flask jobs worker`).
`JOBS_URL=immediate` runs each job in the calling thread when it is enqueued (tests, scripts).

Jobs are plain functions declared with `@job(...)` in the package that owns the work; `init_app`
binds them to the app's queue, each run inside an app context; `@periodic(...)` declares work
the worker runs on a schedule (the daily purge of expired recordings). Every job is idempotent:
it reads what is left to do from the database, so running one twice (a retry, a lost worker)
does no harm.
"""

from app.jobs.engine import enqueue, init_app, job, periodic

__all__ = ["enqueue", "init_app", "job", "periodic"]
