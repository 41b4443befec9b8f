"""Key points met across languages by the dictionary, on questions outside the bank."""

from __future__ import annotations

from app.ai.offline import dictionary
from app.ai.offline.grading import grade_answer

QUESTION = "What does a message queue give a system built from several services?"
KEY_POINTS = [
    "producers and consumers are decoupled and do not wait for each other",
    "messages are buffered when consumers are slow",
    "failed messages can be retried later",
]
REFERENCE = (
    "A message queue decouples producers from consumers: the producer hands a message to the "
    "queue and continues without waiting. When consumers are slow the queue buffers messages, "
    "smoothing load spikes. A message whose processing failed can be retried later or moved aside."
)
CHINESE_RIGHT = (
    "消息队列让生产者和消费者解耦，生产者不用等待消费者。消费者处理慢的时候，消息先在队列里缓冲。"
    "处理失败的消息可以稍后重试。"
)
CHINESE_NEGATED = (
    "消息队列不能让生产者和消费者解耦，生产者必须等待消费者。消费者处理慢的时候，消息不会缓冲，"
    "会直接丢掉。处理失败的消息不能重试。"
)


def _grade(answer: str):
    """Grade an answer to the message-queue question (not a bank question, so no cues)."""
    return grade_answer(QUESTION, answer, KEY_POINTS, REFERENCE)


def _unspaced(text: str) -> str:
    return "".join(text.split()).lower()


def test_a_correct_chinese_answer_to_an_english_question_is_credited_with_its_points() -> None:
    """Every point the Chinese answer states is covered, each quote a verbatim span of it."""
    grade = _grade(CHINESE_RIGHT)
    assert grade.invalid_reason is None
    assert grade.covered_points == KEY_POINTS
    assert grade.score >= 60
    for quote in grade.evidence.values():
        for part in quote.split("…"):
            assert _unspaced(part) in _unspaced(CHINESE_RIGHT)


def test_a_negated_chinese_answer_is_not_credited() -> None:
    """The same words with each point denied (不能…解耦, 必须等待, 不会缓冲, 不能重试) cover nothing
    and score well below the correct answer."""
    grade = _grade(CHINESE_NEGATED)
    assert grade.covered_points == []
    assert grade.score < _grade(CHINESE_RIGHT).score - 30


def test_an_english_answer_meets_a_chinese_points_words() -> None:
    """A correct English answer to a Chinese question outside the bank covers its points; the
    same answer saying the opposite does not."""
    question = "为什么要用消息队列？"
    points = ["生产者和消费者解耦", "消费者处理慢时消息在队列中缓冲"]
    right = (
        "It decouples producers from consumers. While consumers are slow to process them, "
        "messages are buffered in the queue."
    )
    wrong = (
        "It does not decouple producers from consumers. While consumers are slow to process "
        "them, messages are never buffered in the queue."
    )
    assert grade_answer(question, right, points).covered_points == points
    assert grade_answer(question, wrong, points).covered_points == []


def test_an_answer_about_something_else_stays_off_topic_in_the_other_language() -> None:
    """Everyday Chinese words (weekend, family, hiking) do not put an answer on the subject."""
    assert _grade("周末我喜欢和家人去爬山。").score == 0


def test_the_dictionary_is_read_once_per_process_not_per_answer() -> None:
    """Grading many answers in the other language reads the dictionary at most once."""
    dictionary.load_dictionary()
    before = dictionary.load_dictionary.cache_info().misses
    for k in range(20):
        _grade(f"{CHINESE_RIGHT}第{k}次。")
    assert dictionary.load_dictionary.cache_info().misses == before


def test_glosses_leave_out_names_classifiers_and_cross_references() -> None:
    """A word's gloss terms are stemmed as the grader stems them; proper names are not words."""
    loaded = dictionary.load_dictionary()
    assert "deadlock" in loaded.terms_of("死锁")
    assert loaded.terms_of("北京") == ()  # a place name
    assert [word for _, _, word in dictionary.segment("线程死锁了")][:2] == ["线程", "死锁"]
