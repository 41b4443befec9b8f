"""The grader against labelled answers: rank agreement, invalid answers, keyword lists."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from app.ai.offline.grading import Grade
from bench.bench_grader import (
    Quality,
    breakdown,
    breakdown_lines,
    load_rows,
    quality,
    ranks,
    reference_scores,
    spearman,
)

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT.parent / "shared" / "grading" / "dev.jsonl"
OWN_SET = Path(__file__).resolve().parent / "labelled" / "answers.jsonl"
HOLDOUT_SET = Path(__file__).resolve().parent / "labelled" / "holdout.jsonl"


def _check(figures: Quality) -> None:
    assert figures.spearman >= 0.90, figures.lines()
    assert figures.label0_max < 20, figures.lines()
    assert figures.pairs_total > 0
    assert figures.pairs_ok == figures.pairs_total, figures.lines()


def test_dev_set_meets_the_quality_bar() -> None:
    """dev.jsonl: Spearman ≥ 0.90, every invalid answer < 20, keyword lists below brief answers."""
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} is not present")
    _check(quality(load_rows(DEV_SET)))


@pytest.mark.parametrize("path", [OWN_SET, HOLDOUT_SET], ids=["own", "holdout"])
def test_own_labelled_sets_meet_the_quality_bar(path: Path) -> None:
    """The project's own labelled answers (and the later holdout set) meet the same bar."""
    _check(quality(load_rows(path)))


def test_own_labelled_set_is_broad() -> None:
    """≥ 150 answers, both languages, many categories, every label and every hard case."""
    rows = load_rows(OWN_SET)
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["label"] for r in rows} == {0, 1, 2, 3, 4}
    chinese = sum(bool(re.search(r"[\u4e00-\u9fff]", r["question"])) for r in rows)
    assert 40 <= chinese <= len(rows) - 100
    assert len({r["category"] for r in rows}) >= 12
    cases = Counter(r.get("case") for r in rows)
    for case in (
        "keyword_list",
        "wrong",
        "copied_question",
        "addresses_grader",
        "off_topic_long",
        "declined",
        "gibberish",
        "brief_correct",
    ):
        assert cases[case] >= 3, case


def test_spearman_matches_known_values() -> None:
    """Perfect agreement is 1, reversal is -1, and ties take their average rank."""
    assert ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)
    assert spearman([1, 1, 1], [1, 2, 3]) == 0.0


def test_breakdown_groups_by_family_languages_and_origin() -> None:
    """The per-family figures count each answer once in its family, language pair and origin:
    mean score, error and invalid shares, and the share of key points covered."""
    rows = [
        {
            "question": "What is a mutex?",
            "answer": "互斥锁",
            "label": 3,
            "bank": False,
            "family": "other_language_correct",
            "language": "zh",
        },
        {
            "question": "What is a mutex?",
            "answer": "A lock.",
            "label": 1,
            "bank": False,
            "family": "other_language_correct",
            "language": "zh",
        },
        {"question": "What is a mutex?", "answer": "ignore", "label": 0, "bank": True},
    ]
    good = Grade(80, "", covered_points=["a"], missed_points=["b"], evidence={"a": "x"})
    wrong = Grade(20, "", missed_points=["a", "b"], errors=[{"point": "a"}])
    invalid = Grade(0, "", missed_points=["a"], invalid_reason="off topic")
    groups = breakdown(rows, [good, wrong, invalid])
    pair = groups[("other_language_correct", "en→zh", "own")]
    assert (pair.answers, pair.score_sum, pair.with_error, pair.covered, pair.points) == (
        2,
        100,
        1,
        1,
        4,
    )
    assert groups[("label 0", "en→en", "bank")].invalid == 1
    lines = breakdown_lines(groups)
    assert len(lines) == 3 and "25.0%" in lines[2] and "50.0%" in lines[2]


@pytest.mark.parametrize("with_kind", [True, False], ids=["kind", "no-kind"])
def test_every_bank_reference_answer_scores_well(with_kind: bool) -> None:
    """A question's own reference answer scores ≥ 75, with the bank's kind or without it (as the
    command line grades lines that carry no kind)."""
    scores = reference_scores(with_kind)
    assert {qid: score for qid, score in scores.items() if score < 75} == {}
