"""Misconceptions as content: read from the bank, asked of a remote planner, stored with a plan."""

from __future__ import annotations

from app.ai.offline.bank import Misconception, parse_question
from app.ai.schemas import PlannedQuestion
from app.extensions import db
from app.models import Question
from tests.support.sessions import make_session
from tests.support.users import make_user

WRONG = {
    "claim": "Multi-stage builds make the final image bigger because every stage is kept.",
    "cues": ["multi-stage bigger", "stages kept final image"],
    "correction": "Only what you COPY --from an earlier stage reaches the final image.",
}


def entry(misconceptions: object) -> dict:
    """A bank entry whose first key point carries ``misconceptions``."""
    points = [{"point": f"point {n}", "cues": ["a b"], "probe": "Why?"} for n in range(3)]
    points[0]["misconceptions"] = misconceptions
    return {
        "id": "q",
        "skill": "docker",
        "kind": "technical",
        "difficulty": "easy",
        "text": "How do multi-stage builds work?",
        "reference_answer": "They do.",
        "key_points": points,
    }


def test_bank_key_points_carry_their_misconceptions() -> None:
    question = parse_question(entry([WRONG]), "Containers", "en")
    assert question is not None
    first = question.key_points[0]
    assert first.misconceptions == (
        Misconception(WRONG["claim"], tuple(WRONG["cues"]), WRONG["correction"]),
    )
    assert question.key_points[1].misconceptions == ()
    assert question.misconceptions[0] == first.misconceptions


def test_a_malformed_misconception_is_left_out_not_the_question() -> None:
    broken = [{"claim": "x", "cues": "not a list", "correction": "y"}, {"cues": ["a b"]}, "text"]
    question = parse_question(entry(broken), "Containers", "en")
    assert question is not None and question.key_points[0].misconceptions == ()


def planned(**extra: object) -> PlannedQuestion:
    return PlannedQuestion(
        text="How do multi-stage builds work?",
        category="Containers",
        skill="docker",
        kind="technical",
        difficulty="easy",
        reference_answer="Build in one stage, copy artifacts into a slim one.",
        key_points=["multi-stage builds keep build tools out", "pin base images", "non-root user"],
        **extra,
    )


def test_a_plan_without_misconceptions_is_still_valid() -> None:
    assert planned().misconceptions == []


def test_planned_misconceptions_are_stored_with_their_key_points(app) -> None:
    session = make_session(make_user(), questions=[])
    plan = planned(misconceptions=[{"point": "Multi-stage builds keep build tools out.", **WRONG}])
    row = Question(session_id=session.id, position=1, **plan.model_dump())
    db.session.add(row)
    db.session.commit()
    stored = db.session.get(Question, row.id)
    assert stored.key_points == plan.key_points
    assert stored.key_point_entries[0] == {
        "point": "multi-stage builds keep build tools out",
        "misconceptions": [WRONG],
    }
    assert stored.key_point_entries[1] == "pin base images"
    assert stored.misconceptions == [{"point": "multi-stage builds keep build tools out", **WRONG}]


def test_key_points_stored_as_plain_strings_still_load(app) -> None:
    session = make_session(make_user())
    question = session.questions[0]
    assert all(isinstance(p, str) for p in question.key_point_entries)
    assert question.key_points == question.key_point_entries
    assert question.misconceptions == []
