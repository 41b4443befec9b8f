"""What every page leans on: the site icon, and a quiet command line."""

import subprocess
import sys
from pathlib import Path

from flask import abort

from app.errors import TOO_LARGE_MESSAGE, error_page, upload_limit_text
from tests.conftest import build_app


def test_the_favicon_is_served_where_browsers_ask(client):
    """/favicon.ico answers with an icon instead of a 404 on every page view."""
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
        assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_pages_link_the_icon(client):
    """The layout names the icon, so browsers need not guess."""
    assert 'rel="icon" href="/favicon.ico"' in client.get("/auth/login").get_data(as_text=True)


def test_flask_commands_do_not_print_alembic_plugin_chatter(tmp_path):
    """A `flask` command prints what it was asked for, not alembic's plugin set-up at INFO."""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", str(root / "wsgi.py"), "routes"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"APP_ENV": "development", "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=True,
    )
    assert "main.favicon" in result.stdout
    assert "alembic.runtime.plugins" not in result.stderr + result.stdout


def test_the_too_large_messages_name_the_configured_limit(app, logged_in):
    """A 413 names the limit in force, not a fixed "10 MB" (UPLOAD_MAX_BYTES is configurable)."""
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    body = {"resume_text": "x" * (3 * 1024 * 1024)}
    response = logged_in.post("/resumes", data=body, headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["message"] == "The upload is larger than the 2 MB limit."
    page = logged_in.post("/resumes", data=body)
    assert "Uploads are limited to 2 MB." in page.get_data(as_text=True)
    assert "up to 2 MB" in logged_in.get("/resumes").get_data(as_text=True)


def test_the_too_large_page_names_the_configured_limit_in_chinese(app):
    """The Chinese 413 page states the limit in force in its message and in its hint."""
    app.config["MAX_CONTENT_LENGTH"] = 3 * 1024 * 1024
    with app.test_request_context("/resumes"):
        page = error_page(413, TOO_LARGE_MESSAGE, "zh", limit=upload_limit_text())
    assert "上传的文件超过了 3 MB 的上限。" in page
    assert "上传文件不能超过 3 MB。" in page
    assert "10 MB" not in page


def test_the_403_page_says_its_sentence_once():
    """Title, message and hint of the 403 page do not restate one another: Werkzeug's stock
    sentence gives way to one that says whose it is and what to do, and no hint repeats it."""
    application = build_app()

    @application.get("/forbidden-probe")
    def forbidden_probe():
        abort(403)

    page = application.test_client().get("/forbidden-probe").get_data(as_text=True)
    section = page[page.index('<section class="narrow card error-page">') :]
    section = section[: section.index("</section>")]
    assert section.count("another account") == 1
    assert "permission to access" not in section
    assert "Sign in with that account to open it." in section
    assert 'class="muted"' not in section
