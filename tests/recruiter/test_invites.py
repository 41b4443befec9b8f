"""Invites: creating them, and the candidate's passwordless way in through the link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import InterviewSession, Invite, User
from app.models.user import hash_token
from tests.conftest import count_rows
from tests.recruiter.conftest import start_invite
from tests.support.sessions import SAMPLE_CV
from tests.support.users import make_user


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture
def plan(api) -> dict:
    """A three-question plan."""
    return api.create_plan()


def test_invite_returns_id_absolute_link_and_pending(api, plan):
    """The response is exactly {response_id, invite_link, invite_status: "Pending"}; only the
    link token's hash is stored."""
    data = api.invite(plan["ai_interview_id"])
    assert set(data) == {"response_id", "invite_link", "invite_status"}
    assert isinstance(data["response_id"], int) and data["invite_status"] == "Pending"
    link = urlsplit(data["invite_link"])
    assert link.scheme == "http" and link.netloc == "localhost" and link.path.startswith("/invite/")
    token = link.path.rsplit("/", 1)[1]
    assert len(token) >= 40
    invite = db.session.get(Invite, data["response_id"])
    assert invite.token_hash == hash_token(token) and token not in invite.token_hash


def test_invite_link_uses_public_base_url(app, api, plan):
    """Behind a proxy the link uses PUBLIC_BASE_URL."""
    app.config["PUBLIC_BASE_URL"] = "https://coach.example.com/"
    link = api.invite(plan["ai_interview_id"])["invite_link"]
    assert link.startswith("https://coach.example.com/invite/")


def test_candidate_gets_an_invite_only_account(api, plan):
    """The candidate's account exists from the start, with no password."""
    data = api.invite(plan["ai_interview_id"], candidate_email="New.Person@Example.com")
    invite = db.session.get(Invite, data["response_id"])
    user = db.session.get(User, invite.candidate_id)
    assert user.email == "new.person@example.com" and user.password_hash is None
    assert user.name == "Casey Candidate"


def test_duplicate_custom_field_id_is_409_per_recruiter(api, other_api, plan):
    """A recruiter's custom_field_id names one invite; another recruiter may reuse the value."""
    api.invite(plan["ai_interview_id"], custom_field_id="CAND-1")
    again = api.post("/ai-interviews/invite", {
        "ai_interview_id": plan["ai_interview_id"], "candidate_name": "B",
        "candidate_email": "b@example.com", "custom_field_id": "CAND-1"})  # fmt: skip
    assert again.status_code == 409 and "CAND-1" in again.get_json()["error"]
    theirs = other_api.create_plan()
    assert other_api.invite(theirs["ai_interview_id"], custom_field_id="CAND-1")["response_id"]
    assert count_rows(Invite) == 2


def test_numeric_custom_field_id_is_kept_as_a_string(api, plan):
    """A custom_field_id sent as a number is stored (and returned) as a string."""
    data = api.invite(plan["ai_interview_id"], custom_field_id=12345)
    assert api.report(data["response_id"])["custom_field_id"] == "12345"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"ai_interview_id": None}, 400, "ai_interview_id is required"),
        ({"ai_interview_id": "abc"}, 400, "ai_interview_id is required"),
        ({"ai_interview_id": 999}, 404, "AI interview not found"),
        ({"candidate_name": ""}, 400, "candidate_name is required"),
        ({"candidate_email": "not-an-email"}, 400, "candidate_email must be a valid email"),
        ({"candidate_email": None}, 400, "candidate_email is required"),
        ({"expiry_date": "31/12/2030"}, 400, "expiry_date must be an ISO 8601"),
        ({"expiry_date": "2001-01-01"}, 400, "expiry_date must be in the future"),
        ({"custom_field_id": "x" * 201}, 400, "custom_field_id must be at most 200"),
    ],
)
def test_invalid_invites(api, plan, change, status, message):
    """Each invalid field is refused with its own message; nothing is stored."""
    body = {"ai_interview_id": plan["ai_interview_id"], "candidate_name": "C",
            "candidate_email": "c@example.com", **change}  # fmt: skip
    response = api.post("/ai-interviews/invite", body)
    assert response.status_code == status
    assert response.get_json()["error"].startswith(message)
    assert count_rows(Invite) == 0


