"""POST /session/<id>/complete: evaluate once, store, redirect; every error with its status."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Feedback, InterviewSession, Question, Report
from tests.conftest import JSON, count_rows
from tests.feedback.helpers import ANSWERS, STAR_ANSWER, add_follow_up, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user

EMPTY = "Cannot generate feedback for an empty interview."
ALREADY = "Feedback has already been generated for this session."


def test_browser_complete_redirects_to_the_feedback_and_marks_evaluated(logged_in, user, fake):
    """A finished interview is evaluated, stored and the browser lands on its feedback page."""
    session = make_session(user, answers=list(ANSWERS))
    response = complete(logged_in, session.id, as_json=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/session/{session.id}/feedback"
    stored = db.session.get_one(InterviewSession, session.id)
    assert stored.status == "EVALUATED" and stored.evaluated_at is not None
    assert count_rows(Feedback) == 1 and count_rows(Report) == 1
    assert [q.score for q in stored.questions] == [70, 70, 70]
    assert all(q.feedback and q.missed_points for q in stored.questions)


def test_json_complete_answers_the_redirect_and_feedback_id(logged_in, user, fake):
    """JSON clients get {"redirect", "feedback_id"} in the envelope."""
    session = make_session(user, answers=list(ANSWERS))
    body = complete(logged_in, session.id).get_json()
    feedback = db.session.scalar(db.select(Feedback))
    assert body == {
        "code": 200,
        "message": "success",
        "data": {"redirect": f"/session/{session.id}/feedback", "feedback_id": feedback.id},
    }


def test_grading_is_one_batched_call_then_one_summary(logged_in, user, fake):
    """One evaluate_answers call carries every answered question; then one summary."""
    session = make_session(user, answers=list(ANSWERS))
    complete(logged_in, session.id)
    assert fake.calls == {"evaluate_answers": 1, "summarize_interview": 1}
    (request,) = fake.sent("evaluate_answers")
    assert [item.question_id for item in request.items] == [q.id for q in session.questions]


def test_finishing_early_scores_unanswered_questions_zero(logged_in, user, fake):
    """From IN_PROGRESS: the interview is closed, unanswered main questions count 0."""
    session = make_session(user, answers=[ANSWERS[0], None, None])
    assert session.status == "IN_PROGRESS"
    complete(logged_in, session.id)
    stored = db.session.get_one(InterviewSession, session.id)
    assert stored.status == "EVALUATED" and stored.completed_at is not None
    assert [q.score for q in stored.questions] == [70, 0, 0]
    assert stored.questions[1].missed_points == stored.questions[1].key_points
    report = db.session.scalar(db.select(Report))
    assert report.overall_score == 23  # (70 + 0 + 0) / 3, rounded
    assert len(fake.sent("evaluate_answers")[0].items) == 1


def test_a_good_follow_up_answer_counts_for_its_main_question(app, logged_in, user):
    """The main question is graded on its answer plus its follow-up's; the follow-up is graded
    for display but only main questions make the overall score."""
    fake = FakeModel(score_for=lambda item: 90 if "30%" in item.answer else 40)
    install_router(app, fake)
    session = make_session(user, answers=["We argued and then picked Postgres.", *ANSWERS[1:]])
    main = session.questions[0]
    follow_up = add_follow_up(main, "What was the measurable result?", STAR_ANSWER)
    complete(logged_in, session.id)
    items = {item.question_id: item for item in fake.sent("evaluate_answers")[0].items}
    assert STAR_ANSWER in items[main.id].answer and "picked Postgres" in items[main.id].answer
    assert items[follow_up.id].answer == STAR_ANSWER
    assert db.session.get_one(Question, main.id).score == 90
    report = db.session.scalar(db.select(Report))
    assert report.overall_score == round((90 + 90 + 40) / 3)


@pytest.mark.parametrize(
    "answers",
    [None, [None, None, None], ["", "   ", ""]],
    ids=["created", "in-progress-nothing-answered", "only-blank-answers"],
)
def test_an_empty_interview_cannot_be_evaluated(logged_in, user, fake, answers):
    """Nothing answered (or only blanks): 400 with the spec's message and no AI call."""
    session = make_session(user, answers=answers)
    response = complete(logged_in, session.id)
    assert response.status_code == 400
    assert response.get_json() == {"code": 400, "message": EMPTY, "data": None}
    assert fake.calls == {} and count_rows(Feedback) == 0
    assert db.session.get_one(InterviewSession, session.id).status == session.status


