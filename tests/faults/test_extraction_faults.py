"""The confined reader failing in each way it can — hanging, killed, out of memory, answering
garbage, or every slot taken — gives the uploader a clear answer within the time limit, and the
web process carries on."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest
from flask import Flask

from app.documents import isolation
from tests.conftest import JSON
from tests.fixtures import bombs
from tests.fixtures.documents import docx_with_table, text_pdf
from tests.support.users import login, make_user

TOO_COMPLEX_PDF = "This PDF is too large or complex to read."
TOO_COMPLEX_DOCX = "This Word document is too large or complex to read."


@pytest.fixture
def client(app: Flask):
    """A signed-in user."""
    make_user("uploader@example.com", fast_hash=True)
    client = app.test_client()
    login(client, "uploader@example.com")
    return client


def upload(client, data: bytes, name: str):
    """POST a file as a CV, asking for JSON."""
    form = {"resume_file": (io.BytesIO(data), name)}
    return client.post("/resumes", data=form, headers=JSON, content_type="multipart/form-data")


@pytest.fixture
def fake_reader(monkeypatch, tmp_path: Path):
    """Replace the reader script with one that misbehaves as told (the launch stays real)."""

    def install(body: str) -> None:
        script = tmp_path / "reader.py"
        script.write_text(body, encoding="utf-8")
        monkeypatch.setattr(isolation, "READERS_SCRIPT", str(script))

    return install


def test_a_hanging_reader_is_killed_at_the_deadline(app, client, fake_reader):
    """A reader stuck for a minute is killed at EXTRACT_TIMEOUT_S: 400, not a pinned worker."""
    app.config["EXTRACT_TIMEOUT_S"] = 1.0
    fake_reader("import time\ntime.sleep(60)\n")
    started = time.monotonic()
    response = upload(client, text_pdf(), "cv.pdf")
    assert time.monotonic() - started < 5
    assert response.status_code == 400 and TOO_COMPLEX_PDF in response.get_json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",  # killed (e.g. CPU limit)
        "import sys\nsys.exit(3)\n",  # died with an error
        "print('not json')\n",  # answered garbage
        "print('[1, 2]')\n",  # answered the wrong shape
    ],
)
def test_a_reader_that_dies_or_babbles_is_a_clear_400(client, fake_reader, body):
    """Whatever the child does instead of answering, the user gets "too large or complex"."""
    fake_reader(body)
    response = upload(client, docx_with_table(), "cv.docx")
    assert response.status_code == 400 and TOO_COMPLEX_DOCX in response.get_json()["message"]


def test_the_memory_limit_is_enforced_on_the_real_reader(app, client):
    """With EXTRACT_MEMORY_MB too small for a 24 MB document.xml, the real reader runs out of
    memory and refuses the file (lxml reports exhaustion as a parse error, so the message may be
    "could not be read"); with the default it reads on to the text cap."""
    flood = bombs.docx_text_flood()
    app.config["EXTRACT_MEMORY_MB"] = 100
    starved = upload(client, flood, "cv.docx")
    assert starved.status_code == 400
    assert starved.get_json()["message"].startswith("This Word document")
    app.config["EXTRACT_MEMORY_MB"] = 768
    roomy = upload(client, flood, "cv.docx")
    assert roomy.status_code == 400 and "200,000 characters" in roomy.get_json()["message"]


def test_every_slot_taken_is_a_503_after_waiting(app, client):
    """When EXTRACT_CONCURRENCY readers are already running, an upload waits up to the timeout,
    then gets 503 instead of starting one more child."""
    app.config.update(EXTRACT_CONCURRENCY=1, EXTRACT_TIMEOUT_S=0.3)
    slots = isolation.extraction_slots()
    assert slots.acquire(timeout=1)
    try:
        response = upload(client, text_pdf(), "cv.pdf")
    finally:
        slots.release()
    assert response.status_code == 503 and "Try again" in response.get_json()["message"]
    app.config["EXTRACT_TIMEOUT_S"] = 10.0
    assert upload(client, text_pdf(), "cv.pdf").status_code == 201  # the slot is free again


def test_the_reader_runs_without_the_apps_environment(monkeypatch, client):
    """The child is started isolated (-I) with the same interpreter and an empty environment, so
    a PYTHONPATH or a module named like pypdf in the working directory cannot change what reads
    the file, and a reader subverted by a hostile file finds none of the server's secrets."""
    monkeypatch.setenv("SECRET_KEY", "a-secret-the-reader-must-not-see")
    seen: list[tuple[list[str], dict]] = []
    run = isolation.subprocess.run

    def spy(command, **kwargs):
        seen.append((command, kwargs))
        return run(command, **kwargs)

    monkeypatch.setattr(isolation.subprocess, "run", spy)
    assert upload(client, text_pdf(), "cv.pdf").status_code == 201
    command, options = seen[0]
    assert command[:2] == [sys.executable, "-I"] and options["env"] == {}