def test_cannot_invite_to_another_recruiters_plan(api, other_api):
    """Another recruiter's plan id is not found."""
    theirs = other_api.create_plan()
    response = api.post("/ai-interviews/invite", {"ai_interview_id": theirs["ai_interview_id"],
                        "candidate_name": "C", "candidate_email": "c@example.com"})  # fmt: skip
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [("2030-06-30", datetime(2030, 6, 30, 23, 59, 59, 999999)),
     ("2030-06-30T12:00:00Z", datetime(2030, 6, 30, 12, 0)),
     ("2030-06-30T14:00:00+02:00", datetime(2030, 6, 30, 12, 0))],
)  # fmt: skip
def test_expiry_date_forms(api, plan, expiry, expected):
    """A date is valid to the end of that day (UTC); datetimes are converted to UTC."""
    data = api.invite(plan["ai_interview_id"], expiry_date=expiry)
    assert db.session.get(Invite, data["response_id"]).expires_at == expected


def test_invite_page_offers_cv_and_start(client, api, plan):
    """The link opens a page with the role, an optional CV (file or text) and a start button."""
    path = urlsplit(api.invite(plan["ai_interview_id"])["invite_link"]).path
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Backend Engineer" in html and "Casey Candidate" in html
    assert 'name="resume_file"' in html and 'name="resume_text"' in html
    assert "Start the interview" in html and f'action="{path}/start"' in html


def test_unknown_invite_link_is_a_404_page(client, api):
    """A wrong token shows a friendly HTML 404, not JSON."""
    response = client.get("/invite/not-a-real-token")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "invite link is not valid" in response.get_data(as_text=True)


def expire(response_id: int) -> None:
    """Move an invite's expiry into the past."""
    db.session.execute(
        sa.update(Invite)
        .where(Invite.id == response_id)
        .values(expires_at=now() - timedelta(minutes=1))
    )
    db.session.commit()


def test_expired_invite_shows_410_and_reads_expired(client, api, plan):
    """After expiry the link shows a clear "expired" page (410), start is refused, and the
    report's status reads Expired."""
    data = api.invite(plan["ai_interview_id"], expiry_date="2030-01-01")
    expire(data["response_id"])
    path = urlsplit(data["invite_link"]).path
    page = client.get(path)
    assert page.status_code == 410 and "has expired" in page.get_data(as_text=True)
    assert client.post(path + "/start").status_code == 410
    assert count_rows(InterviewSession) == 0
    assert api.report(data["response_id"])["invite_status"] == "Expired"
    assert db.session.get(Invite, data["response_id"]).status == "Expired"


def test_start_without_cv_plans_the_plan_and_signs_in(app, api, plan):
    """Start with no CV and no password: the plan's interview is planned, the candidate is
    signed in on the interview page, and the invite reads Started."""
    data = api.invite(plan["ai_interview_id"])
    candidate = start_invite(app, data["invite_link"])
    session = db.session.get(InterviewSession, candidate.session_id)
    assert session.plan_id == plan["ai_interview_id"] and session.question_count == 3
    assert len(session.main_questions) == 3 and session.job_title == "Backend Engineer"
    assert session.must_haves == plan["must_haves"]
    page = candidate.client.get(f"/session/{session.id}/interview")
    assert page.status_code == 200 and "Question 1 of 3" in page.get_data(as_text=True)
    invite = db.session.get(Invite, data["response_id"])
    assert invite.status == "Started" and invite.started_at and invite.session_id == session.id
    assert session.user_id == invite.candidate_id
    assert api.report(data["response_id"])["invite_status"] == "Started"


def test_start_with_cv_text_uses_it(app, api, plan):
    """A pasted CV is the one the interview is planned from."""
    data = api.invite(plan["ai_interview_id"])
    candidate = start_invite(app, data["invite_link"], resume_text=SAMPLE_CV)
    session = db.session.get(InterviewSession, candidate.session_id)
    assert "Acme Corp" in session.resume_text


