"""The AI provider failing — by timeout, 429, 5xx, garbage or schema-invalid output — in the middle
of a real interview, for each task: the user gets a clear message, a retry works, and no answer
is ever lost. With the offline interviewer behind the provider, the user never notices at all."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback, InterviewSession, Question, Report
from tests.conftest import JSON, count_rows
from tests.faults.conftest import FAULTS
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD

# The fake plans "Tell me about a system you designed, part n." with key points constraints,
# design, trade-offs: this answer touches the question but misses most points (a follow-up is due).
VAGUE = "I designed a system once and the system was fine, I think."
FULL = (
    "The constraints were 2,000 requests per second and a 200 ms budget. My design put a Redis "
    "cache in front of PostgreSQL with Kafka for slow work; the trade-offs were consistency "
    "against latency and the cost of running Kafka. Result: p99 fell from 900 ms to 120 ms."
)
NEW_SESSION = {
    "resume_text": SAMPLE_CV,
    "job_title": "Backend Engineer",
    "company_name": "Acme",
    "job_description": SAMPLE_JD,
    "question_count": "3",
    "force_new": "1",
}


def create(client, *, html: bool = False):
    """POST the create form."""
    return client.post("/sessions/new", data=NEW_SESSION, headers={} if html else JSON)


def answer_all(client, session: dict, first_answer: str = VAGUE) -> list[dict]:
    """Answer every question (the first vaguely); returns the answer results."""
    results, question, text = [], session["current_question"], first_answer
    while question is not None:
        response = client.post(
            f"/session/{session['id']}/answer",
            headers=JSON,
            data={"question_id": question["id"], "answer": text},
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        results.append(response.get_json()["data"])
        question, text = results[-1]["next_question"], FULL
    return results


def stored_answers(session_id: int) -> list[tuple[int, str | None]]:
    """Every question of the session with its stored answer."""
    db.session.expire_all()
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Question.id, Question.answer_text)
            .where(Question.session_id == session_id)
            .order_by(Question.id)
        )
    ]


FAULT_NAMES = sorted(FAULTS)


@pytest.mark.parametrize("fault", FAULT_NAMES)
def test_planning_failure_says_so_keeps_the_form_and_retry_works(remote_only, logged_in, fault):
    """Planning fails: 500 "AI service error"; the interview is kept with what was typed and no
    half-made questions, its page says so and offers a retry; once the provider recovers the
    retry plans it."""
    remote_only.break_task("plan_questions", fault)
    failed = create(logged_in)
    assert failed.status_code == 500
    assert failed.get_json()["message"].startswith("AI service error")
    session = db.session.scalars(sa.select(InterviewSession)).one()
    assert "payments platform" in session.job_description  # what was typed is kept
    assert count_rows(Question) == 0
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "Your questions could not be prepared" in page
    assert f'action="/session/{session.id}/plan"' in page
    remote_only.heal()
    retried = logged_in.post(f"/session/{session.id}/plan", headers=JSON)
    assert retried.status_code in (200, 201, 202), retried.get_data(as_text=True)[:300]
    shown = logged_in.get(f"/session/{session.id}/interview", headers=JSON).get_json()
    assert shown["data"]["current_question"]["text"].startswith("Tell me about")


@pytest.mark.parametrize("fault", FAULT_NAMES)
def test_follow_up_failure_keeps_the_answer_and_moves_on(remote_only, logged_in, fault):
    """Writing a follow-up fails: the answer is already saved and the next question appears."""
    session = create(logged_in).get_json()["data"]
    remote_only.break_task("follow_up", fault)
    results = answer_all(logged_in, session)
    assert results[0]["next_question"]["is_follow_up"] is False
    assert results[0]["next_question"]["position"] == 2
    assert results[-1]["status"] == "COMPLETED"
    assert [text for _, text in stored_answers(session["id"])] == [VAGUE, FULL, FULL]
    assert remote_only.calls.get("FollowUpQuestion", 0) >= 1  # it was asked, and it failed


def test_follow_up_is_asked_when_the_provider_works(remote_only, logged_in):
    """The control case: the same vague answer gets the provider's follow-up."""
    session = create(logged_in).get_json()["data"]
    results = answer_all(logged_in, session)
    assert results[0]["next_question"]["is_follow_up"] is True
    assert len(stored_answers(session["id"])) == 4


@pytest.mark.parametrize("fault", FAULT_NAMES)
@pytest.mark.parametrize("task", ["evaluate_answers", "summarize_interview"])
def test_evaluation_failure_keeps_every_answer_and_retry_works(remote_only, logged_in, task, fault):
    """Grading or summarising fails: 500 "AI service error" with a retry button, the session stays
    COMPLETED with every answer; after recovery the retry evaluates it exactly once."""
    session = create(logged_in).get_json()["data"]
    remote_only.break_task(task, fault)  # before answering: answers are graded as they come
    answer_all(logged_in, session)
    before = stored_answers(session["id"])
    url = f"/session/{session['id']}/complete"
    failed = logged_in.post(url, headers=JSON)
    assert failed.status_code == 500 and failed.get_json()["message"] == "AI service error"
    page = logged_in.post(url)
    assert page.status_code == 500
    assert "AI service error" in page.get_data(as_text=True)
    assert f'action="{url}"' in page.get_data(as_text=True)  # the retry button
    assert db.session.get(InterviewSession, session["id"]).status == "COMPLETED"
    assert stored_answers(session["id"]) == before
    assert count_rows(Feedback) == 0 and count_rows(Report) == 0
    report = logged_in.get(f"/session/{session['id']}/report", headers=JSON)
    assert report.status_code == 500  # the report page evaluates too, and says the same

    remote_only.heal()
    retried = logged_in.post(url, headers=JSON)
    assert retried.status_code == 200, retried.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert db.session.get(InterviewSession, session["id"]).status == "EVALUATED"
    assert stored_answers(session["id"]) == before
    assert count_rows(Feedback) == 1 and count_rows(Report) == 1
    assert logged_in.post(url, headers=JSON).status_code == 400  # once only


@pytest.mark.parametrize("fault", FAULT_NAMES)
def test_with_the_offline_interviewer_behind_it_the_user_never_notices(
    with_fallback, logged_in, fault
):
    """Every task failing remotely in this way: the whole interview still runs on the offline
    interviewer, and the report says a fallback produced it."""
    for task in ("plan_questions", "follow_up", "evaluate_answers", "summarize_interview"):
        with_fallback.break_task(task, fault)
    created = create(logged_in)
    assert created.status_code == 201
    session = created.get_json()["data"]
    answer_all(logged_in, session)
    assert logged_in.post(f"/session/{session['id']}/complete", headers=JSON).status_code == 200
    report = logged_in.get(f"/session/{session['id']}/report", headers=JSON).get_json()["data"]
    assert report["fallback_used"] is True and report["provider"] == "offline"
    assert all(item["answer"] for item in report["question_details"])
