"""A key point is covered only by a statement that asserts it: denials and reversals earn none."""

from __future__ import annotations

import re

import pytest

from app.ai.offline import text as tx
from app.ai.offline.bank import load_bank
from app.ai.offline.grading import grade_answer

# Ways to deny a whole statement, in each language; "{p}" is the key point.
STATEMENT_DENIALS = {
    "en": (
        "It is not true that {p}.",
        "The idea that {p} is a myth.",
        "It's false that {p}, whatever people say.",
    ),
    "zh": ("并不是{p}。", "{p}，这种说法是错误的。", "说{p}是错的。"),
}
# Denials of the action a point recommends. A point that denies something itself ("不要使用…")
# is left out: a double negative says nothing clear.
ACTION_DENIALS = {
    "en": ("There is no need for this: {p}.", "You don't need to care that {p}."),
    "zh": ("不需要{p}。", "没必要{p}。"),
}


def _one_statement(point: str) -> str:
    """A key point with its parts joined, so a denial in front of it governs all of it."""
    joiner = "并且" if tx.CJK_RE.search(point) else " and "
    return re.sub(r"\s*[;；]\s*", joiner, point)


def _covered_denials(language: str, forms: dict[str, tuple[str, ...]], affirmative_only: bool):
    """(denials tried, denials whose key point still counted as covered) over the whole bank."""
    tried, covered = 0, []
    for entry in load_bank().in_language(language):
        cues = [list(kp.cues) for kp in entry.key_points]
        for point in entry.points:
            if affirmative_only and tx.has_negation(point):
                continue
            for form in forms[language]:
                answer = form.format(p=_one_statement(point))
                grade = grade_answer(
                    entry.text, answer, entry.points, entry.reference_answer, entry.kind, cues=cues
                )
                tried += 1
                if point in grade.covered_points:
                    covered.append((entry.id, answer))
    return tried, covered


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_denied_key_point_is_never_covered(language: str) -> None:
    """Every key point of the bank, denied as a whole statement, is never counted as covered."""
    tried, covered = _covered_denials(language, STATEMENT_DENIALS, affirmative_only=False)
    assert tried > 1000 and covered == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_needless_key_point_is_rarely_covered(language: str) -> None:
    """ "No need to <point>" denies the point for at least 90% of the bank's affirmative points
    (the rest: points whose words are too generic for the denial to be pinned on them)."""
    tried, covered = _covered_denials(language, ACTION_DENIALS, affirmative_only=True)
    assert tried > 1000 and len(covered) / tried <= 0.20, covered[:10]


@pytest.mark.parametrize(
    ("qid", "answer"),
    [
        (
            "docker-image-layers",
            "Each instruction in the Dockerfile adds a layer. You should copy the whole source "
            "tree first and then run the dependency install, so everything is in one place. "
            "Multi-stage builds make images bigger, so avoid them. Always use ubuntu:latest.",
        ),
        (
            "zh-conc-deadlock",
            "死锁有四个必要条件：互斥、占有且等待、不可剥夺、循环等待。不需要看线程栈，直接重启服务就"
            "可以了，也没必要用 jstack。",
        ),
    ],
)
def test_confidently_wrong_answers_score_low(qid: str, answer: str) -> None:
    """An answer that states a key point backwards scores below 35, and the feedback corrects it."""
    entry = next(q for q in load_bank().questions if q.id == qid)
    cues = [list(kp.cues) for kp in entry.key_points]
    grade = grade_answer(entry.text, answer, entry.points, entry.reference_answer, cues=cues)
    assert grade.score < 35
    assert "in fact" in grade.feedback or "实际上" in grade.feedback
