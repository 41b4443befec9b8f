"""The reversals labelled set is well-formed: its reversed and swapped copies really are the
reference with one local change, and every question has answers on both sides.

How the grader scores the set is what `make bench` prints, not what these tests check.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

import pytest

from app.ai.offline.bank import load_bank
from bench.bench_grader import REVERSALS_SET, load_rows

FAMILY_LABELS = {
    "reference_copy": {4},
    "plain_brief": {3},
    "short_exact": {3},
    "reversed_fact_copy": {1},
    "role_swap_copy": {1},
    "confident_wrong": {1},
    "injection": {0},
    "question_echo": {0},
    "off_topic_long": {0},
}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_rows(REVERSALS_SET)


def test_labels_fit_families_and_ids_are_unique(rows: list[dict]) -> None:
    """Each answer's label is the one its family allows; ids are unique; the set is big enough."""
    assert len(rows) >= 120
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
        assert row["language"] in ("en", "zh")


def test_both_languages_and_both_kinds_of_question(rows: list[dict]) -> None:
    """English and Chinese answers, to bank questions and to questions outside the bank."""
    assert {r["language"] for r in rows} == {"en", "zh"}
    assert {r["bank"] for r in rows} == {True, False}


def test_bank_rows_carry_the_banks_own_reference(rows: list[dict]) -> None:
    """A bank row's question, reference answer and key points are the bank's own."""
    bank = {q.text: q for q in load_bank().questions}
    for row in (r for r in rows if r["bank"]):
        entry = bank[row["question"]]
        assert row["reference_answer"] == entry.reference_answer
        assert row["key_points"] == list(entry.points)


def test_copies_are_the_reference_with_one_local_change(rows: list[dict]) -> None:
    """A reversed or swapped copy differs from the reference in one stretch of it."""
    for row in rows:
        if row["family"] not in ("reversed_fact_copy", "role_swap_copy"):
            continue
        ref, answer = row["reference_answer"], row["answer"]
        assert ref != answer
        assert difflib.SequenceMatcher(None, ref, answer).ratio() > 0.8, row["id"]


def test_every_question_has_wrong_and_correct_answers(rows: list[dict]) -> None:
    """Wrong (label ≤ 1) and correct (label ≥ 3) answers for each question."""
    labels: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        labels[row["question"]].add(row["label"])
    for question, seen in labels.items():
        assert min(seen) <= 1 and max(seen) >= 3, question
