"""The stored CV text is capped wherever a CV enters — pasted or uploaded in the library, on the new
interview form, on an invite's start page — and uploads are rate limited per IP address."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import InterviewSession, Invite, Resume
from tests.conftest import JSON, build_app, prepare_schema
from tests.fixtures.documents import text_pdf
from tests.security.conftest import invite_through_api
from tests.support.sessions import SAMPLE_JD
from tests.support.users import issue_token, login, make_user

TOO_LONG = "longer than 200,000 characters"
LINE = "Built payment services in Go and PostgreSQL; led a team of six engineers.\n"


def cv_of(chars: int) -> str:
    """A plausible CV text of exactly `chars` characters (no trailing space for the cleaner)."""
    text = (LINE * (chars // len(LINE) + 1))[: chars - 1]
    return text + "x"


@pytest.fixture
def client(app: Flask, world):
    """The owner signed in."""
    client = app.test_client()
    login(client, world.owner.email)
    return client


def count(model) -> int:
    """Rows of a model."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_pasted_cv_over_the_limit_is_refused(client):
    """Pasting more than RESUME_MAX_CHARS into the library is a 400 that says so; nothing stored."""
    before = count(Resume)
    response = client.post("/resumes", data={"resume_text": cv_of(200_001)}, headers=JSON)
    assert response.status_code == 400 and TOO_LONG in response.get_json()["message"]
    assert count(Resume) == before


def test_pasted_cv_at_the_limit_is_kept(client):
    """Exactly RESUME_MAX_CHARS characters is still a CV."""
    response = client.post("/resumes", data={"resume_text": cv_of(200_000)}, headers=JSON)
    assert response.status_code == 201 and response.get_json()["data"]["text_length"] == 200_000


def test_uploaded_text_file_over_the_limit_is_refused(client):
    """A text file over the cap is refused, not stored whole (kept under 500 KB: beyond, the
    test client spools the body to a file it never closes)."""
    data = {"resume_file": (io.BytesIO(cv_of(400_000).encode()), "cv.txt")}
    response = client.post("/resumes", data=data, headers=JSON, content_type="multipart/form-data")
    assert response.status_code == 400 and TOO_LONG in response.get_json()["message"]


def test_long_cv_on_the_new_interview_form_is_refused_in_the_users_language(client):
    """The new interview form applies the same cap, in Chinese for a Chinese interview."""
    form = {"resume_text": cv_of(300_000), "job_description": SAMPLE_JD}
    english = client.post("/sessions/new", data=form, headers=JSON)
    assert english.status_code == 400 and TOO_LONG in english.get_json()["message"]
    chinese = client.post("/sessions/new", data={**form, "language": "zh"}, headers=JSON)
    assert chinese.status_code == 400 and "200,000个字符" in chinese.get_json()["message"]
    assert count(InterviewSession) == 3  # the world's sessions only


def test_long_cv_on_an_invite_is_refused_and_the_invite_stays_pending(app: Flask):
    """A candidate pasting a huge CV on the invite page gets the message; nothing starts."""
    key = issue_token(make_user("recruiter@example.com", fast_hash=True), "ats", kind="recruiter")
    invite = invite_through_api(app.test_client(), key, "Casey", "casey@example.com")
    path = urlsplit(invite["invite_link"]).path
    response = app.test_client().post(path + "/start", data={"resume_text": cv_of(250_000)})
    assert response.status_code == 400 and TOO_LONG in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Invite.status)) == "Pending"


def upload(client, path: str = "/resumes", **form):
    """POST a small real PDF as a CV (JSON answer)."""
    data = {"resume_file": (io.BytesIO(text_pdf()), "cv.pdf"), **form}
    return client.post(path, data=data, headers=JSON, content_type="multipart/form-data")


def test_uploads_are_rate_limited_per_ip_across_forms():
    """UPLOAD_LIMIT_PER_IP counts requests carrying a file, on every form that takes one: past it,
    429 with Retry-After. Pasted text is not counted."""
    app = build_app(
        RATELIMIT_ENABLED=True,
        UPLOAD_LIMIT_PER_IP="2 per minute",
        RATELIMIT_STORAGE_URI="memory://",
    )
    with app.app_context():
        prepare_schema(app)
        make_user("limited@example.com", fast_hash=True)
        client = app.test_client()
        login(client, "limited@example.com")
        assert upload(client).status_code == 201
        pasted = client.post("/resumes", data={"resume_text": cv_of(500)}, headers=JSON)
        assert pasted.status_code == 201
        new = upload(client, "/sessions/new", job_description=SAMPLE_JD)
        assert new.status_code == 201
        refused = upload(client)
        assert refused.status_code == 429 and refused.headers.get("Retry-After")
        assert refused.get_json()["code"] == 429
        again = client.post("/resumes", data={"resume_text": cv_of(600)}, headers=JSON)
        assert again.status_code == 201
        db.session.remove()
