"""A near-copy of the reference that changes its content earns nothing for the point it copies,
whatever the edit; a copy with no content change, or a correct answer in its own words, keeps it."""

from __future__ import annotations

from app.ai.offline.grading import grade_answer

QUESTION = "How does a database connection pool work, and how should you size it?"
REFERENCE = (
    "A connection pool keeps a set of open database connections and lends them to application "
    "threads, which return them when done instead of closing them. When every connection is in "
    "use, a request waits for one to be returned, up to a timeout, rather than opening a new one. "
    "Remember that every application instance has its own pool, so the total is instances times "
    "pool size, which must stay below the database's connection limit."
)
POINTS = [
    "reuses open connections that threads return instead of closing",
    "when all connections are busy, a request waits for one up to a timeout",
    "the total is instances times pool size and must stay under the database limit",
]


def grade(answer: str):
    return grade_answer(QUESTION, answer, POINTS, REFERENCE)


def test_a_wrong_component_in_a_copied_sentence_is_an_error() -> None:
    """ "all instances share one pool" for "every instance has its own pool" is in no table."""
    answer = REFERENCE.replace(
        "every application instance has its own pool", "all application instances share one pool"
    )
    result = grade(answer)
    assert POINTS[2] not in result.covered_points
    assert [e["point"] for e in result.errors] == [POINTS[2]]
    assert result.score < 35
    assert "changes what the point rests on" in result.feedback


def test_the_reference_copied_unchanged_keeps_its_credit() -> None:
    """No content change: every point credited, nothing flagged."""
    result = grade(REFERENCE)
    assert result.errors == [] and len(result.covered_points) == 3


def test_a_clause_added_after_a_copied_claim_changes_nothing() -> None:
    """A sentence's tail said in the candidate's own clause leaves the copied claim intact."""
    answer = REFERENCE.replace(
        "rather than opening a new one.", "rather than opening a new one, and that is logged."
    )
    assert grade(answer).errors == []


def test_one_chinese_character_for_another_is_no_change() -> None:
    """ "继续观察" for "持续观察" is a synonym, not another fact."""
    reference = "最后对比优化前后的耗时，并持续观察慢查询日志，确认没有新的慢查询出现。"
    answer = "最后对比优化前后的耗时，并继续观察慢查询日志，确认没有新的慢查询出现。"
    result = grade_answer(
        "慢查询怎么优化？", answer, ["对比优化前后耗时并观察慢查询日志"], reference
    )
    assert result.errors == []


def test_a_story_that_changes_a_copied_fact_is_held_down_too() -> None:
    """Stories follow the same rule as technical answers: a contradicted point caps the score."""
    reference = (
        "At my last job our nightly import failed twice a week and the sales team lost a morning "
        "each time. I was asked to make it reliable within a month. I added retries with backoff "
        "around the supplier's API and wrote an alert that paged the on-call engineer. Failures "
        "dropped from eight a month to one, and I learned to measure before rewriting anything."
    )
    points = [
        "situation: the nightly import failed twice a week",
        "action: retries with backoff around the supplier's API and an alert paging on-call",
        "result: failures dropped from eight a month to one",
    ]
    answer = reference.replace("retries with backoff", "a manual rerun")
    question = "Tell me about a time you made an unreliable process reliable."
    result = grade_answer(question, answer, points, reference, kind="behavioral")
    assert result.errors and result.score < 35
