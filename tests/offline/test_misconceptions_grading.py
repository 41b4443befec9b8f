"""Confident wrong answers: a known misconception costs its point, and only when asserted."""

from __future__ import annotations

import pytest

from app.ai.offline import answer_insights
from app.ai.offline.bank import Misconception, load_bank
from app.ai.offline.evaluate import evaluate_answers
from app.ai.offline.grading import grade_answer, key_point_coverage
from app.ai.offline.grading.misconceptions import cue_fires
from app.ai.schemas import AnswerToGrade, EvaluateRequest, PointMisconception

QUESTION = "How do you keep a Docker image small and its builds fast?"
POINTS = [
    "multi-stage builds keep build tools out of the final image",
    "copy dependency manifests and install dependencies before copying source",
    "pin a slim base image version",
]
REFERENCE = (
    "Use multi-stage builds: compile in a builder stage and copy only the artifacts into a slim "
    "runtime image, so build tools stay out of the final image. Copy the dependency manifests and "
    "install dependencies before copying the source so the layer cache survives code edits. Pin a "
    "slim base image version instead of a floating tag."
)
WRONG = [
    (
        Misconception(
            "Multi-stage builds make the final image bigger because every stage is kept.",
            ("multi-stage bigger", "multi-stage larger", "stages kept final image"),
            "Only what you COPY --from an earlier stage reaches the final image, so it is smaller.",
        ),
    ),
    (
        Misconception(
            "Copy the whole source tree first, then install dependencies.",
            ("source first", "copy everything first", "whole source first"),
            "Copy only the manifests and install first, so a code edit keeps the dependency layer.",
        ),
    ),
    (
        Misconception(
            "Always use ubuntu:latest as the base image.",
            ("always ubuntu latest", "always latest tag"),
            "A floating tag changes under you; pin a slim, versioned base image.",
        ),
    ),
]
GOOD = (
    "Multi-stage builds keep build tools out of the final image: a builder stage compiles and only "
    "the artifacts are copied into a slim runtime. I copy the dependency manifests and install "
    "dependencies before copying the source, and pin a slim base image version."
)
CONFIDENT_WRONG = (
    "Multi-stage builds make images bigger because every stage is kept in the final image. I copy "
    "the whole source tree first and then install dependencies, and I always use ubuntu:latest."
)


def grade(answer: str, wrong=WRONG):
    return grade_answer(QUESTION, answer, POINTS, REFERENCE, misconceptions=wrong)


def test_a_confident_wrong_answer_is_caught_and_corrected() -> None:
    result = grade(CONFIDENT_WRONG)
    assert result.covered_points == []
    assert result.score <= 35
    assert [e["point"] for e in result.errors] == POINTS
    for error in result.errors:
        assert error["quote"] in CONFIDENT_WRONG  # a verbatim span of the answer
        assert set(error) == {"point", "claim", "quote", "correction"}
    assert "You said “Multi-stage builds make images bigger" in result.feedback
    assert "in fact Only what you COPY --from" in result.feedback


def test_the_same_words_without_the_misconceptions_score_higher() -> None:
    assert grade(CONFIDENT_WRONG, wrong=None).score > grade(CONFIDENT_WRONG).score


def test_a_right_answer_is_not_accused() -> None:
    result = grade(GOOD)
    assert result.errors == [] and len(result.covered_points) == 3
    assert "You said" not in result.feedback


def test_a_misconception_beside_the_points_cues_still_costs_the_point() -> None:
    answer = "A multi-stage build with a builder stage makes the final image bigger."
    assert POINTS[0] in grade(answer, wrong=None).covered_points
    result = grade(answer)
    assert POINTS[0] not in result.covered_points
    assert result.errors and result.errors[0]["quote"] in answer


@pytest.mark.parametrize(
    "answer",
    [
        "It is a myth that multi-stage builds make images bigger.",
        "Multi-stage builds do not make images bigger.",
        "People think multi-stage builds make images bigger, which is wrong.",
        "Do multi-stage builds make images bigger?",
        "Images get bigger when you skip cleanup, so use multi-stage builds.",
        "Never copy the whole source tree first.",
        "Avoid always pulling ubuntu:latest.",
    ],
)
def test_a_negated_rejected_or_asked_claim_triggers_nothing(answer: str) -> None:
    assert grade(answer).errors == []


def test_live_coverage_agrees_with_the_grade() -> None:
    by_point = {p: covered for p, covered, _ in key_point_coverage(CONFIDENT_WRONG, POINTS)}
    assert by_point[POINTS[0]] is True  # without the misconceptions the words look like a match
    wrong = key_point_coverage(CONFIDENT_WRONG, POINTS, misconceptions=WRONG)
    assert [covered for _p, covered, _e in wrong] == [False, False, False]


