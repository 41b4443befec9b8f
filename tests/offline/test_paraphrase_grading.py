"""Correct answers are credited by content: in other words, in the other language, in one line."""

from __future__ import annotations

from app.ai.offline.bank import load_bank
from app.ai.offline.concepts import concept_ids, concepts_in
from app.ai.offline.grading import grade_answer
from app.ai.offline.grading.scoring import BRIEF_FLOOR, is_keyword_list
from app.ai.offline.grading.validity import validity_issue
from bench.bench_grader import PARAPHRASE_SET, load_rows
from tests.offline.test_labelled_sets import FAMILY_LABELS, FIELDS, script_language


def bank_question(qid: str):  # noqa: ANN201 - a BankQuestion
    return next(q for q in load_bank().questions if q.id == qid)


def grade(qid: str, answer: str):  # noqa: ANN201 - a Grade
    q = bank_question(qid)
    return grade_answer(q.text, answer, list(q.points), q.reference_answer)


def test_one_concept_in_both_languages_and_other_words() -> None:
    """ "immutable", "cannot be changed" and "不可变" name one concept; "mutable" another."""
    immutable = concept_ids("Strings are immutable.")
    assert immutable
    assert immutable <= concept_ids("字符串是不可变的。")
    assert immutable <= concept_ids("Once created, it cannot be changed.")
    assert not immutable & concept_ids("Lists are mutable.")


def test_a_concept_keeps_the_texts_own_terms() -> None:
    """The terms kept for a concept are the text's own, so a key point's weights can be met."""
    found = concepts_in("死锁的四个必要条件：循环等待")
    assert any("循环" in own for own in found.values())


def test_chinese_answer_to_an_english_bank_question_is_on_topic_and_covers_points() -> None:
    q = bank_question("conc-deadlock")
    answer = (
        "死锁就是多个线程各自拿着对方需要的锁，互相等待，谁也无法继续执行。"
        "产生死锁要同时满足互斥、占有且等待、不可剥夺和循环等待。"
        "避免的办法是所有线程按照同一个全局顺序加锁，或者用 tryLock 加超时。"
    )
    assert validity_issue(q.text, answer, key_points=list(q.points)) is None
    g = grade_answer(q.text, answer, list(q.points), q.reference_answer)
    assert g.invalid_reason is None
    assert len(g.covered_points) >= 3
    assert g.score >= BRIEF_FLOOR


def test_english_answer_to_a_chinese_bank_question_is_credited() -> None:
    g = grade(
        "zh-mysql-acid",
        "Atomicity is provided by the undo log, which rolls a failed transaction back. "
        "Isolation comes from row locks and MVCC. Durability comes from the redo log flushed "
        "to disk at commit, replayed after a crash. Consistency is the goal the others serve.",
    )
    assert g.invalid_reason is None
    assert len(g.covered_points) >= 3
    assert g.score >= BRIEF_FLOOR


def test_a_one_line_exact_answer_scores_at_least_brief_and_correct() -> None:
    """Brevity is never punished when the facts are there."""
    g = grade(
        "conc-deadlock",
        "It needs mutual exclusion, hold and wait, no preemption and circular wait, and you "
        "prevent it by acquiring locks in one consistent global order.",
    )
    assert g.score >= BRIEF_FLOOR
    zh = grade(
        "zh-conc-deadlock",
        "四个必要条件：互斥、占有且等待、不可剥夺、循环等待；按固定顺序加锁避免。",
    )
    assert zh.score >= BRIEF_FLOOR


def test_a_short_wrong_answer_gets_no_brevity_floor() -> None:
    """The floor is for answers whose statements make the points, not for short ones in general."""
    g = grade("conc-deadlock", "Deadlocks are tricky; be careful with threads and test a lot.")
    assert g.score < BRIEF_FLOOR


def test_an_off_topic_answer_in_the_other_language_is_still_off_topic() -> None:
    q = bank_question("conc-deadlock")
    answer = (
        "我周末喜欢去公园散步，然后和朋友一起吃饭聊天，晚上看一部电影，"
        "这样可以让自己放松下来，第二天上班的时候精神会更好。"
    )
    assert validity_issue(q.text, answer, key_points=list(q.points)) is not None


def test_terse_chinese_notes_are_not_a_keyword_list() -> None:
    assert not is_keyword_list("原子性靠 undo log，隔离性靠锁和 MVCC，持久性靠 redo log。", "zh")
    assert is_keyword_list("原子性、一致性、隔离性、持久性、undo log", "zh")


def test_the_paraphrase_set_is_well_formed() -> None:
    """Documented fields, a label its family allows, both sides on every question."""
    rows = load_rows(PARAPHRASE_SET)
    assert len(rows) >= 120
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        assert row["label"] in FAMILY_LABELS[row["family"]], row["id"]
        assert row["language"] == script_language(row["answer"]), row["id"]
    questions = {r["question"] for r in rows}
    for question in questions:
        labels = {r["label"] for r in rows if r["question"] == question}
        assert min(labels) <= 1 and max(labels) >= 3, question
