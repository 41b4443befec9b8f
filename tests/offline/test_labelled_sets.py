"""Every labelled set is well-formed and broad enough to measure the grader honestly.

These tests check the files, not the grader: how the grader scores them is what `make bench`
prints. The checks every set shares run on each set in `SETS`; a new set is one line there (and
its new families, if any, a line each in `FAMILY_LABELS`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from app.ai.offline.bank import load_bank
from bench.bench_grader import (
    ADVERSARIAL_SET,
    COPIES_SET,
    CROSSLANG_SET,
    PARAPHRASE_SET,
    RELATIONS_SET,
    REVERSALS_SET,
    is_bank_row,
    load_rows,
    quality,
    wrong_below_correct,
)


@dataclass(frozen=True)
class LabelledSet:
    """A labelled set and what its size and copies must be."""

    path: Path
    min_rows: int
    copy_ratio: float = 0.8  # how alike a reversed or swapped copy and its reference must be
    every_family_per_question: bool = False  # each question has an answer of every family
    both_origins: bool = True  # bank questions and questions written for the set
    # Families whose answers may be in either language (a set on language crossing puts wrong
    # answers in the other language too).
    any_language: frozenset[str] = frozenset({"injection", "off_topic_long"})

    def __str__(self) -> str:
        return self.path.stem


SETS = (
    LabelledSet(ADVERSARIAL_SET, min_rows=320, copy_ratio=0.75),
    LabelledSet(REVERSALS_SET, min_rows=120),
    LabelledSet(PARAPHRASE_SET, min_rows=120),
    LabelledSet(COPIES_SET, min_rows=120, every_family_per_question=True),
    LabelledSet(RELATIONS_SET, min_rows=60, every_family_per_question=True, both_origins=False),
    LabelledSet(
        CROSSLANG_SET,
        min_rows=60,
        every_family_per_question=True,
        both_origins=False,
        any_language=frozenset({"confident_wrong", "keyword_list"}),
    ),
)

FIELDS = {
    "id",
    "question",
    "category",
    "reference_answer",
    "key_points",
    "answer",
    "label",
    "language",
    "family",
    "bank",
}
# Each family (tests/offline/labelled/README.md) and the labels its answers may carry.
FAMILY_LABELS = {
    "reference_copy": {4},
    "plain_good": {4},
    "plain_brief": {3},
    "short_exact": {3},
    "paraphrase_correct": {3, 4},
    "other_language_correct": {3, 4},
    "vague": {2},
    "reversed_fact_copy": {1},
    "role_swap_copy": {1},
    "confident_wrong": {1},
    "keyword_list": {1},
    "question_echo": {0},
    "injection": {0},
    "off_topic_long": {0},
}
# The reference with one local change: a reversed fact, or two roles swapped in one sentence.
COPY_FAMILIES = {"reversed_fact_copy", "role_swap_copy"}

each_set = pytest.mark.parametrize("labelled", SETS, ids=str)


def script_language(text: str) -> str:
    """ "zh" when the text has more Chinese characters than Latin words, else "en"."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return "zh" if han > len(re.findall(r"[A-Za-z]+", text)) else "en"


@cache
def rows_of(path: Path) -> list[dict]:
    """A set's rows, read once for all the tests."""
    return load_rows(path)


def by_question(rows: list[dict]) -> dict[str, list[dict]]:
    """The rows grouped by the question they answer."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["question"]].append(row)
    return grouped


@each_set
def test_every_row_has_the_fields_and_a_label_its_family_allows(labelled: LabelledSet) -> None:
    """Exactly the documented fields, well typed; the label fits the family; ids are unique; the
    set is big enough."""
    rows = rows_of(labelled.path)
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        texts = FIELDS - {"key_points", "label", "bank"}
        assert all(isinstance(row[k], str) and row[k].strip() for k in texts), row["id"]
        assert row["key_points"] and all(isinstance(p, str) and p for p in row["key_points"])
        assert isinstance(row["bank"], bool)
        assert row["label"] in range(5), row["id"]
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
    assert len({r["id"] for r in rows}) == len(rows)
    assert len(rows) >= labelled.min_rows


@each_set
def test_language_field_names_the_answers_language(labelled: LabelledSet) -> None:
    """`language` is the answer's script; only other-language answers differ from the question."""
    for row in rows_of(labelled.path):
        assert row["language"] == script_language(row["answer"]), row["id"]
        asked = script_language(row["question"])
        if row["family"] == "other_language_correct":
            assert row["language"] != asked, row["id"]
        elif row["family"] not in labelled.any_language:
            assert row["language"] == asked, row["id"]


@each_set
def test_bank_rows_carry_the_banks_own_question_reference_and_points(
    labelled: LabelledSet,
) -> None:
    """`bank: true` rows copy a bank question exactly; other questions are not in the bank."""
    bank = {entry.text: entry for entry in load_bank().questions}
    for row in rows_of(labelled.path):
        entry = bank.get(row["question"])
        if row["bank"]:
            assert entry is not None, row["id"]
            assert row["reference_answer"] == entry.reference_answer, row["id"]
            assert row["key_points"] == entry.points, row["id"]
        else:
            assert entry is None, row["id"]


@each_set
def test_both_languages_and_both_kinds_of_question(labelled: LabelledSet) -> None:
    """English and Chinese answers, to bank questions and to questions outside the bank (only
    the latter where the set is about questions the bank does not know)."""
    rows = rows_of(labelled.path)
    assert {r["language"] for r in rows} == {"en", "zh"}
    assert {r["bank"] for r in rows} == ({True, False} if labelled.both_origins else {False})


