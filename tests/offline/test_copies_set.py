"""The near-copies labelled set is well-formed: each reversed copy is the reference with one local
edit, every question has a correct paraphrase, brief and one-line answer beside its wrong ones.

How the grader scores the set is what `make bench` prints, not what these tests check.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict

import pytest

from app.ai.offline.bank import load_bank
from bench.bench_grader import COPIES_SET, load_rows

FAMILY_LABELS = {
    "reversed_fact_copy": {1},
    "paraphrase_correct": {3, 4},
    "plain_brief": {3},
    "short_exact": {3},
    "confident_wrong": {1},
    "vague": {2},
}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_rows(COPIES_SET)


def test_labels_fit_families_and_ids_are_unique(rows: list[dict]) -> None:
    """Each answer's label is the one its family allows; ids are unique; the set is big enough."""
    assert len(rows) >= 120
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
        assert row["language"] in ("en", "zh")


def test_bank_and_own_questions_in_both_languages(rows: list[dict]) -> None:
    """At least six bank questions and six written for the set, English and Chinese in each."""
    kinds = Counter((r["bank"], r["language"]) for r in {r["question"]: r for r in rows}.values())
    assert kinds[True, "en"] + kinds[True, "zh"] >= 6
    assert kinds[False, "en"] + kinds[False, "zh"] >= 6
    assert all(kinds[k] for k in ((True, "en"), (True, "zh"), (False, "en"), (False, "zh")))


def test_bank_rows_carry_the_banks_own_reference(rows: list[dict]) -> None:
    """A bank row's question, reference answer and key points are the bank's own."""
    bank = {q.text: q for q in load_bank().questions}
    for row in (r for r in rows if r["bank"]):
        entry = bank[row["question"]]
        assert row["reference_answer"] == entry.reference_answer
        assert row["key_points"] == list(entry.points)


def test_reversed_copies_are_the_reference_with_one_local_edit(rows: list[dict]) -> None:
    """A reversed copy differs from the reference in one stretch, and each question has several."""
    per_question: Counter[str] = Counter()
    for row in (r for r in rows if r["family"] == "reversed_fact_copy"):
        ref, answer = row["reference_answer"], row["answer"]
        matcher = difflib.SequenceMatcher(None, ref, answer, autojunk=False)
        assert ref != answer and matcher.ratio() > 0.8, row["id"]
        per_question[row["question"]] += 1
    assert min(per_question.values()) >= 3


def test_every_question_has_each_family(rows: list[dict]) -> None:
    """Every question has all the families, so wrong and correct answers meet on each."""
    families: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        families[row["question"]].add(row["family"])
    assert all(seen == FAMILY_LABELS.keys() for seen in families.values())
