"""A cue phrase whose meaning is in its small words ("within a partition", "as the key") is found
only with them: its one content word alone ("the partition exceeds…") says something else."""

from __future__ import annotations

import pytest

from app.ai.offline.grading.grade import grade_answer
from app.ai.offline.grading.phrases import find_phrase


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ordering holds within each partition only.", "within a partition"),
        ("Use the customer ID as the message key.", "as the key"),
        ("Order is kept per partition.", "per partition"),
        ("Records with the same key land together.", "same key"),
    ],
)
def test_a_cue_is_found_with_its_small_words(text: str, cue: str) -> None:
    """The phrase as written, an article or one word aside, is found."""
    assert find_phrase(text, cue) is not None


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The oldest segments go once the partition exceeds its size.", "within a partition"),
        ("Compaction keeps the latest record for every key.", "as the key"),
    ],
)
def test_a_cue_is_not_found_by_its_one_content_word(text: str, cue: str) -> None:
    """The one content word elsewhere is not the phrase."""
    assert find_phrase(text, cue) is None


def test_an_answer_on_another_subject_is_not_credited_by_a_shared_word() -> None:
    """A retention answer names partitions; it says nothing of ordering within one."""
    question = "What ordering guarantees does a log-based message broker give to consumers?"
    points = ["ordering holds only within a single shard of the log"]
    cues = [["within a shard", "per shard", "shard order"]]
    answer = (
        "Retention decides how long records stay. Old segments are deleted once the shard "
        "exceeds its size limit, and compaction keeps the latest value for every key."
    )
    graded = grade_answer(question, answer, points, cues=cues)
    assert graded.covered_points == []
