"""The adversarial labelled set is well-formed and broad enough to measure the grader honestly.

These tests check the file, not the grader: how the grader scores it is what `make bench` prints.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import pytest

from app.ai.offline.bank import load_bank
from bench.bench_grader import ADVERSARIAL_SET, is_bank_row, load_rows, quality, wrong_below_correct

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
# Each family and the labels its answers may carry.
FAMILY_LABELS = {
    "plain_good": {4},
    "plain_brief": {3},
    "short_exact": {3},
    "paraphrase_correct": {3, 4},
    "other_language_correct": {3, 4},
    "vague": {2},
    "reversed_fact_copy": {1},
    "confident_wrong": {1},
    "keyword_list": {1},
    "question_echo": {0},
    "injection": {0},
    "off_topic_long": {0},
}
# Families whose answer may be in either language: what they say is not an answer anyway.
ANY_LANGUAGE = {"injection", "off_topic_long"}


def script_language(text: str) -> str:
    """ "zh" when the text has more Chinese characters than Latin words, else "en"."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return "zh" if han > len(re.findall(r"[A-Za-z]+", text)) else "en"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_rows(ADVERSARIAL_SET)


def test_every_row_has_the_fields_and_a_label_its_family_allows(rows: list[dict]) -> None:
    """Exactly the documented fields, well typed; the label fits the family; ids are unique."""
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        texts = FIELDS - {"key_points", "label", "bank"}
        assert all(isinstance(row[k], str) and row[k].strip() for k in texts), row["id"]
        assert row["key_points"] and all(isinstance(p, str) and p for p in row["key_points"])
        assert isinstance(row["bank"], bool)
        assert row["label"] in range(5), row["id"]
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
    assert len({r["id"] for r in rows}) == len(rows)


def test_language_field_names_the_answers_language(rows: list[dict]) -> None:
    """`language` is the answer's script; only other-language answers differ from the question."""
    for row in rows:
        assert row["language"] == script_language(row["answer"]), row["id"]
        asked = script_language(row["question"])
        if row["family"] == "other_language_correct":
            assert row["language"] != asked, row["id"]
        elif row["family"] not in ANY_LANGUAGE:
            assert row["language"] == asked, row["id"]


def test_bank_rows_carry_the_banks_own_question_reference_and_points(rows: list[dict]) -> None:
    """`bank: true` rows copy a bank question exactly; other questions are not in the bank."""
    bank = {entry.text: entry for entry in load_bank().questions}
    for row in rows:
        entry = bank.get(row["question"])
        if row["bank"]:
            assert entry is not None, row["id"]
            assert row["reference_answer"] == entry.reference_answer, row["id"]
            assert row["key_points"] == entry.points, row["id"]
        else:
            assert entry is None, row["id"]


def test_the_set_meets_its_quotas(rows: list[dict]) -> None:
    """≥ 320 answers, ≥ 35% Chinese, ≥ 30% on questions outside the bank, ≥ 15 per family."""
    assert len(rows) >= 320
    assert sum(r["language"] == "zh" for r in rows) >= 0.35 * len(rows)
    assert sum(not r["bank"] for r in rows) >= 0.30 * len(rows)
    families = Counter(r["family"] for r in rows)
    assert set(families) == set(FAMILY_LABELS)
    assert min(families.values()) >= 15, families
    assert {r["label"] for r in rows} == set(range(5))


def test_every_question_has_several_right_and_wrong_answers(rows: list[dict]) -> None:
    """≥ 40 questions in both languages, each with ≥ 5 answers, wrong (≤ 1) and correct (≥ 3) ones,
    and one reference answer and key-point list."""
    by_question: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_question[row["question"]].append(row)
    assert len(by_question) >= 40
    assert {script_language(q) for q in by_question} == {"en", "zh"}
    for question, answers in by_question.items():
        labels = [a["label"] for a in answers]
        assert len(answers) >= 5, question
        assert min(labels) <= 1 and max(labels) >= 3, question
        assert len({(a["reference_answer"], tuple(a["key_points"])) for a in answers}) == 1


def test_reversed_copies_are_the_reference_with_one_change(rows: list[dict]) -> None:
    """A reversed-fact copy differs from its reference answer, but only in a small part."""
    for row in (r for r in rows if r["family"] == "reversed_fact_copy"):
        assert row["answer"] != row["reference_answer"], row["id"]
        ratio = difflib.SequenceMatcher(None, row["answer"], row["reference_answer"]).ratio()
        assert ratio >= 0.75, row["id"]


def _row(question: str, label: int, **extra: object) -> dict:
    return {"question": question, "answer": "a", "label": label, "key_points": ["p"], **extra}


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
