"""The feedback page while a worker evaluates: a real browser sees "k of n answers graded" and
the page turns into the feedback by itself — by polling the status with JavaScript, or by its
meta refresh without."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from app.ai.providers.offline import OfflineProvider
from app.extensions import db
from tests.conftest import Worker
from tests.e2e import pages
from tests.e2e.conftest import LiveServer, serve
from tests.support.router import install_router

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e


class SlowGrader(OfflineProvider):
    """The offline interviewer, taking a while to grade and summarise (as a remote model does)."""

    def generate(self, task, request, *, timeout):
        """Sleep before grading and summarising, then answer as the offline interviewer."""
        if task in ("evaluate_answers", "summarize_interview"):
            time.sleep(1.5)
        return super().generate(task, request, timeout=timeout)


@pytest.fixture
def queued_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The real app (CSRF on) whose jobs go to a SQLite queue served by worker threads."""
    app = create_app(
        "testing",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "WTF_CSRF_ENABLED": True,
        },
    )
    install_router(app, SlowGrader())
    with app.app_context():
        db.create_all()
    server, thread = serve(app)
    worker = Worker(app)
    worker.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    worker.stop()
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()


def finish_interview(page, live) -> int:
    """Register, plan 3 questions, answer them fully, press "Get my feedback"; the session."""
    return pages.finish_interview(page, live, pages.strong, email_prefix="progress")


def test_the_feedback_page_shows_progress_then_the_feedback(page, queued_server, shots):
    """Right after the press: the progress line; without a reload by hand, the feedback."""
    finish_interview(page, queued_server)
    expect(page.locator("[data-progress-text]")).to_contain_text("answers graded")
    shots(page, "progress")
    expect(page.locator(".score-big")).to_contain_text("/10", timeout=20_000)
    shots(page, "feedback after progress")


def test_without_javascript_the_progress_page_refreshes_itself(browser, queued_server, shots):
    """JavaScript off: the meta refresh brings the feedback once it is ready."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        finish_interview(page, queued_server)
        expect(page.locator("[data-progress-text]")).to_contain_text("answers graded")
        expect(page.locator(".score-big")).to_contain_text("/10", timeout=20_000)
        shots(page, "feedback after refresh without js")
    finally:
        context.close()
