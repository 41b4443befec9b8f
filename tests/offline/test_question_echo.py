"""The interviewer's words are never evidence: a sentence that repeats the question earns no key
point and is never quoted, while a correct answer that reuses the question's terms keeps its
credit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.ai.offline.bank import load_bank
from app.ai.offline.grading import grade_answer, key_point_coverage
from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.matching import echo_sentences
from app.ai.offline.grading.scoring import VALID_FLOOR
from app.ai.offline.grading.topic import prepare_topic
from app.interview.services import gaps_in

FLASK_Q = (
    "Explain Flask's application and request contexts. Why do you get 'Working outside of "
    "application context', and how do you fix it?"
)
INDEX_Q = "什么是聚簇索引和二级索引？什么是回表和覆盖索引？"
# A story about something else, opened with the question read back.
STORY = (
    "At Acme I owned this area for our payments API, so here is how I approach {q} "
    "Situation: p99 latency on checkout had grown to 900 ms. Action: I measured first with "
    "tracing, added a composite index and cached hot reads in Redis. Result: p99 fell to 120 ms."
)
STORY_ZH = (
    "我在项目里负责过支付接口，下面说说{q}当时结账接口的延迟涨到九百毫秒，我先用链路追踪定位，"
    "再加了缓存并把慢任务移到消息队列。最后延迟降到一百二十毫秒。"
)


def bank_question(text: str):
    """The bank entry for a question text."""
    entry = load_bank().find_by_text(text)
    assert entry is not None
    return entry


def grade(text: str, answer: str):
    """Grade an answer to a bank question with its key points and reference answer."""
    entry = bank_question(text)
    points = [kp.point for kp in entry.key_points]
    return grade_answer(text, answer, points, entry.reference_answer, kind=entry.kind)


@pytest.mark.parametrize(
    "answer",
    [
        f"Here is how I approach {FLASK_Q}",
        f"Okay, so: {FLASK_Q.split('.')[0].lower()}.",
        f"我来讲讲{INDEX_Q}",
        f"好的，{INDEX_Q.split('？')[0]}。",
    ],
)
def test_an_answer_that_only_repeats_the_question_earns_nothing(answer: str) -> None:
    """Reading the question back (English or Chinese) covers no key point, quotes nothing and
    scores no more than any valid sentence does."""
    question = INDEX_Q if "索引" in answer else FLASK_Q
    result = grade(question, answer)
    assert result.covered_points == []
    assert result.evidence == {}
    assert result.score <= VALID_FLOOR


@pytest.mark.parametrize(
    ("question", "story"), [(FLASK_Q, STORY), (INDEX_Q, STORY_ZH)], ids=["en", "zh"]
)
def test_an_echo_inside_an_unrelated_story_earns_no_point(question: str, story: str) -> None:
    """The question read back inside a story about something else makes the story no answer to
    it: graded as the story alone would be."""
    with_echo = grade(question, story.format(q=question))
    assert with_echo.covered_points == []
    assert with_echo.score == 0


ECHO = f"So here is how I approach {FLASK_Q.split('.')[0]}."


@pytest.mark.parametrize(
    "answer",
    [
        STORY.format(q=ECHO),
        f"{ECHO} The application context provides current_app and g, while the request context "
        "provides request and session; both are pushed per request and popped with teardown "
        "callbacks.",
    ],
    ids=["story", "correct"],
)
def test_the_receipt_never_quotes_the_question_read_back(answer: str) -> None:
    """Evidence comes from the candidate's own sentences, never from the echoed question."""
    result = grade(FLASK_Q, answer)
    echo_at = answer.index(ECHO)
    echo_span = (echo_at, echo_at + len(ECHO))
    for quote in result.evidence.values():
        core = max(quote.split("…"), key=len).strip()
        at = answer.find(core)
        assert at >= 0
        assert at >= echo_span[1] or at + len(core) <= echo_span[0], quote


def test_a_correct_answer_after_an_echo_keeps_its_points() -> None:
    """The question read back costs a correct answer nothing."""
    answer = (
        f"{ECHO} The application context provides current_app and g, while the request context "
        "provides request and session."
    )
    point = (
        "two scopes: the application context provides current_app and g; the request context "
        "provides request and session"
    )
    assert point in grade(FLASK_Q, answer).covered_points


@pytest.mark.parametrize(
    ("question", "answer", "point"),
    [
        (
            "How does PostgreSQL implement MVCC, and why does it need VACUUM?",
            "PostgreSQL implements MVCC by keeping row versions: an UPDATE writes a new tuple "
            "with xmin/xmax instead of overwriting. VACUUM reclaims the dead tuples that old "
            "versions leave behind.",
            "rows are versioned with xmin/xmax; UPDATE writes a new tuple instead of overwriting",
        ),
        (
            INDEX_Q,
            "聚簇索引的叶子节点存整行数据，InnoDB 按主键组织。二级索引叶子节点存主键值，"
            "查到主键后再回聚簇索引取整行叫回表。",
            "二级索引叶子节点存主键值",
        ),
    ],
    ids=["en", "zh"],
)
def test_a_correct_answer_reusing_the_question_keeps_its_points(
    question: str, answer: str, point: str
) -> None:
    """Reusing the question's terms is natural; the point's other words still earn it."""
    result = grade(question, answer)
    assert point in result.covered_points
    assert result.score >= 50


