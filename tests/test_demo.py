"""`flask demo seed`: a demo user whose evaluated interview has a report, feedback and a PDF."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_cli
from app.extensions import db
from app.models import Feedback, InterviewSession, Question, Report, User
from tests.conftest import JSON, count_rows


def test_seed_creates_a_demo_user_with_an_evaluated_interview(app, runner):
    """After one seed the demo user signs in and reads a full report; a second seed adds nothing."""
    result = runner.invoke(demo_cli, ["seed"])
    assert result.exit_code == 0, result.output
    assert DEMO_EMAIL in result.output and DEMO_PASSWORD in result.output
    session = db.session.scalar(sa.select(InterviewSession))
    assert session.status == "EVALUATED"
    questions = db.session.scalars(sa.select(Question)).all()
    assert all(q.answer_text and q.score is not None for q in questions)
    assert any(q.parent_id is not None for q in questions)  # the vague answer drew a follow-up

    client = app.test_client()
    client.post("/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    report = client.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    assert 0 < report["overall_score"] <= 100 and report["question_details"]
    assert client.get(f"/session/{session.id}/feedback").status_code == 200
    assert client.get(f"/session/{session.id}/report.pdf").data[:5] == b"%PDF-"

    again = runner.invoke(demo_cli, ["seed"])
    assert again.exit_code == 0 and "already present" in again.output
    counts = [count_rows(m) for m in (User, InterviewSession, Question, Feedback, Report)]
    assert counts == [1, 1, len(questions), 1, 1]


def test_seed_finishes_an_interrupted_run(app, runner):
    """A seed stopped half-way (session planned, partly answered) is finished, not duplicated."""
    from app.demo import demo_user, start_interview

    session = start_interview(demo_user())
    result = runner.invoke(demo_cli, ["seed"])
    assert result.exit_code == 0, result.output
    assert count_rows(InterviewSession) == 1
    assert db.session.get(InterviewSession, session.id).status == "EVALUATED"
