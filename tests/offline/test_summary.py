"""The offline summary: concrete strengths and weaknesses, CV advice, a study plan, a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ai.offline import summarize_interview
from app.ai.offline.taxonomy import has_cjk
from app.ai.schemas import GradedAnswer, SummaryRequest

PAIRS = Path(__file__).parent / "pairs"


def graded(
    question,
    category,
    skill,
    score,
    answer="An answer with detail.",
    kind="technical",
    covered=(),
    missed=(),
):
    """One graded answer."""
    return GradedAnswer(
        question=question,
        category=category,
        skill=skill,
        kind=kind,
        answer=answer,
        score=score,
        covered_points=list(covered),
        missed_points=list(missed),
    )


def summary_request(overall=64, language="en", **changes) -> SummaryRequest:
    """A finished interview for the backend-java pair with strong Java and weak databases."""
    answers = [
        graded(
            "Explain type erasure in Java generics.",
            "Java",
            "Java",
            88,
            answer="Generic types are erased at compile time; the compiler adds casts and "
            "bridge methods, so List<String> and List<Integer> share one class at runtime.",
            covered=["types erased at compile time", "bridge methods"],
            missed=["PECS"],
        ),
        graded(
            "How does Spring Boot auto-configuration work?",
            "Web Frameworks",
            "Spring Boot",
            74,
            covered=["conditional beans"],
            missed=["the conditions report"],
        ),
        graded(
            "Explain the four SQL isolation levels.",
            "Databases",
            "SQL",
            35,
            missed=[
                "read committed prevents dirty reads",
                "repeatable read prevents non-repeatable reads",
                "serializable prevents phantoms",
            ],
        ),
        graded("How does PostgreSQL implement MVCC?", "Databases", "PostgreSQL", 0, answer=""),
        graded(
            "Tell me about a conflict in your team.",
            "Behavioral",
            "Conflict resolution",
            55,
            kind="behavioral",
            answer="When two engineers disagreed I set up a meeting.",
            missed=["result: what changed and by how much"],
        ),
    ]
    fields = dict(
        job_title="Senior Java Backend Engineer",
        company_name="Ledgerly",
        job_description=(PAIRS / "backend-java.job.txt").read_text(encoding="utf-8"),
        resume_text=(PAIRS / "backend-java.resume.txt")
        .read_text(encoding="utf-8")
        .replace("Kafka", "event streams"),
        language=language,
        overall_score=overall,
        category_scores={"Java": 88, "Web Frameworks": 74, "Databases": 18, "Behavioral": 55},
        answers=answers,
    )
    fields.update(changes)
    return SummaryRequest(**fields)


@pytest.mark.parametrize(
    ("score", "recommendation"),
    [
        (100, "Strongly recommended"),
        (85, "Strongly recommended"),
        (84, "Recommended"),
        (70, "Recommended"),
        (69, "Consider"),
        (55, "Consider"),
        (54, "Not recommended"),
        (0, "Not recommended"),
    ],
)
def test_recommendation_follows_the_overall_score(score, recommendation):
    """≥85 Strongly recommended, ≥70 Recommended, ≥55 Consider, else Not recommended."""
    assert summarize_interview(summary_request(overall=score)).recommendation == recommendation


def test_strengths_and_weaknesses_are_concrete():
    """3–5 of each, naming categories, questions and the key points behind them."""
    summary = summarize_interview(summary_request())
    assert 3 <= len(summary.strengths) <= 5
    assert 3 <= len(summary.weaknesses) <= 5
    assert "Java" in summary.strengths[0] and "bridge methods" in summary.strengths[0]
    weak_text = " ".join(summary.weaknesses)
    assert "Databases" in weak_text and "read committed prevents dirty reads" in weak_text
    assert "unanswered" in weak_text


def test_cv_improvements_name_the_missing_job_terms():
    """The CV advice names must-haves the CV lacks and shows how to quantify a line."""
    advice = summarize_interview(summary_request()).cv_improvements
    assert "**Kafka**" in advice
    assert "Added Redis caching for the product catalogue" in advice  # a line with no number
    assert "**Java**" not in advice  # the CV has it


def test_improvement_plan_starts_with_the_weakest_category():
    """Weakest first, with the missed points to review and real resources, no invented links."""
    plan = summarize_interview(summary_request()).improvement_plan
    assert plan[0].topic.startswith("Databases")
    assert "read committed prevents dirty reads" in plan[0].action
    assert plan[0].resources
    assert not any("http" in r for item in plan for r in item.resources)


def test_chinese_interview_gets_a_chinese_summary():
    """Every written part follows the interview's language."""
    summary = summarize_interview(summary_request(language="zh"))
    parts = [
        summary.overall_feedback,
        summary.candidate_summary,
        summary.cv_improvements,
        *summary.strengths,
        *summary.weaknesses,
        *(i.action for i in summary.improvement_plan),
    ]
    assert all(has_cjk(part) for part in parts)
    assert summary.recommendation == "Consider"


def test_summary_without_answers_or_cv_still_validates():
    """An interview completed without answers still gets a valid summary."""
    summary = summarize_interview(
        SummaryRequest(overall_score=0, resume_text="", job_description="Python developer")
    )
    assert summary.strengths and summary.weaknesses
    assert summary.recommendation == "Not recommended"
    assert "No CV text" in summary.cv_improvements


def test_a_question_is_named_once_among_the_weaknesses():
    """A weak main question and its follow-up (same question text) yield one weakness, not two."""
    question = "How would you shard a 2 TB orders table"
    numbers = "We split 2 TB across 8 shards by customer id, keeping 95% of queries on one shard."
    request = SummaryRequest(
        overall_score=40,
        category_scores={"Databases": 5, "Python": 90},
        answers=[
            graded(question, "Databases", "SQL", 0, answer=numbers, missed=["routing"]),
            graded(question, "Databases", "SQL", 10, answer=numbers, missed=["routing"]),
            graded("What is a generator?", "Python", "Python", 90, answer=numbers),
        ],
    )
    weaknesses = summarize_interview(request).weaknesses
    assert sum(question in w for w in weaknesses) == 1, weaknesses


@pytest.mark.parametrize("language", ["en", "zh"])
def test_summary_typography_has_no_plural_brackets_or_stop_after_an_ellipsis(language):
    """Shortened points end in "…" without a following full stop; counts never read "(s)"."""
    long_point = "an isolation level that is described at far greater length than any card shows"
    request = summary_request(language=language)
    request.answers[2].missed_points.insert(0, long_point)
    summary = summarize_interview(request)
    texts = [
        summary.overall_feedback,
        summary.cv_improvements,
        summary.candidate_summary,
        *summary.strengths,
        *summary.weaknesses,
        *(step.action for step in summary.improvement_plan),
    ]
    joined = "\n".join(texts)
    assert "…" in joined  # the long point was shortened somewhere
    assert "…." not in joined and "…。" not in joined and "(s)" not in joined