def test_a_sentence_is_an_echo_only_when_it_adds_nothing_on_the_subject() -> None:
    """The echo test: a copied stretch of the question with nothing else on the subject."""
    entry = bank_question(FLASK_Q)
    topic = prepare_topic(
        FLASK_Q,
        tuple(kp.point for kp in entry.key_points),
        entry.reference_answer,
        (),
        False,
    )
    answer = analyse(
        f"Here is how I approach {FLASK_Q.split('.')[0]}. "
        "The application context provides current_app and g. Flask is nice."
    )
    assert echo_sentences(answer, topic) == [True, False, False]


LIVE_ANSWER = (
    f"{ECHO} The application context provides current_app and g, while the request context "
    "provides request and session."
)


def echo_and_filler(entry) -> str:
    """The question read back, then a sentence that says nothing on it."""
    if entry.language == "zh":
        return f"我来讲讲{entry.text}我在工作中用过两年。"
    return f"Here is how I approach {entry.text} I have used it at work for two years."


def technical_questions():
    """Every technical bank question."""
    return [q for q in load_bank().questions if q.kind == "technical"]


def test_live_coverage_follows_the_grade_on_an_echo() -> None:
    """Over every technical bank question: the live "points covered" is told the question, so
    reading it back covers no point there, as in the grade; and on a correct answer after an
    echo it credits no point the grade does not."""
    for entry in technical_questions():
        answer = echo_and_filler(entry)
        live = key_point_coverage(answer, entry.points, question=entry.text)
        assert not any(hit for _, hit, _ in live), entry.id
    entry = bank_question(FLASK_Q)
    live = key_point_coverage(LIVE_ANSWER, entry.points, question=FLASK_Q)
    covered = {p for p, hit, _ in live if hit}
    assert covered and covered <= set(grade(FLASK_Q, LIVE_ANSWER).covered_points)
    assert all(ECHO not in (quote or "") for _, _, quote in live)


def test_live_coverage_of_a_follow_up_reply_ignores_the_follow_up_read_back() -> None:
    """A reply that reads its follow-up back covers nothing live, as in the grade."""
    entry = bank_question(FLASK_Q)
    points = [kp.point for kp in entry.key_points]
    follow_up = f"You did not mention it: {points[0]}?"
    reply = f"{follow_up}\nI enjoy hiking with my family at the weekend."
    live = key_point_coverage(reply, points, question=FLASK_Q, follow_up_question=follow_up)
    assert not any(hit for _, hit, _ in live)


def test_the_follow_up_decision_counts_no_echoed_point_as_made() -> None:
    """Over every technical bank question: whether to press with a follow-up is decided on the
    candidate's own words, so a point only read back from the question is still missing."""
    for entry in technical_questions():
        main = SimpleNamespace(
            text=entry.text,
            kind="technical",
            key_points=entry.points,
            misconceptions=[],
            answer_text=echo_and_filler(entry),
        )
        missed, _ = gaps_in(main, main)  # type: ignore[arg-type]
        assert missed in ([], entry.points), entry.id  # no follow-up at all, or every point


LEAK_Q = (
    "A long-running Python web service's memory keeps growing until the container is "
    "OOM-killed every few hours. How do you investigate and fix it?"
)


@pytest.mark.parametrize(
    "answer",
    [
        "I would investigate why the memory keeps growing and fix it carefully and properly.",
        "我会排查为什么内存一直增长，然后认真修复它。",
    ],
)
def test_the_question_read_back_with_a_stray_word_or_two_is_an_echo(answer: str) -> None:
    """The question's words said over with a couple of words of one's own ("growing" is the
    question's, "carefully" says nothing of the subject) cover no key point, in the live
    insights as in the grade."""
    from app.ai.offline.insights import answer_insights
    from app.ai.schemas import AnswerToGrade

    entry = bank_question(LEAK_Q)
    result = grade(LEAK_Q, answer)
    assert result.covered_points == []
    item = AnswerToGrade(
        question_id=1,
        question=LEAK_Q,
        key_points=entry.points,
        reference_answer=entry.reference_answer,
        kind=entry.kind,
    )
    assert answer_insights(answer, entry.points, "", "en", item)["key_points"] == []


def test_a_sentence_saying_more_than_the_question_is_no_echo() -> None:
    """Reusing the question's words with the subject's own ("heap snapshots", "tracemalloc")
    is an answer, and keeps its credit."""
    answer = (
        "I would investigate the growing memory by comparing heap snapshots with tracemalloc "
        "to find the objects that keep growing."
    )
    assert grade(LEAK_Q, answer).covered_points


DICT_Q = "Is a Python dict ordered?"
DICT_POINTS = ["a Python dict is ordered: it keeps insertion order (guaranteed since 3.7)"]
DICT_REF = "Yes. Since Python 3.7 a dict keeps insertion order."


@pytest.mark.parametrize(
    "answer", ["No, a Python dict is not ordered.", "A Python dict is never ordered."]
)
def test_a_wrong_claim_in_the_question_words_is_flagged(answer: str) -> None:
    """A denial worded with the question's words earns nothing, but it is still a wrong claim:
    the grade says so and quotes it."""
    result = grade_answer(DICT_Q, answer, DICT_POINTS, DICT_REF)
    assert result.covered_points == []
    assert [e["quote"] for e in result.errors] == [answer]


def test_the_question_read_back_is_no_wrong_claim() -> None:
    """Reading the question back (in its own polarity, or as a question) claims nothing."""
    for answer in ("So, is a Python dict ordered?", "Here is whether a Python dict is ordered."):
        assert grade_answer(DICT_Q, answer, DICT_POINTS, DICT_REF).errors == []