@each_set
def test_every_question_has_right_and_wrong_answers_and_one_reference(
    labelled: LabelledSet,
) -> None:
    """Wrong (label ≤ 1) and correct (label ≥ 3) answers for each question, all beside one
    reference answer and key-point list; where the set says so, every family for each question."""
    rows = rows_of(labelled.path)
    families = {r["family"] for r in rows}
    for question, answers in by_question(rows).items():
        labels = [a["label"] for a in answers]
        assert min(labels) <= 1 and max(labels) >= 3, question
        assert len({(a["reference_answer"], tuple(a["key_points"])) for a in answers}) == 1
        if labelled.every_family_per_question:
            assert {a["family"] for a in answers} == families, question


@each_set
def test_copies_are_the_reference_with_one_local_change(labelled: LabelledSet) -> None:
    """A reversed or swapped copy differs from its reference answer, but only in a small part."""
    for row in (r for r in rows_of(labelled.path) if r["family"] in COPY_FAMILIES):
        ref, answer = row["reference_answer"], row["answer"]
        assert ref != answer, row["id"]
        ratio = difflib.SequenceMatcher(None, ref, answer, autojunk=False).ratio()
        assert ratio >= labelled.copy_ratio, row["id"]


def test_the_adversarial_set_meets_its_quotas() -> None:
    """≥ 320 answers, ≥ 35% Chinese, ≥ 30% on questions outside the bank, every family of its
    README table with ≥ 15 answers, every label; ≥ 40 questions in both languages, each with
    ≥ 5 answers."""
    rows = rows_of(ADVERSARIAL_SET)
    assert len(rows) >= 320
    assert sum(r["language"] == "zh" for r in rows) >= 0.35 * len(rows)
    assert sum(not r["bank"] for r in rows) >= 0.30 * len(rows)
    families = Counter(r["family"] for r in rows)
    assert set(families) == set(FAMILY_LABELS) - {"reference_copy", "role_swap_copy"}
    assert min(families.values()) >= 15, families
    assert {r["label"] for r in rows} == set(range(5))
    questions = by_question(rows)
    assert len(questions) >= 40
    assert {script_language(q) for q in questions} == {"en", "zh"}
    assert all(len(answers) >= 5 for answers in questions.values())


def test_the_copies_set_has_several_copies_per_question_of_each_kind() -> None:
    """At least six bank questions and six written for the set, English and Chinese in each, and
    at least three reversed copies of every question's reference."""
    rows = rows_of(COPIES_SET)
    questions = by_question(rows)
    kinds = Counter((a[0]["bank"], a[0]["language"]) for a in questions.values())
    assert kinds[True, "en"] + kinds[True, "zh"] >= 6
    assert kinds[False, "en"] + kinds[False, "zh"] >= 6
    assert all(kinds[k] for k in ((True, "en"), (True, "zh"), (False, "en"), (False, "zh")))
    copies = Counter(r["question"] for r in rows if r["family"] == "reversed_fact_copy")
    assert set(copies) == set(questions) and min(copies.values()) >= 3


def _row(question: str, label: int, **extra: object) -> dict:
    return {"question": question, "answer": "a", "label": label, "key_points": ["p"], **extra}


def test_the_crosslang_set_crosses_both_ways_on_new_questions() -> None:
    """At least ten questions outside the bank, in both languages; on each, three or four correct
    answers in the other language, three paraphrases, a wrong answer in the other language, a
    keyword list and two vague answers."""
    questions = by_question(rows_of(CROSSLANG_SET))
    assert len(questions) >= 10
    assert {script_language(q) for q in questions} == {"en", "zh"}
    for question, answers in questions.items():
        families = Counter(a["family"] for a in answers)
        assert 3 <= families["other_language_correct"] <= 4, question
        assert (families["paraphrase_correct"], families["vague"]) == (3, 2), question
        assert families["confident_wrong"] == families["keyword_list"] == 1, question
        wrong = next(a for a in answers if a["family"] == "confident_wrong")
        assert wrong["language"] != script_language(question), question


def test_wrong_below_correct_counts_questions_with_a_clean_split() -> None:
    """A question counts only when its best wrong answer is below its worst correct one; questions
    without both kinds are left out; vague answers (label 2) do not take part."""
    rows = [
        _row("q1", 1),
        _row("q1", 3),
        _row("q1", 2),
        _row("q2", 0),
        _row("q2", 4),
        _row("q3", 4),
    ]
    assert wrong_below_correct(rows, [30, 60, 99, 10, 40, 80]) == (2, 2)
    assert wrong_below_correct(rows, [60, 60, 0, 10, 40, 80]) == (1, 2)  # a tie is not below


def test_quality_reports_bank_invalid_share_and_family_means() -> None:
    """The figures the bench prints, from given scores (no grading)."""
    bank_text = load_bank().questions[0].text
    rows = [
        _row(bank_text, 0, family="injection"),
        _row(bank_text, 1, family="reversed_fact_copy"),
        _row(bank_text, 4, family="plain_good"),
        _row("my own question", 0, family="injection", bank=False),
        _row("my own question", 3, family="short_exact", bank=False),
    ]
    assert [is_bank_row(r) for r in rows] == [True, True, True, False, False]
    figures = quality(rows, [10, 50, 90, 30, 70])
    assert figures.bank_count == 3 and figures.bank_spearman == pytest.approx(1.0)
    assert (figures.label0_low, figures.label0_count, figures.label0_max) == (1, 2, 30)
    assert (figures.ordered_questions, figures.ordered_total) == (2, 2)
    assert figures.kind_mean("injection") == 20 and figures.kind_mean("reversed_fact_copy") == 50
    assert figures.kind_mean("confident_wrong") is None
    assert any("reversed_fact_copy 50.0" in line for line in figures.lines())
