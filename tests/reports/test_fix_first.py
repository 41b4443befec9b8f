"""The report's "Fix these first": lowest-scored main questions, never a follow-up's own row."""

from __future__ import annotations

from app.reports.services import fix_first


def detail(qid: int, position: int, score: int | None, missed: list[str], follow_up: bool = False):
    """One `question_details` item, as far as `fix_first` reads it."""
    return {
        "question_id": qid,
        "question": f"Question text {qid}",
        "position": position,
        "score": score,
        "missed_points": missed,
        "is_follow_up": follow_up,
    }


def test_the_lowest_main_questions_come_first_and_follow_ups_never():
    """A follow-up row (graded through its main question, its own score 0) would show "0/100"
    beside the main question's number; only main questions are listed, lowest score first."""
    details = [
        detail(1, 1, 60, ["a"]),
        detail(2, 1, 0, ["follow-up point"], follow_up=True),
        detail(3, 2, 20, ["b", "c"]),
        detail(4, 3, 90, []),  # nothing missed: nothing to fix
        detail(5, 4, None, ["d"]),  # not graded
        detail(6, 5, 40, ["e"]),
    ]
    fixes = fix_first(details)
    assert [(f["question_id"], f["score"], f["point"]) for f in fixes] == [
        (3, 20, "b"),
        (6, 40, "e"),
        (1, 60, "a"),
    ]
