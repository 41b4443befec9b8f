"""When every AI provider fails: 500 "AI service error", nothing lost, and a retry that works."""

from __future__ import annotations

from app.extensions import db
from app.models import Feedback, InterviewSession, Report
from tests.conftest import count_rows
from tests.feedback.helpers import ANSWERS, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session


def answers_of(session_id: int) -> list[tuple[int, str | None]]:
    """Every question's id and answer, as stored."""
    session = db.session.get_one(InterviewSession, session_id)
    return [(q.id, q.answer_text) for q in session.questions]


def test_all_providers_failing_keeps_everything_and_a_retry_succeeds(app, logged_in, user):
    """Both providers down: JSON 500 "AI service error", status COMPLETED, claim released, every
    answer intact; with a provider back, the same request succeeds."""
    primary, backup = FakeModel("primary", down=True), FakeModel("backup", down=True)
    install_router(app, primary, backup)
    session = make_session(user, answers=list(ANSWERS))
    before = answers_of(session.id)
    response = complete(logged_in, session.id)
    assert response.status_code == 500
    assert response.get_json() == {"code": 500, "message": "AI service error", "data": None}
    assert primary.calls["evaluate_answers"] == 1 and backup.calls["evaluate_answers"] == 1
    db.session.expire_all()
    stored = db.session.get_one(InterviewSession, session.id)
    assert stored.status == "COMPLETED" and stored.evaluation_claimed_at is None
    assert answers_of(session.id) == before
    assert all(q.score is None for q in stored.questions)
    assert count_rows(Feedback) == 0 and count_rows(Report) == 0

    backup.down = False
    response = complete(logged_in, session.id)
    assert response.status_code == 200
    assert db.session.get_one(InterviewSession, session.id).status == "EVALUATED"
    report = db.session.scalar(db.select(Report))
    assert report.provider == "backup" and report.fallback_used is True


def test_the_failure_page_offers_a_retry_button(app, logged_in, user):
    """A browser sees a 500 page that says what happened and posts the complete form again."""
    install_router(app, FakeModel(down=True))
    session = make_session(user, answers=list(ANSWERS))
    response = complete(logged_in, session.id, as_json=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "AI service error" in page and "nothing was lost" in page.lower()
    assert f'action="/session/{session.id}/complete"' in page
    assert 'data-busy="Evaluating your answers…"' in page and "Try the evaluation again" in page


def test_a_summary_failure_keeps_the_grades_and_the_retry_only_summarises(app, logged_in, user):
    """Grades made before the summary failed are kept (no feedback or report yet, claim freed,
    the error recorded); the retry writes the summary without grading anything again."""
    fake = FakeModel(down_for=("summarize_interview",))
    install_router(app, fake)
    session = make_session(user, answers=list(ANSWERS))
    assert complete(logged_in, session.id).status_code == 500
    stored = db.session.get_one(InterviewSession, session.id)
    assert stored.status == "COMPLETED" and stored.evaluation_claimed_at is None
    assert stored.evaluation_error == "AI service error"
    assert [q.score for q in stored.questions] == [70, 70, 70]
    assert count_rows(Feedback) == 0 and count_rows(Report) == 0
    fake.down_for = ()
    assert complete(logged_in, session.id).status_code == 200
    assert fake.calls == {"evaluate_answers": 1, "summarize_interview": 2}
    assert db.session.get_one(InterviewSession, session.id).evaluation_error is None


def test_finishing_early_then_failing_leaves_a_completed_session(app, logged_in, user):
    """Finishing early closes the interview even if the AI then fails; a retry works."""
    install_router(app, FakeModel(down=True))
    session = make_session(user, answers=[ANSWERS[0], None, None])
    assert complete(logged_in, session.id).status_code == 500
    assert db.session.get_one(InterviewSession, session.id).status == "COMPLETED"
    install_router(app, FakeModel())
    assert complete(logged_in, session.id).status_code == 200
