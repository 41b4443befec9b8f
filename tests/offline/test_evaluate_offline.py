"""evaluate_answers: items graded and matched by id, with bank cues for known questions."""

from __future__ import annotations

from app.ai.offline import evaluate_answers
from app.ai.offline.bank import load_bank
from app.ai.offline.evaluate import bank_cues
from app.ai.schemas import AnswerToGrade, EvaluateRequest


def test_every_item_is_graded_and_matched_by_id():
    """Scores come back per question id; a blank answer scores 0 with its points missed."""
    entry = load_bank().questions[0]
    batch = evaluate_answers(
        EvaluateRequest(
            items=[
                AnswerToGrade(
                    question_id=7,
                    question=entry.text,
                    key_points=entry.points,
                    reference_answer=entry.reference_answer,
                    answer=entry.reference_answer,
                ),
                AnswerToGrade(
                    question_id=9, question=entry.text, key_points=entry.points, answer=""
                ),
            ]
        )
    )
    by_id = {e.question_id: e for e in batch.evaluations}
    assert set(by_id) == {7, 9}
    assert by_id[7].score > by_id[9].score == 0
    assert by_id[9].missed_points == entry.points
    assert by_id[7].feedback


def test_bank_cues_line_up_with_the_items_key_points():
    """Cues follow the item's key points; a point the bank does not know gets none."""
    entry = load_bank().questions[0]
    points = [entry.points[1], "a point written by hand"]
    cues = bank_cues(entry, points)
    assert cues is not None
    assert cues[0] == list(entry.key_points[1].cues)
    assert cues[1] == []
    assert bank_cues(None, points) is None


def test_missing_key_points_are_taken_from_the_bank():
    """An item without key points is graded against its bank entry's points."""
    entry = load_bank().questions[0]
    batch = evaluate_answers(
        EvaluateRequest(items=[AnswerToGrade(question_id=1, question=entry.text, answer="")])
    )
    assert batch.evaluations[0].missed_points == entry.points
