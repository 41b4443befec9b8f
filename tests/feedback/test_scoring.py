"""The server's numbers: overall, categories, 1–10, bands, skills, recommendation.

None of them is ever taken from the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.evaluation import scoring
from app.extensions import db
from app.models import Feedback, InterviewSession, Report
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session


@dataclass
class Q:
    """A question as scoring sees it."""

    score: int | None
    category: str = "Databases"
    skill: str = ""
    text: str = ""
    parent_id: int | None = None
    kind: str = "technical"


def test_overall_is_the_mean_of_main_questions_with_unanswered_as_zero():
    """Follow-ups do not count on their own; a missing score counts 0."""
    questions = [Q(80), Q(None), Q(70), Q(100, parent_id=1)]
    assert scoring.overall_score(questions) == 50


SPEC_11 = {  # interview_score for each stretch of 0–100 scores (SPEC §11)
    (95, 100): 10, (90, 94): 9, (82, 89): 8, (75, 81): 7, (67, 74): 6, (60, 66): 5,
    (50, 59): 4, (40, 49): 3, (20, 39): 2, (0, 19): 1,
}  # fmt: skip


def test_interview_score_follows_the_report_bands():
    """Every 0–100 score maps onto the lower or upper half of its band's 1–10 scores."""
    for (low, high), expected in SPEC_11.items():
        assert {scoring.interview_score(s) for s in range(low, high + 1)} == {expected}


@pytest.mark.parametrize(
    ("overall", "band"),
    [(100, "Excellent"), (90, "Excellent"), (89, "Good"), (75, "Good"), (74, "Adequate"),
     (60, "Adequate"), (59, "Needs significant improvement"), (0, "Needs significant improvement")],
)  # fmt: skip
def test_report_bands(overall, band):
    """SPEC §5's 0–100 bands."""
    assert scoring.report_band(overall) == band


@pytest.mark.parametrize(
    ("score", "band"),
    [(10, "Excellent"), (9, "Excellent"), (8, "Good"), (7, "Good"), (6, "Adequate"),
     (5, "Adequate"), (4, "Needs Work"), (3, "Needs Work"), (2, "Poor"), (1, "Poor")],
)  # fmt: skip
def test_feedback_bands_have_a_meaning(score, band):
    """SPEC §5's 1–10 bands, each explained on the page."""
    assert scoring.feedback_band(score) == band
    assert scoring.FEEDBACK_BAND_MEANINGS[band]


@pytest.mark.parametrize(
    ("overall", "verdict"),
    [(100, "Strongly recommended"), (85, "Strongly recommended"), (84, "Recommended"),
     (70, "Recommended"), (69, "Consider"), (55, "Consider"), (54, "Not recommended")],
)  # fmt: skip
def test_recommendation_follows_the_overall_score(overall, verdict):
    """The recommendation is a function of the server's overall score."""
    assert scoring.recommendation(overall) == verdict


def test_category_scores_are_means_in_order_of_first_appearance():
    """[{category, score, question_count}] over main questions only."""
    questions = [
        Q(80, "Databases"),
        Q(50, "Caching"),
        Q(None, "Databases"),
        Q(99, "Caching", parent_id=2),
    ]
    assert scoring.category_scores(questions) == [
        {"category": "Databases", "score": 40, "question_count": 2},
        {"category": "Caching", "score": 50, "question_count": 1},
    ]


@pytest.mark.parametrize(("raw", "clamped"), [(-5, 0), (101, 100), (72.5, 73), ("x", 0), (None, 0)])
def test_model_scores_are_clamped(raw, clamped):
    """Whatever a model sends becomes an integer 0–100."""
    assert scoring.clamp_score(raw) == clamped


def test_skill_scores_match_skill_or_category_case_insensitively_and_by_alias():
    """Alias: "postgres" meets "PostgreSQL"; a skill named only in a question's text still counts;
    a skill no question touched is left out rather than scored 0."""
    questions = [
        Q(80, "Databases", skill="PostgreSQL"),
        Q(60, "caching", skill="Caching"),
        Q(40, "Behavioral", skill="Teamwork", text="How do you use Docker in CI?"),
        Q(100, "Databases", skill="PostgreSQL", parent_id=1),
    ]
    scores = scoring.skill_scores(
        ["postgres", "CACHING", "Kubernetes"], ["Docker", "Go"], questions
    )
    assert scores == {
        "must_haves": [
            {"skill_name": "postgres", "score": 80},
            {"skill_name": "CACHING", "score": 60},
        ],
        "nice_to_haves": [{"skill_name": "Docker", "score": 40}],
    }
    assert all(isinstance(s["score"], int) for group in scores.values() for s in group)


def test_model_totals_and_verdicts_change_nothing(app, logged_in, user):
    """A model that adds its own totals, interview score and recommendation is ignored: every
    number is recomputed from the stored per-question scores."""
    scores = iter([40, 60, 80])
    junk = {"overall_score": 99, "total": 100, "interview_score": 10, "band": "Excellent"}
    fake = FakeModel(
        score_for=lambda item: next(scores),
        summary={"recommendation": "Strongly recommended"},
        extra=junk,
    )
    install_router(app, fake)
    session = make_session(user, answers=list(ANSWERS))
    complete(logged_in, session.id)
    stored = db.session.get_one(InterviewSession, session.id)
    per_question = [q.score for q in stored.questions]
    report = db.session.scalar(db.select(Report))
    feedback = db.session.scalar(db.select(Feedback))
    assert per_question == [40, 60, 80]
    assert report.overall_score == 60 == scoring.overall_score(stored.questions)
    assert report.category_scores == scoring.category_scores(stored.questions)
    assert feedback.interview_score == 5
    assert report.recommendation == "Consider"
    data = logged_in.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    assert data["overall_score"] == 60 and data["band"] == "Adequate"


def test_a_blank_answer_scores_zero_whatever_the_model_says(app, logged_in, user):
    """Blank answers are never sent for grading and score 0 even if a model would give 100."""
    install_router(app, FakeModel(score_for=lambda item: 100))
    session = make_session(user, answers=[ANSWERS[0], "   ", ANSWERS[2]])
    complete(logged_in, session.id)
    stored = db.session.get_one(InterviewSession, session.id)
    assert [q.score for q in stored.questions] == [100, 0, 100]
    assert db.session.scalar(db.select(Report)).overall_score == 67


def test_project_questions_do_not_stand_for_the_tools_they_name():
    """A project question naming PostgreSQL is scored on the story, so it scores no skill."""
    project = Q(
        100,
        category="Projects",
        skill="Python",
        kind="project",
        text="At Acme you built an API on PostgreSQL and Redis. What changed?",
    )
    technical = Q(40, category="Python", skill="Python")
    scores = scoring.skill_scores(["Python", "PostgreSQL"], [], [project, technical])
    assert scores["must_haves"] == [{"skill_name": "Python", "score": 40}]
