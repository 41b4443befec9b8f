"""Grading as the candidate goes: each main answer is graded by a job as soon as its follow-up
round is over, stored once, never replaced; completing grades only what is left."""

from __future__ import annotations

import sqlalchemy as sa

from app.evaluation import grading
from app.evaluation.snapshot import GradedItem, QuestionGrade
from app.extensions import db
from app.models import InterviewSession, Question
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session


def answer(client, session_id: int, text: str) -> dict:
    """Answer the current question through the JSON API; returns the answer result."""
    current = client.get(f"/session/{session_id}/interview", headers=JSON).get_json()["data"]
    response = client.post(
        f"/session/{session_id}/answer",
        headers=JSON,
        data={"question_id": current["current_question"]["id"], "answer": text},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def scores(session_id: int) -> list[int | None]:
    """Every question's stored score, in order."""
    db.session.expire_all()
    return [q.score for q in db.session.get_one(InterviewSession, session_id).questions]


def test_each_answer_is_graded_when_given_and_completing_only_summarises(logged_in, user, fake):
    """After every answer its grade is stored; completing makes no grading call, one summary."""
    session = make_session(user)
    answer(logged_in, session.id, ANSWERS[0])
    assert scores(session.id) == [70, None, None]
    assert fake.calls["evaluate_answers"] == 1
    for text in ANSWERS[1:]:
        answer(logged_in, session.id, text)
    assert scores(session.id) == [70, 70, 70]
    assert complete(logged_in, session.id).status_code == 200
    assert (fake.calls["evaluate_answers"], fake.calls["summarize_interview"]) == (3, 1)
    graded = [len(request.items) for request in fake.sent("evaluate_answers")]
    assert graded == [1, 1, 1]


def test_a_stored_grade_is_never_graded_again_nor_replaced(app, user, fake):
    """Grading a graded question calls no model; storing another grade for it changes nothing."""
    session = make_session(user, answers=list(ANSWERS))
    first = session.questions[0]
    assert grading.grade_main_questions(session.id, [first.id]) == []
    assert grading.grade_main_questions(session.id, [first.id]) == []
    assert fake.calls["evaluate_answers"] == 1
    items, _ = grading.snapshot_session(db.session.get_one(InterviewSession, session.id))
    better = GradedItem(items[0], QuestionGrade(100, "Perfect.", [], []))
    assert grading._store([better], "other/model", False) == 0
    stored = db.session.get_one(Question, first.id)
    assert (stored.score, stored.graded_by) == (70, "fake/fake-model-1")


def test_a_grader_holding_a_question_is_waited_for_not_duplicated(app, user, fake):
    """A question claimed by a live grading job is not graded by the evaluation; a claim older
    than GRADING_CLAIM_STALE_S is taken over."""
    session = make_session(user, answers=list(ANSWERS))
    held = session.questions[0].id
    _, claimed = grading._claim([held])
    assert claimed == [held]
    assert grading.grade_main_questions(session.id, [q.id for q in session.questions]) == [held]
    assert [len(r.items) for r in fake.sent("evaluate_answers")] == [2]
    app.config["GRADING_CLAIM_STALE_S"] = 0
    grading.grade_remaining(session.id)
    assert scores(session.id) == [70, 70, 70]
    assert [len(r.items) for r in fake.sent("evaluate_answers")] == [2, 1]


def test_a_failed_grading_job_leaves_the_answer_to_the_evaluation(app, logged_in, user):
    """The model is down while answering: nothing is stored, no claim is left behind; once it
    is back, completing grades the stragglers in one call."""
    fake = FakeModel(down_for=("evaluate_answers",))
    install_router(app, fake)
    session = make_session(user)
    for text in ANSWERS:
        answer(logged_in, session.id, text)
    assert scores(session.id) == [None, None, None]
    claims = db.session.scalars(sa.select(Question.grading_claimed_at)).all()
    assert claims == [None, None, None]
    fake.down_for = ()
    assert complete(logged_in, session.id).status_code == 200
    assert scores(session.id) == [70, 70, 70]
    assert [len(r.items) for r in fake.sent("evaluate_answers")][-1] == 3


def test_a_main_question_is_graded_with_its_follow_up_once_the_round_is_over(app, logged_in, user):
    """An answer that earns a follow-up is not graded until the follow-up is answered; then the
    main question is graded on both answers in one call."""
    fake = FakeModel(score_for=lambda item: 90 if "30%" in item.answer else 40)
    install_router(app, fake)
    app.config["FOLLOW_UPS_PER_QUESTION"] = 1
    session = make_session(user)
    first = answer(logged_in, session.id, "We argued and then picked Postgres.")
    if not (first["next_question"] or {}).get("is_follow_up"):
        return  # the offline follow-up writer found no gap here; covered by the other tests
    assert fake.calls["evaluate_answers"] == 0
    answer(logged_in, session.id, ANSWERS[1])
    (request,) = fake.sent("evaluate_answers")
    assert len(request.items) == 2 and ANSWERS[1] in request.items[0].answer
    assert scores(session.id)[0] == 90