def test_start_with_cv_file(app, api, plan):
    """An uploaded CV file works too."""
    import io

    data = api.invite(plan["ai_interview_id"])
    upload = (io.BytesIO(SAMPLE_CV.encode()), "cv.txt")
    candidate = start_invite(app, data["invite_link"], resume_file=upload)
    assert "Globex" in db.session.get(InterviewSession, candidate.session_id).resume_text


def test_unreadable_cv_keeps_the_invite_pending(client, api, plan):
    """A CV that is too short is refused on the invite page; nothing starts."""
    path = urlsplit(api.invite(plan["ai_interview_id"])["invite_link"]).path
    response = client.post(path + "/start", data={"resume_text": "too short"})
    assert response.status_code == 400
    assert "at least 50 characters" in response.get_data(as_text=True)
    assert count_rows(InterviewSession) == 0
    assert db.session.scalar(sa.select(Invite.status)) == "Pending"


def test_starting_twice_continues_the_same_interview(app, api, plan):
    """A second press of start (or another browser) continues the same session."""
    data = api.invite(plan["ai_interview_id"])
    first = start_invite(app, data["invite_link"])
    path = urlsplit(data["invite_link"]).path
    assert "Continue the interview" in first.client.get(path).get_data(as_text=True)
    second = start_invite(app, data["invite_link"])
    assert second.session_id == first.session_id
    assert count_rows(InterviewSession) == 1


def test_existing_password_account_must_sign_in(app, client, api, plan):
    """An invite never signs in to an account that has a password: its owner signs in first."""
    make_user(email="casey@example.com", password="password123")
    data = api.invite(plan["ai_interview_id"])
    path = urlsplit(data["invite_link"]).path
    response = client.post(path + "/start")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert count_rows(InterviewSession) == 0
    assert client.get("/sessions").status_code == 302  # still signed out
    client.post("/auth/login", data={"email": "casey@example.com", "password": "password123"})
    started = client.post(path + "/start")
    assert started.status_code == 302 and started.headers["Location"].endswith("/interview")


def test_invite_pages_need_csrf_when_enabled(app, client, api, plan):
    """The start form is a normal form: with CSRF on, a post without the token is refused."""
    path = urlsplit(api.invite(plan["ai_interview_id"])["invite_link"]).path
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(path + "/start").status_code == 400
    assert 'name="csrf_token"' in client.get(path).get_data(as_text=True)


def test_candidate_who_deleted_the_interview_can_start_again(app, api, plan):
    """If the candidate deletes the started interview, the link starts a fresh one."""
    data = api.invite(plan["ai_interview_id"])
    first = start_invite(app, data["invite_link"])
    assert first.client.post(f"/session/{first.session_id}/delete").status_code == 302
    # With its interview gone, the invite waits to be taken again.
    assert api.report(data["response_id"])["invite_status"] == "Pending"
    second = start_invite(app, data["invite_link"])
    assert count_rows(InterviewSession) == 1  # (SQLite may reuse the deleted row's id)
    assert db.session.get(Invite, data["response_id"]).session_id == second.session_id
    assert db.session.get(Invite, data["response_id"]).status == "Started"


def test_a_start_that_fails_to_plan_can_be_retried_at_once(app, api, plan):
    """If every AI provider fails while the planning job runs, the started interview is kept
    and its page offers a retry, which plans it once a provider answers again."""
    from urllib.parse import urlsplit

    from tests.support.providers import FakeModel
    from tests.support.router import install_router, restore_router

    data = api.invite(plan["ai_interview_id"])
    path = urlsplit(data["invite_link"]).path
    install_router(app, FakeModel(down=True))
    browser = app.test_client()
    started = browser.post(path + "/start")
    assert started.status_code == 302 and started.location.endswith("/interview")
    invite = db.session.get_one(Invite, data["response_id"])
    assert invite.status == "Started" and invite.session_id is not None
    page = browser.get(started.location).get_data(as_text=True)
    assert "Your questions could not be prepared" in page
    restore_router(app)  # the offline interviewer plans the retry
    retried = browser.post(f"/session/{invite.session_id}/plan")
    assert retried.status_code == 302
    assert "Question 1 of" in browser.get(started.location).get_data(as_text=True)
