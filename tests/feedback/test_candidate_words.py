"""Only the candidate's words earn credit: a follow-up question's own text never counts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.ai.offline.bank import BankQuestion, load_bank
from app.ai.offline.evaluate import evaluate_answers
from app.evaluation.snapshot import combined_answer, grades_from, grading_request, snapshot

IRRELEVANT = {
    "en": "I enjoy hiking with my family at the weekend, and we often cook dinner together.",
    "zh": "周末我喜欢和家人一起去爬山，晚上我们经常一起做饭。",
}


def _question(qid: int, text: str, answer: str, parent: int | None = None, **extra) -> object:
    """A question row as `snapshot` reads it."""
    fields = {
        "id": qid,
        "parent_id": parent,
        "position": 1,
        "text": text,
        "category": "",
        "skill": "",
        "kind": "technical",
        "reference_answer": "",
        "key_points": [],
        "answer_text": answer,
        "answer_mode": "default",
        "time_spent_ms": None,
        "paste_chars": None,
        "tab_switches": None,
        "misconceptions": [],
    }
    return SimpleNamespace(**(fields | extra))


def _session(entry: BankQuestion, main_answer: str, follow_up_answer: str) -> object:
    """A session with one bank question and a follow-up that names every one of its key points."""
    leading = "；".join(entry.points) if entry.language == "zh" else "; ".join(entry.points)
    main = _question(
        1,
        entry.text,
        main_answer,
        key_points=entry.points,
        reference_answer=entry.reference_answer,
        kind=entry.kind,
    )
    follow_up = _question(2, f"{leading}?", follow_up_answer, parent=1, key_points=entry.points[:2])
    return SimpleNamespace(
        id=1,
        language=entry.language,
        job_title="",
        company_name="",
        job_description="",
        resume_text="",
        must_haves=[],
        nice_to_haves=[],
        questions=[main, follow_up],
    )


def _grade(app, session: object) -> list:
    """The offline grades of every question of a session, as the evaluation makes them."""
    items, facts = snapshot(session)  # type: ignore[arg-type]
    with app.app_context():
        batch = evaluate_answers(grading_request(items, facts))
    return grades_from(batch, items, facts.language)


NEUTRAL = {"en": "Could you tell me more?", "zh": "能再多说一点吗？"}


@pytest.mark.parametrize("follow_up_answer", ["", "irrelevant", "copied"])
def test_follow_up_text_never_earns_credit(app, follow_up_answer: str) -> None:
    """Over every bank question: a follow-up that spells out the key points, answered with
    nothing, something irrelevant or its own words copied back, earns nothing: no point is covered
    and every score is what the same answers get after a follow-up that names nothing."""
    for entry in load_bank().questions:
        irrelevant = IRRELEVANT[entry.language]
        session = _session(entry, irrelevant, "")
        leading = session.questions[1]  # type: ignore[attr-defined]
        leading.answer_text = {"": "", "irrelevant": irrelevant, "copied": leading.text}[
            follow_up_answer
        ]
        main, follow_up = _grade(app, session)
        assert main.grade.covered_points == follow_up.grade.covered_points == [], entry.id
        if follow_up_answer == "copied":
            assert follow_up.score == 0, entry.id
            leading.answer_text = ""
        leading.text = NEUTRAL[entry.language]
        neutral_main, neutral_follow_up = _grade(app, session)
        assert main.score == neutral_main.score, entry.id
        assert follow_up.score <= neutral_follow_up.score, entry.id


def test_combined_answer_holds_answers_only() -> None:
    """The main question is graded on the candidate's answers, without the follow-up's question."""
    main = _question(1, "What is a closure?", "A function with its scope.")
    follow_up = _question(2, "Does it keep variables after the outer returns?", "Yes, by ref.", 1)
    assert combined_answer(main, [follow_up]) == "A function with its scope.\n\nYes, by ref."


def test_follow_up_is_graded_against_its_main_question(app) -> None:
    """A good follow-up answer earns credit on the main question's key points, in its context."""
    entry = next(q for q in load_bank().questions if q.language == "en" and q.kind == "technical")
    session = _session(entry, IRRELEVANT["en"], entry.reference_answer)
    items, facts = snapshot(session)  # type: ignore[arg-type]
    with app.app_context():
        request = grading_request(items, facts)
    follow_up = next(i for i in request.items if i.question_id == 2)
    assert follow_up.question == entry.text and follow_up.key_points == entry.points
    assert follow_up.follow_up_question == session.questions[1].text  # type: ignore[attr-defined]
    main, graded_follow_up = _grade(app, session)
    assert graded_follow_up.score >= 60 and main.score >= 60


def test_a_reply_that_repeats_its_follow_up_earns_nothing(app) -> None:
    """Over every technical bank question: a follow-up that spells out the key points,
    answered by reading it back before something irrelevant, earns nothing, on the follow-up or on
    its main question (graded with the reply): no point covered, and no more than the irrelevant
    words alone."""
    for entry in (q for q in load_bank().questions if q.kind == "technical"):
        irrelevant = IRRELEVANT[entry.language]
        session = _session(entry, irrelevant, irrelevant)
        leading = session.questions[1]  # type: ignore[attr-defined]
        alone_main, alone_follow_up = _grade(app, session)
        leading.answer_text = f"{leading.text}\n{irrelevant}"
        main, follow_up = _grade(app, session)
        assert main.grade.covered_points == follow_up.grade.covered_points == [], entry.id
        assert main.score <= alone_main.score and follow_up.score <= alone_follow_up.score, entry.id
        quotes = [q for item in (main, follow_up) for q in evidence_quotes(item)]
        assert not any(point in quote for quote in quotes for point in entry.points), entry.id


def evidence_quotes(graded) -> list[str]:
    """The quotes a grade's receipt gives as evidence."""
    return [e["quote"] for e in graded.grade.receipt.get("evidence", [])]


def test_the_main_question_is_graded_on_answers_without_the_follow_up_text(app) -> None:
    """On the combined path too (snapshot → grading request), the main question's graded text is
    the candidate's answers alone: the follow-up question is context, never part of it."""
    entry = next(q for q in load_bank().questions if q.language == "en" and q.kind == "technical")
    session = _session(entry, IRRELEVANT["en"], "I would rather not say.")
    items, facts = snapshot(session)  # type: ignore[arg-type]
    with app.app_context():
        request = grading_request(items, facts)
    main = next(i for i in request.items if i.question_id == 1)
    follow_up_text = session.questions[1].text  # type: ignore[attr-defined]
    assert main.answer == f"{IRRELEVANT['en']}\n\nI would rather not say."
    assert follow_up_text not in main.answer
    assert [(r.question, r.answer) for r in main.follow_ups] == [
        (follow_up_text, "I would rather not say.")
    ]
