"""Try again: a new answer to a graded question is graded the same way, kept beside the first,
and compared with the last grade."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt
from tests.conftest import JSON, count_rows
from tests.practice.helpers import INDEX_ANSWER, WEAK_INDEX_ANSWER, first_question, weak_session
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session


def attempts_url(session_id: int, question_id: int) -> str:
    """The try-again route of a question."""
    return f"/session/{session_id}/questions/{question_id}/attempts"


def test_a_better_answer_shows_its_delta_and_keeps_the_first(logged_in, user):
    """A stronger second answer scores higher, names the points it now covers and what is still
    missing, and leaves the original answer and grade untouched."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    first_score, first_missed = question.score, list(question.missed_points)
    response = logged_in.post(
        attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["previous_score"] == first_score
    assert data["score"] > first_score
    assert data["delta"] == data["score"] - first_score
    assert set(data) == {
        "attempt",
        "score",
        "previous_score",
        "delta",
        "covered_points",
        "missed_points",
    }
    newly = data["attempt"]["newly_covered"]
    assert newly and all(point in first_missed for point in newly)
    assert data["attempt"]["summary"].startswith(f"{first_score} → {data['score']}: now covers")
    again = first_question(session)
    assert (again.answer_text, again.score) == (WEAK_INDEX_ANSWER, first_score)


def test_the_next_try_is_compared_with_the_last_one(logged_in, user):
    """A third answer's previous score is the second's, not the original's."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    url = attempts_url(session.id, question.id)
    second = logged_in.post(url, data={"answer": INDEX_ANSWER}, headers=JSON).get_json()["data"]
    third = logged_in.post(url, data={"answer": WEAK_INDEX_ANSWER}, headers=JSON).get_json()
    assert third["data"]["previous_score"] == second["score"]
    assert third["data"]["attempt"]["number"] == 2
    assert third["data"]["delta"] < 0


def test_attempts_appear_in_the_session_detail_json_and_page(logged_in, user):
    """The detail JSON lists each question's attempts; the page shows the delta sentence."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    logged_in.post(attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER})
    detail = logged_in.get(f"/session/{session.id}", headers=JSON).get_json()["data"]
    tries = {q["id"]: q["attempts"] for q in detail["questions"]}
    assert len(tries[question.id]) == 1 and tries[question.id][0]["answer_text"] == INDEX_ANSWER
    assert all(not t for qid, t in tries.items() if qid != question.id)
    page = logged_in.get(f"/session/{session.id}").get_data(as_text=True)
    assert "Your other tries" in page and "now covers" in page and "Answer this again" in page


def test_the_browser_is_sent_back_to_the_question_with_the_delta(logged_in, user):
    """A form post redirects to the new try on the detail page and flashes the delta."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    response = logged_in.post(attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER})
    assert response.status_code == 302
    attempt = db.session.scalar(sa.select(Attempt))
    assert attempt is not None and attempt.question_id == question.id
    assert response.headers["Location"].endswith(f"/session/{session.id}#attempt-{attempt.id}")
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{question.score} →" in page


def test_the_same_grading_path_grades_the_attempt(app, logged_in, user):
    """With a remote model configured, the attempt is graded by it, as the answers were."""
    model = FakeModel(score_for=lambda item: 64)
    install_router(app, model)
    session = weak_session(logged_in, user)
    question = first_question(session)
    before = model.calls["evaluate_answers"]
    data = logged_in.post(
        attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    ).get_json()["data"]
    assert model.calls["evaluate_answers"] == before + 1
    assert data["score"] == 64 and data["attempt"]["graded_by"] == "fake/fake-model-1"
    sent = model.requests[-1][1]
    assert INDEX_ANSWER in str(sent) and WEAK_INDEX_ANSWER not in str(sent)


def test_a_grader_outage_stores_nothing(app, logged_in, user):
    """When no provider can grade, the answer is refused with a 503 and no attempt is kept."""
    session = weak_session(logged_in, user)
    install_router(app, FakeModel(down=True))
    question = first_question(session)
    response = logged_in.post(
        attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    assert response.status_code == 503
    assert count_rows(Attempt) == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [("   ", "Write your new answer"), ("x" * 10_001, "the limit is 10,000")],
)
def test_a_refused_answer_keeps_the_text_in_the_form(logged_in, user, answer, message):
    """Blank or over-long answers get a 400 with the reason, and the page keeps the text."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    url = attempts_url(session.id, question.id)
    response = logged_in.post(url, data={"answer": answer}, headers=JSON)
    assert response.status_code == 400 and message in response.get_json()["message"]
    page = logged_in.post(url, data={"answer": answer})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html and '<details class="try-again" open>' in html
    assert count_rows(Attempt) == 0


def test_a_refused_answer_sent_from_the_report_comes_back_to_its_card(logged_in, user):
    """Answered again from the report and refused: the report page again (not the session
    page), with that card's form open, the message beside it and the typed text kept."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    url = attempts_url(session.id, question.id)
    page = logged_in.post(url, data={"answer": "   ", "back": "report"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "<h2>Question by question</h2>" in html  # the report's heading, not the session page
    assert "Write your new answer" in html and '<details class="try-again" open>' in html
    assert count_rows(Attempt) == 0


def test_only_graded_questions_of_evaluated_interviews_take_attempts(logged_in, user):
    """Before evaluation the key points are hidden, so a retry is refused (409); a question of
    another session is not found (404)."""
    open_session = make_session(user, answers=[INDEX_ANSWER, None, None])
    question = open_session.main_questions[0]
    response = logged_in.post(
        attempts_url(open_session.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    assert response.status_code == 409
    evaluated = weak_session(logged_in, user)
    response = logged_in.post(
        attempts_url(evaluated.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    assert response.status_code == 404
    assert count_rows(Attempt) == 0


def test_deleting_the_session_deletes_its_attempts(logged_in, user):
    """Attempts go with their session."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    logged_in.post(attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER})
    assert count_rows(Attempt) == 1
    assert logged_in.post(f"/session/{session.id}/delete", headers=JSON).status_code == 200
    db.session.expire_all()
    assert count_rows(Attempt) == 0


def test_a_follow_up_is_retried_through_its_main_question(logged_in, user):
    """A follow-up's points count through its main question: retrying it alone is refused."""
    from tests.feedback.helpers import add_follow_up

    session = weak_session(logged_in, user)
    follow_up = add_follow_up(first_question(session), "And the planner?", "It skips it.")
    follow_up.score = 10
    db.session.commit()
    response = logged_in.post(
        attempts_url(session.id, follow_up.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    assert response.status_code == 409 and "main question" in response.get_json()["message"]
    page = logged_in.get(f"/session/{session.id}").get_data(as_text=True)
    assert f"/questions/{follow_up.id}/attempts" not in page


def test_a_chinese_interview_says_the_delta_in_chinese(logged_in, user):
    """The delta sentence follows the session's language."""
    session = weak_session(logged_in, user, language="zh")
    question = first_question(session)
    response = logged_in.post(
        attempts_url(session.id, question.id), data={"answer": INDEX_ANSWER}, headers=JSON
    )
    summary = response.get_json()["data"]["attempt"]["summary"]
    assert f"{question.score} → " in summary and ("新覆盖了" in summary or "仍缺少" in summary)
    page = logged_in.get(f"/session/{session.id}").get_data(as_text=True)
    assert "重新回答这道题" in page and "Answer this again" not in page
