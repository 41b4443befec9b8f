"""Browser-test harness: the real app served on 127.0.0.1 and a headless Debian Chromium.

The app runs in a thread (werkzeug's `make_server`) with APP_ENV testing, a file-backed SQLite in
the test's tmp_path and CSRF switched ON, so the browser posts forms exactly as a user's would.
Playwright's sync API drives `/usr/bin/chromium`; the suite skips cleanly when it is missing.
Every test gets a `shots` helper that saves numbered screenshots to test-output/e2e/<test>/.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from app.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT_ROOT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"


@dataclass
class LiveServer:
    """The running app: its base URL and the Flask app (for looking at the database)."""

    url: str
    app: Flask

    def __call__(self, path: str) -> str:
        """An absolute URL for a path on the server."""
        return self.url + path


def serve(app: Flask) -> tuple[BaseWSGIServer, threading.Thread]:
    """Serve the app on a free port of 127.0.0.1 in a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The real app with CSRF on, over a fresh file-backed SQLite database."""
    database = tmp_path / "e2e.sqlite3"
    app = create_app(
        "testing",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "WTF_CSRF_ENABLED": True,
        },
    )
    with app.app_context():
        db.create_all()
    quiet = logging.getLogger("werkzeug")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # one line per request would bury a failure's real log
    server, thread = serve(app)
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    quiet.setLevel(level)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (each test gets its own context)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile (cookies, storage) with JavaScript on, and downloads allowed."""
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page in the fresh context."""
    return context.new_page()


class Screenshots:
    """Numbered full-page screenshots of each step, in this test's output folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        """Save a screenshot named after the step; returns its path."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Screenshots:
    """The screenshot helper, writing to test-output/e2e/<test name>/ (emptied first)."""
    folder = OUTPUT_ROOT / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return Screenshots(folder)
