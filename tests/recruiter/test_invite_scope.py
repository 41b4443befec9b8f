"""A sign-in through an invite link opens only that invite's interview, never the others sent to
the same email by other recruiters."""

from __future__ import annotations

from tests.conftest import JSON
from tests.recruiter.conftest import answer_all, finish, start_invite


def test_two_recruiters_inviting_one_email_cannot_see_each_others_interview(app, api, other_api):
    """The same email invited twice: each link's browser sees only its own session."""
    email = "shared-candidate@example.com"
    plan_a = api.create_plan()
    plan_b = other_api.create_plan()
    link_a = api.invite(plan_a["ai_interview_id"], candidate_email=email)["invite_link"]
    link_b = other_api.invite(plan_b["ai_interview_id"], candidate_email=email)["invite_link"]
    first = start_invite(app, link_a)
    answer_all(first)
    finish(first)
    second = start_invite(app, link_b)
    assert second.session_id != first.session_id
    browser = second.client
    assert browser.get(f"/session/{first.session_id}", headers=JSON).status_code == 404
    assert browser.get(f"/session/{first.session_id}/report", headers=JSON).status_code == 404
    # The account's history and CV library are account pages: a link's sign-in does not reach them.
    assert browser.get("/sessions", headers=JSON).status_code == 403
    assert browser.get("/resumes", headers=JSON).status_code == 403
    assert browser.get(f"/session/{second.session_id}/interview", headers=JSON).status_code == 200
