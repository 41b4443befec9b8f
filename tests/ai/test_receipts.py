"""Graders prove their claims: quotes are checked against the answer, unproven coverage dropped."""

from __future__ import annotations

from app.ai import tasks
from app.ai.prompts import build_evaluate_prompt
from app.ai.receipts import find_quote, verified
from app.ai.schemas import AnswerEvaluation, AnswerToGrade, EvaluationBatch
from tests.ai.samples import evaluate_request
from tests.ai.test_tasks import install
from tests.support.providers import ScriptedProvider

ANSWER = "I would partition by tenant,\n  and cache the hot reads in Redis with a short TTL."


def _item(answer: str = ANSWER) -> AnswerToGrade:
    """One item with three key points."""
    return AnswerToGrade(
        question_id=11,
        question="How would you scale it?",
        key_points=["partitioning", "caching", "metrics"],
        answer=answer,
    )


def _claim(*evidence: tuple[str, str], score: int = 90) -> AnswerEvaluation:
    """A model's evaluation claiming each (point, quote)."""
    return AnswerEvaluation(
        question_id=11,
        feedback="Good.",
        covered_points=[p for p, _q in evidence],
        evidence=[{"point": p, "quote": q} for p, q in evidence],  # type: ignore[misc]
        errors=[
            {"claim": "Redis is a SQL database", "quote": "Redis is relational", "correction": "x"}
        ],  # type: ignore[list-item]  # noqa: E501
        confidence=0.9,
        score=score,
    )


def test_quotes_match_across_whitespace_case_and_ellipses() -> None:
    """A quote counts when the answer holds it, spacing, case and a shortening ellipsis aside;
    what is kept is the answer's own words."""
    assert (
        find_quote(ANSWER, "PARTITION by tenant, and cache") == "partition by tenant,\n  and cache"
    )
    assert find_quote(ANSWER, "…the hot reads in Redis…") == "the hot reads in Redis"
    assert find_quote(ANSWER, "shard by customer") is None
    assert find_quote(ANSWER, "…") is None


def test_unproven_coverage_is_dropped_and_the_score_recomputed() -> None:
    """Two covered points claimed, one quote invented: one point holds and the score halves; the
    error whose quote is not in the answer is dropped."""
    result = verified(
        _claim(("partitioning", "partition by tenant"), ("caching", "we cache every response")),
        _item(),
    )
    assert result.covered_points == ["partitioning"]
    assert result.missed_points == ["caching", "metrics"]
    assert result.score == 45 and result.confidence == 0.45
    assert [(e.point, e.quote) for e in result.evidence] == [
        ("partitioning", "partition by tenant")
    ]
    assert result.errors == []


def test_a_point_outside_the_key_points_is_not_credited() -> None:
    """Evidence for a point the item does not have proves nothing."""
    result = verified(_claim(("observability", "short TTL")), _item())
    assert result.covered_points == [] and result.score == 0


def test_a_remote_judge_is_checked_before_its_grade_is_used(app) -> None:
    """Through the task: a model quoting words the candidate never wrote gets no credit for them."""
    req = evaluate_request("I would partition by tenant and cache reads.")
    batch = EvaluationBatch(
        evaluations=[
            _claim(("partitioning", "partition by tenant"), ("metrics", "p99 latency dashboards"))
        ]
    )
    install(app, ScriptedProvider("remote", [batch.model_dump()]))
    graded = tasks.evaluate_answers(req).value.evaluations[0]
    assert graded.covered_points == ["partitioning"] and graded.score == 45


def test_the_prompt_asks_for_verbatim_quotes_and_the_score_last() -> None:
    """The evaluate prompt asks for word-for-word quotes, and the schema puts the score last."""
    system, _user, schema = build_evaluate_prompt(evaluate_request("x"))
    assert "word for word" in system and "score last" in system
    fields = list(schema.model_json_schema()["$defs"]["AnswerEvaluation"]["properties"])
    assert fields[-1] == "score" and {"evidence", "errors", "confidence"} <= set(fields)