def test_chinese_misconceptions_match_by_substring_and_respect_negation() -> None:
    points = ["用 jstack 查看线程栈定位死锁", "破坏循环等待条件", "统一加锁顺序"]
    wrong = [
        (Misconception("排查死锁不需要看线程栈。", ("不需要 线程栈",), "用 jstack 看线程栈。"),),
        (),
        (),
    ]
    question = "线上出现死锁怎么排查和避免？"
    said = grade_answer(
        question, "排查死锁不需要看线程栈，直接重启就行。", points, misconceptions=wrong
    )
    assert said.errors and "实际上用 jstack 看线程栈。" in said.feedback
    assert points[0] not in said.covered_points
    denied = grade_answer(
        question, "有人认为不需要看线程栈，这是误区。", points, misconceptions=wrong
    )
    assert denied.errors == []


# ------------------------------------------------------------------ the bank's own content
def bank_cases() -> list[tuple]:
    """(question, point index, misconception) for every misconception in the bank."""
    return [
        (q, n, m)
        for q in load_bank().questions
        for n, kp in enumerate(q.key_points)
        for m in kp.misconceptions
    ]


def test_the_bank_has_misconceptions_to_check() -> None:
    assert len(bank_cases()) >= 100


def test_every_bank_claim_graded_as_an_answer_is_caught() -> None:
    for question, n, wrong in bank_cases():
        result = grade_answer(
            question.text, wrong.claim, question.points, question.reference_answer
        )
        point = question.points[n]
        assert point not in result.covered_points, (question.id, wrong.claim)
        assert any(e["point"] == point for e in result.errors), (question.id, wrong.claim)
        assert result.score <= 35, (question.id, wrong.claim, result.score)


def test_no_bank_misconception_fires_on_right_answers() -> None:
    for question in {q for q, _n, _m in bank_cases()}:
        for right in [question.reference_answer, *question.points]:
            result = grade_answer(question.text, right, question.points, question.reference_answer)
            assert result.errors == [], (question.id, right, result.errors)


def test_no_bank_claim_fires_when_called_a_myth() -> None:
    for question, _n, wrong in bank_cases():
        claim = wrong.claim.rstrip(".。")
        if question.language == "zh":
            answer = f"认为{claim}，这是一个误区。"
        else:
            answer = f"It is a myth that {claim[0].lower()}{claim[1:]}."
        result = grade_answer(question.text, answer, question.points, question.reference_answer)
        assert result.errors == [], (question.id, answer)


def test_the_offline_fallback_uses_a_plans_misconceptions_outside_the_bank() -> None:
    wrong = WRONG[0][0]
    item = AnswerToGrade(
        question_id=7,
        question=QUESTION,
        reference_answer=REFERENCE,
        key_points=POINTS,
        misconceptions=[
            PointMisconception(
                point=POINTS[0].upper(),  # matched to its key point by text, case aside
                claim=wrong.claim,
                cues=list(wrong.cues),
                correction=wrong.correction,
            )
        ],
        answer=CONFIDENT_WRONG,
    )
    graded = evaluate_answers(EvaluateRequest(items=[item])).evaluations[0]
    assert POINTS[0] in graded.missed_points
    assert "You said “Multi-stage builds make images bigger" in graded.feedback
    plain = evaluate_answers(
        EvaluateRequest(items=[item.model_copy(update={"misconceptions": []})])
    )
    assert plain.evaluations[0].score > graded.score


def test_live_insights_agree_with_the_grade() -> None:
    """The insights come from the same grade: a point the answer states a misconception about is
    not shown as covered (before evaluation only covered points are listed)."""
    context = AnswerToGrade(
        question_id=7,
        question=QUESTION,
        reference_answer=REFERENCE,
        key_points=POINTS,
        misconceptions=[
            PointMisconception(
                point=point, claim=w.claim, cues=list(w.cues), correction=w.correction
            )
            for point, wrongs in zip(POINTS, WRONG, strict=True)
            for w in wrongs
        ],
    )
    shown = answer_insights(CONFIDENT_WRONG, POINTS, "", question=context)
    assert shown["key_points"] == []
    plain = context.model_copy(update={"misconceptions": []})
    assert answer_insights(GOOD, POINTS, "", question=plain)["key_points_covered"] == 3


def test_no_bank_cue_fires_on_a_correction_of_its_question() -> None:
    """A correction is a right statement about the topic, so a cue that fires on one would accuse
    a candidate who says what is true."""
    for question in {q for q, _n, _m in bank_cases()}:
        wrongs = [m for kp in question.key_points for m in kp.misconceptions]
        for wrong in wrongs:
            for right in (w.correction for w in wrongs):
                assert not any(cue_fires(cue, right) for cue in wrong.cues), (question.id, right)
