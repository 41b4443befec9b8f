"""GET /session/<id>/feedback: the page, its JSON face (seed 001), the states before evaluation,
and model Markdown made inert."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import utcnow
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, evaluated_session
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user

HOSTILE = {
    "strengths": ["Clear <script>alert('s')</script> answers", "<img src=x onerror=alert(1)> tidy"],
    "weaknesses": [
        "See [this](javascript:alert(1)) guide",
        "<iframe src='https://evil.example'></iframe>",
    ],
    "cv_improvements": (
        "1. **Quantify** results\n2. <script>alert('cv')</script>\n"
        '3. [click](javascript:alert(2)) and <a href="javascript:alert(3)">raw</a>\n'
        '4. <div onclick="alert(4)">raw html</div>'
    ),
    "overall_feedback": "Good. <script>alert('o')</script> [x](javascript:alert(5))",
}


def test_the_page_shows_score_band_meaning_lists_date_role_and_links(logged_in, user, fake):
    """Score 1–10 with band and its meaning, Markdown lists rendered, role, company, links."""
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/feedback").get_data(as_text=True)
    # Every answer graded 70: the report's "Adequate" band, so 6/10 "Adequate" here too.
    assert '<span class="value">6</span>' in page and "Adequate" in page
    assert "Acceptable, with significant room for improvement" in page
    assert "<li>Explains cache-aside clearly</li>" in page
    assert "<li>Skipped index selectivity</li>" in page
    assert "<strong>Quantify</strong> the Redis work." in page
    assert "Backend Engineer" in page and "Acme" in page
    assert utcnow().strftime("%Y-%m-%d") in page
    assert f'href="/session/{session.id}/report"' in page
    assert f'href="/session/{session.id}/report.pdf"' in page


def test_json_matches_seed_001(logged_in, user, fake):
    """{feedback: {id, session_id, interview_score, strengths, weaknesses, cv_improvements,
    created_at}, session: {id, job_title, company_name}} with Markdown strings."""
    session = evaluated_session(logged_in, user)
    body = logged_in.get(f"/session/{session.id}/feedback", headers=JSON).get_json()
    assert body["code"] == 200 and body["message"] == "success"
    data = body["data"]
    assert set(data) == {"feedback", "session"}
    assert set(data["feedback"]) == {
        "id", "session_id", "interview_score", "strengths", "weaknesses", "cv_improvements",
        "created_at",
    }  # fmt: skip
    assert data["session"] == {
        "id": session.id,
        "job_title": "Backend Engineer",
        "company_name": "Acme",
    }
    feedback = data["feedback"]
    assert feedback["session_id"] == session.id and feedback["interview_score"] == 6
    assert feedback["strengths"].startswith("- Explains cache-aside clearly\n- ")
    assert feedback["created_at"].endswith("Z")


@pytest.mark.parametrize(
    "answers", [None, [ANSWERS[0], None, None]], ids=["created", "in-progress"]
)
def test_an_unfinished_interview_has_no_feedback(logged_in, user, fake, answers):
    """400 "Interview not completed" for CREATED and IN_PROGRESS, as a page and as JSON."""
    session = make_session(user, answers=answers)
    url = f"/session/{session.id}/feedback"
    assert logged_in.get(url).status_code == 400
    response = logged_in.get(url, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["message"] == "Interview not completed"


def test_a_completed_interview_offers_the_get_my_feedback_button(app, logged_in, user, fake):
    """COMPLETED but not evaluated: a page whose form posts to complete with CSRF and a busy label;
    JSON clients are told the feedback does not exist yet."""
    app.config["WTF_CSRF_ENABLED"] = True
    session = make_session(user, answers=list(ANSWERS))
    page = logged_in.get(f"/session/{session.id}/feedback").get_data(as_text=True)
    assert f'action="/session/{session.id}/complete"' in page
    assert 'data-busy="Evaluating your answers…"' in page and "Get my feedback" in page
    assert 'name="csrf_token" value="' in page
    assert fake.calls == {}
    response = logged_in.get(f"/session/{session.id}/feedback", headers=JSON)
    assert response.status_code == 404
    assert response.get_json()["message"] == "Feedback for session not found."


def test_the_complete_form_works_with_its_csrf_token(app, logged_in, user, fake):
    """With CSRF on, the button's form (token included) evaluates; a bare post is refused."""
    from tests.conftest import csrf_token_from

    app.config["WTF_CSRF_ENABLED"] = True
    session = make_session(user, answers=list(ANSWERS))
    url = f"/session/{session.id}/complete"
    assert logged_in.post(url).status_code == 400
    token = csrf_token_from(logged_in.get(f"/session/{session.id}/feedback").get_data(as_text=True))
    response = logged_in.post(url, data={"csrf_token": token})
    assert response.status_code == 302 and fake.calls["evaluate_answers"] == 1


def test_while_another_request_evaluates_the_page_says_so(logged_in, user, fake):
    """A fresh claim held elsewhere: the page explains, without a second button."""
    session = make_session(user, answers=list(ANSWERS))
    session.evaluation_claimed_at = utcnow()
    db.session.commit()
    page = logged_in.get(f"/session/{session.id}/feedback").get_data(as_text=True)
    assert "being prepared" in page and "/complete" not in page


def test_another_users_feedback_is_404_like_an_unknown_one(logged_in, fake):
    """Ownership is checked before anything is shown, and reveals nothing about existence."""
    other = make_user(email="other@example.com")
    session = make_session(other, answers=list(ANSWERS))
    foreign = logged_in.get(f"/session/{session.id}/feedback", headers=JSON)
    assert foreign.status_code == 404 and foreign.get_json()["message"] == "Session not found"
    response = logged_in.get("/session/4242/feedback", headers=JSON)
    assert response.status_code == 404 and response.get_json()["message"] == "Session not found"


def test_model_markdown_with_scripts_links_and_html_comes_out_inert(app, logged_in, user):
    """<script>, javascript: links, event handlers and iframes from a model never reach the page
    as markup; the Markdown around them still renders."""
    install_router(app, FakeModel(summary=HOSTILE))
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/feedback").get_data(as_text=True)
    body = page.split('<main class="container">', 1)[1]
    assert "<script" not in body and "javascript:" not in body
    assert "onerror" not in body and "onclick" not in body and "<iframe" not in body
    assert "<strong>Quantify</strong>" in body
