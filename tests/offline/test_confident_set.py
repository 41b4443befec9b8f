"""The confident-wrong labelled set is well-formed: every question has correct answers of several
lengths beside confidently wrong ones and long answers about a neighbouring topic.

How the grader scores the set is what `make bench` prints, not what these tests check.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from app.ai.offline.bank import load_bank
from bench.bench_grader import CONFIDENT_SET, load_rows
from tests.offline.test_labelled_sets import FIELDS, script_language

FAMILY_LABELS = {
    "plain_good": {4},
    "plain_brief": {3},
    "short_exact": {3},
    "confident_wrong": {1},
    "off_topic_long": {0},
}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_rows(CONFIDENT_SET)


def test_fields_labels_and_ids(rows: list[dict]) -> None:
    """The adversarial set's fields; each label is one its family allows; ids are unique; the set
    is big enough."""
    assert len(rows) >= 120
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
        assert row["key_points"] and isinstance(row["bank"], bool)


def test_language_is_the_answers_and_the_questions(rows: list[dict]) -> None:
    """Every answer is in its question's language, and `language` names it."""
    for row in rows:
        assert row["language"] == script_language(row["answer"]), row["id"]
        assert row["language"] == script_language(row["question"]), row["id"]


def test_bank_and_own_questions_in_both_languages(rows: list[dict]) -> None:
    """At least three questions of each origin in each language."""
    kinds = Counter((r["bank"], r["language"]) for r in {r["question"]: r for r in rows}.values())
    assert all(kinds[k] >= 3 for k in ((True, "en"), (True, "zh"), (False, "en"), (False, "zh")))


def test_bank_rows_carry_the_banks_own_reference(rows: list[dict]) -> None:
    """A bank row's question, reference answer and key points are the bank's own; an own
    question is not in the bank."""
    bank = load_bank()
    for row in rows:
        entry = bank.find_by_text(row["question"])
        assert (entry is not None) == row["bank"], row["id"]
        if entry is not None:
            assert row["reference_answer"] == entry.reference_answer
            assert row["key_points"] == list(entry.points)


def test_every_question_has_each_family_and_several_wrong_answers(rows: list[dict]) -> None:
    """Every question has all the families, with at least two confident-wrong and two off-topic
    answers, so wrong and correct answers meet on each."""
    families: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        families[row["question"]][row["family"]] += 1
    for seen in families.values():
        assert set(seen) == FAMILY_LABELS.keys()
        assert seen["confident_wrong"] >= 2 and seen["off_topic_long"] >= 2


def test_off_topic_answers_are_long(rows: list[dict]) -> None:
    """An off-topic answer is long and fluent, not a one-liner the length rules would catch."""
    for row in (r for r in rows if r["family"] == "off_topic_long"):
        size = len(row["answer"].split()) if row["language"] == "en" else len(row["answer"]) / 2
        assert size >= 60, row["id"]
