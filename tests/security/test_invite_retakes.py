"""An interview taken through a recruiter's invite is taken once: once its answers are in, the
candidate cannot delete it to reset the invite and try again until the score pleases."""

from __future__ import annotations

import html

import pytest
from flask import Flask

from app.extensions import db
from app.models import Feedback, InterviewSession, Invite, Report
from tests.conftest import JSON, count_rows
from tests.recruiter.conftest import (
    Api,
    Candidate,
    answer_all,
    make_recruiter,
    start_invite,
    take_interview,
)

KEPT = "stays on the recruiter's record"


@pytest.fixture
def api(app: Flask) -> Api:
    """A recruiter's API client."""
    _, key = make_recruiter("hiring@example.com")
    return Api(app.test_client(), key)


def invite_link(api: Api) -> tuple[str, int]:
    """A fresh plan with one invite: (invite link, response id)."""
    plan = api.create_plan()
    data = api.invite(plan["ai_interview_id"])
    return data["invite_link"], data["response_id"]


def delete(candidate: Candidate, **kwargs):
    """The candidate presses Delete on their interview."""
    return candidate.client.post(f"/session/{candidate.session_id}/delete", **kwargs)


def test_an_evaluated_invite_interview_cannot_be_deleted(app, api):
    """After the report exists, delete is refused (409): the session, its report and the
    invite's Completed status and score are all still there for the recruiter."""
    link, response_id = invite_link(api)
    candidate = take_interview(app, link)
    before = api.report(response_id)
    assert before["invite_status"] == "Completed"

    refused = delete(candidate, headers=JSON)
    assert refused.status_code == 409
    assert KEPT in refused.get_json()["message"]

    db.session.expire_all()
    assert db.session.get(InterviewSession, candidate.session_id) is not None
    assert count_rows(Report) == 1 and count_rows(Feedback) == 1
    invite = db.session.get_one(Invite, response_id)
    assert (invite.status, invite.session_id) == ("Completed", candidate.session_id)
    after = api.report(response_id)
    assert after["invite_status"] == "Completed" and after["score"] == before["score"]


def test_the_invite_link_cannot_start_a_second_attempt_after_a_refused_delete(app, api):
    """Opening the invite link again leads back to the same finished interview, not a new one."""
    link, response_id = invite_link(api)
    candidate = take_interview(app, link)
    assert delete(candidate).status_code == 302
    again = app.test_client().post(link.split("localhost", 1)[1] + "/start")
    assert again.status_code in (302, 409)
    assert count_rows(InterviewSession) == 1
    assert db.session.get_one(Invite, response_id).session_id == candidate.session_id


def test_a_browser_is_told_why_and_sent_back_to_the_interview(app, api):
    """The page version: back to the interview with the reason shown, nothing deleted."""
    link, _ = invite_link(api)
    candidate = take_interview(app, link)
    response = delete(candidate)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/session/{candidate.session_id}")
    page = html.unescape(candidate.client.get(response.headers["Location"]).get_data(as_text=True))
    assert KEPT in page
    assert "Delete this interview" not in page  # no button that can only fail
    listing = candidate.client.get("/sessions").get_data(as_text=True)
    assert f"/session/{candidate.session_id}/delete" not in listing
    assert db.session.get(InterviewSession, candidate.session_id) is not None


def test_an_answered_but_not_yet_evaluated_invite_interview_cannot_be_deleted(app, api):
    """Every answer in, report not yet made: already submitted, so already kept."""
    link, response_id = invite_link(api)
    candidate = start_invite(app, link)
    answer_all(candidate)
    assert db.session.get_one(InterviewSession, candidate.session_id).status == "COMPLETED"
    assert delete(candidate, headers=JSON).status_code == 409
    assert db.session.get_one(Invite, response_id).session_id == candidate.session_id


def test_an_unfinished_invite_interview_can_still_be_deleted_and_restarted(app, api):
    """Before any submission the candidate may still throw a start away (the invite waits)."""
    link, response_id = invite_link(api)
    candidate = start_invite(app, link)
    assert delete(candidate, headers=JSON).status_code == 200
    assert db.session.get_one(Invite, response_id).status == "Pending"


def test_a_practice_interview_of_ones_own_can_be_deleted_when_evaluated(app, world):
    """The rule is about invites: an evaluated rehearsal of one's own is deleted as before."""
    client = app.test_client()
    client.post("/auth/login", data={"email": world.owner.email, "password": "password123"})
    response = client.post(f"/session/{world.evaluated.id}/delete", headers=JSON)
    assert response.status_code == 200
    assert db.session.get(InterviewSession, world.evaluated.id) is None