def test_unknown_session_is_404(logged_in, fake):
    """An id that does not exist: 404 "Session not found"."""
    response = complete(logged_in, 999)
    assert response.status_code == 404
    assert response.get_json()["message"] == "Session not found"


def test_another_users_session_is_404(logged_in, fake):
    """Someone else's interview cannot be completed (nor told apart from a missing one)."""
    other = make_user(email="other@example.com")
    session = make_session(other, answers=list(ANSWERS))
    response = complete(logged_in, session.id)
    assert response.status_code == 404
    assert fake.calls == {} and count_rows(Feedback) == 0


def test_completing_twice_is_refused_for_json(logged_in, user, fake):
    """The second complete is a 400 with the already-generated message and no AI call."""
    session = make_session(user, answers=list(ANSWERS))
    complete(logged_in, session.id)
    response = complete(logged_in, session.id)
    assert response.status_code == 400
    assert response.get_json()["message"] == ALREADY
    assert fake.calls["evaluate_answers"] == 1 and count_rows(Feedback) == 1


def test_completing_twice_sends_a_browser_to_the_feedback_with_the_message(logged_in, user, fake):
    """A browser is redirected to the existing feedback, where the message is shown."""
    session = make_session(user, answers=list(ANSWERS))
    complete(logged_in, session.id, as_json=False)
    response = complete(logged_in, session.id, as_json=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/session/{session.id}/feedback"
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert ALREADY in page and "Your interview feedback" in page


def test_signed_out_clients_cannot_complete(client, user, fake):
    """No account, no evaluation: JSON clients get 401."""
    session = make_session(user, answers=list(ANSWERS))
    response = client.post(f"/session/{session.id}/complete", headers=JSON)
    assert response.status_code == 401 and fake.calls == {}


def test_a_stale_claim_may_be_retaken(app, logged_in, user, fake):
    """A claim left behind by a crashed worker expires, so the session can still be evaluated."""
    from datetime import timedelta

    from app.models import utcnow

    session = make_session(user, answers=list(ANSWERS))
    session.evaluation_claimed_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert complete(logged_in, session.id).status_code == 200


def test_a_fresh_claim_held_elsewhere_means_already_generated(app, logged_in, user, fake):
    """While another request holds the claim, a complete loses with the already-generated 400."""
    from app.models import utcnow

    session = make_session(user, answers=list(ANSWERS))
    session.evaluation_claimed_at = utcnow()
    db.session.commit()
    response = complete(logged_in, session.id)
    assert response.status_code == 400 and response.get_json()["message"] == ALREADY
    assert fake.calls == {}


def test_the_built_in_interviewer_evaluates_end_to_end(logged_in, user):
    """With the default offline provider (no fake), a finished interview gets a full, consistent
    report: a nonsense answer and a blank score 0, the recommendation follows the overall."""
    from app.evaluation import scoring

    session = make_session(user, answers=[ANSWERS[0], "I don't know", ""])
    assert complete(logged_in, session.id).status_code == 200
    data = logged_in.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    scores = [d["score"] for d in data["question_details"]]
    assert scores[0] > 0 and scores[1:] == [0, 0]
    assert data["overall_score"] == scoring.mean_score(scores)
    assert data["provider"] == "offline" and data["overall_feedback"]
    report = db.session.scalar(db.select(Report))
    assert report.recommendation == scoring.recommendation(report.overall_score)
