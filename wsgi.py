"""WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi`; `huey_consumer wsgi.huey`
runs a job worker as well as `flask jobs worker` does."""

from app import create_app
from app.jobs.engine import get_jobs

app = create_app()
huey = get_jobs(app).huey
