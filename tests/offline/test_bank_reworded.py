"""A bank question worded afresh (by a remote planner, or the interview flow) is still the bank
question: its key points, misconceptions and cues grade the answer. A neighbouring question is
never taken for it."""

from __future__ import annotations

import pytest

from app.ai.offline import text as tx
from app.ai.offline.bank import REWORDED_AT, REWORDED_MARGIN, alike, load_bank, strong_terms
from app.ai.offline.grading import grade_answer

REWORDED = [
    (
        "py-memory-leak-prod",
        "Our long-running Python web service keeps growing in memory until the container gets "
        "OOM-killed every few hours. How would you investigate and fix that?",
    ),
    (
        "mq-consumer-lag-incident",
        "Consumer lag on a critical queue has kept growing for an hour and alerts fire. How do "
        "you handle it?",
    ),
    ("zh-mysql-clustered-index", "聚簇索引和二级索引有什么区别？回表和覆盖索引又是什么？"),
    (
        "py-memory-leak-prod",
        "  a long-running python web service's MEMORY keeps growing until "
        "the container is OOM-killed every few hours -- how do you investigate and fix it  ",
    ),
]


def bank_question(qid: str):
    """One bank question by id."""
    return next(q for q in load_bank().questions if q.id == qid)


@pytest.mark.parametrize(("qid", "text"), REWORDED)
def test_a_reworded_bank_question_is_found(qid: str, text: str) -> None:
    """Punctuation, case and a few words changed: the same bank entry."""
    found = load_bank().find_by_text(text)
    assert found is not None
    assert found.id == qid


NEIGHBOURS = [
    # A different question on the same subject: the GIL's effect on threads is not the bank's
    # "what is the GIL and when does it limit performance".
    "How does Python's GIL affect multi-threaded code?",
    # The OOM killer's neighbour: a leak in a Go service is not the Python one.
    "A Go service's goroutines keep growing until it runs out of memory. How do you find them?",
    # A clustered index in InnoDB, asked about its page splits, not how it works.
    "Why do random UUID primary keys cause page splits in a clustered index?",
    "什么是聚簇索引？",
]


@pytest.mark.parametrize("text", NEIGHBOURS)
def test_a_neighbouring_question_is_not_taken_for_a_bank_question(text: str) -> None:
    """Sharing a subject with a bank question is not being it."""
    assert load_bank().find_by_text(text) is None


def test_a_reworded_question_is_graded_with_the_bank_misconceptions() -> None:
    """The reworded question keeps the bank's wrong claims: one stated is flagged, as it is
    under the bank's own wording."""
    entry = bank_question("py-memory-leak-prod")
    point = next(kp for kp in entry.key_points if kp.misconceptions)
    claim = point.misconceptions[0].claim
    exact = grade_answer(entry.text, claim, entry.points, entry.reference_answer)
    reworded = grade_answer(REWORDED[0][1], claim, entry.points, entry.reference_answer)
    assert exact.errors
    assert [e["claim"] for e in reworded.errors] == [e["claim"] for e in exact.errors]


def test_part_of_a_bank_question_is_not_that_question() -> None:
    """A question asking only part of what a bank question asks is not graded by the bank's key
    points, which would ask for more than was asked."""
    assert load_bank().find_by_text("Walk me through how HashMap works inside Java.") is None


def every_question_compared(text: str):
    """The reworded lookup done the long way: `text` scored against every bank question in its
    language, the best taken when alike enough and clearly ahead of the next."""
    bank = load_bank()
    own = strong_terms(text)
    language = tx.detect_language(text)
    ranked = sorted(
        (
            (alike(own, strong_terms(q.text)), k)
            for k, q in enumerate(bank.questions)
            if q.language == language
        ),
        reverse=True,
    )
    if not own or not ranked or ranked[0][0] < REWORDED_AT:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < REWORDED_MARGIN:
        return None
    return bank.questions[ranked[0][1]]


def wordings() -> list[str]:
    """Each bank question cut short, with a word left out, and run into its neighbour."""
    texts = [q.text for q in load_bank().questions]
    out = []
    for text, following in zip(texts, texts[1:] + texts[:1], strict=True):
        words = text.split()
        out += [" ".join(words[: max(1, len(words) // 2)]), " ".join(words[1:])]
        out.append(f"{text} {following}")
    return out


def test_the_indexed_lookup_finds_what_comparing_every_question_finds() -> None:
    """Comparing a new question only with bank questions sharing its words changes no match."""
    bank = load_bank()
    for text in wordings():
        assert bank.find_reworded(text) == every_question_compared(text), text
