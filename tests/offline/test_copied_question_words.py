"""Words an answer copies from the question, in the question's order, are the interviewer's.

An answer that opens "here is how I approach <a few words of the question>" and then tells a story
about something else has said the question's words, not the point's: a cue phrase or an ask cue
inside that copied stretch shows nothing of what the question asks.
"""

from __future__ import annotations

from app.ai.offline.bank import BankQuestion, load_bank
from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.grade import grade_answer
from app.ai.offline.grading.matching import copied_spans
from app.ai.offline.grading.scoring import OFF_ASK_CAP
from app.ai.offline.grading.topic import prepare_topic
from tests.e2e.pages import STRONG_ANSWER, topic_of


def bank_question(qid: str) -> BankQuestion:
    """One bank question by id."""
    return next(q for q in load_bank().questions if q.id == qid)


def grade(question: BankQuestion, answer: str):
    """The grade of an answer to a bank question, as the interview grades it."""
    return grade_answer(
        question.text, answer, question.points, question.reference_answer, kind=question.kind
    )


def test_a_stretch_copied_from_the_question_is_found_in_a_longer_sentence():
    question = "Why does the service's memory keep growing until it is killed?"
    text = "At Acme I owned payments, so here is how I approach service memory keep growing."
    topic = prepare_topic(question, ("unbounded caches",), "", (), False)
    spans = copied_spans(analyse(text), topic)
    assert [text[a:b] for a, b in spans] == ["service memory keep growing"]


def test_two_question_words_in_passing_are_no_copied_stretch():
    question = "Why does the service's memory keep growing until it is killed?"
    text = "The service used too much memory because a dict grew without bound."
    topic = prepare_topic(question, ("unbounded caches",), "", (), False)
    assert copied_spans(analyse(text), topic) == []


def test_a_cue_in_the_question_words_read_back_credits_no_key_point():
    """A latency story prefaced by the memory-leak question's words is credited with no leak
    cause: "keeps growing" there is the interviewer's phrase."""
    question = bank_question("py-memory-leak-prod")
    answer = STRONG_ANSWER.format(topic=topic_of(question.text))
    found = grade(question, answer)
    causes = next(p for p in question.points if p.startswith("typical causes"))
    assert causes not in found.covered_points
    assert found.score < 40


def test_a_story_showing_the_ask_only_in_the_question_words_is_off_ask():
    """A checkout-latency story that names "initiative without having" only by reading back the
    question shows nothing of leading without authority."""
    question = bank_question("beh-leadership-no-authority")
    answer = STRONG_ANSWER.format(topic=topic_of(question.text))
    assert grade(question, answer).score <= OFF_ASK_CAP


def test_a_story_about_leading_without_authority_keeps_its_credit():
    question = bank_question("beh-leadership-no-authority")
    assert grade(question, question.reference_answer).score >= 75
    story = (
        "Here is how I led an initiative without formal authority. Situation: last year five "
        "teams logged errors differently and nobody owned it. Task: I had to convince the other "
        "teams to adopt one format. Action: I built a shared library, met each lead and "
        "persuaded them with ticket data. Result: four of five teams adopted it and tickets "
        "fell by 80%."
    )
    assert grade(question, story).score > OFF_ASK_CAP
