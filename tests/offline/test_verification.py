"""What the grader cannot verify: confident claims that make no key point, and long answers to a
neighbouring question. Each is held low, says "not verified" and never passes for a good answer.
"""

from __future__ import annotations

from app.ai.offline.bank import load_bank
from app.ai.offline.evaluate import UNVERIFIED_CONFIDENCE, confidence, evaluate_answers
from app.ai.offline.grading import grade_answer
from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.matching import match_point
from app.ai.offline.grading.topic import prepare_topic
from app.ai.offline.grading.verification import (
    ABSOLUTE_CAP,
    UNVERIFIED_CAP,
    absolutes,
    overstated_sentences,
    unbacked_absolutes,
    unverified_cap,
)
from app.ai.schemas import AnswerToGrade, EvaluateRequest

# A question outside the bank, with its own key points and reference answer.
QUESTION = "How does a write-ahead log make database commits durable?"
POINTS = [
    "changes are appended to the log and flushed to disk before the commit returns",
    "data pages are written to disk later, lazily, by checkpoints",
    "after a crash the log is replayed to redo committed changes",
    "sequential log writes are cheaper than random page writes",
]
REFERENCE = (
    "Before a transaction commits, its changes are appended to the write-ahead log and the log is "
    "flushed to disk with fsync; only then does the commit return. The modified data pages stay "
    "in memory and are written back later by checkpoints. After a crash the database replays the "
    "log from the last checkpoint to redo committed changes, so nothing acknowledged is lost. "
    "Appending to the log is sequential I/O, which is much cheaper than writing scattered pages."
)
CONFIDENT_WRONG = (
    "A write-ahead log makes commits durable because the database always writes every data page "
    "to disk directly, before the log. The log is never read after a crash; it is only kept for "
    "auditing, so recovery simply restarts the database. Log writes are completely random and "
    "the database commits are guaranteed durable by the page cache."
)
CORRECT = (
    "On commit the database appends the changes to the write-ahead log and flushes the log to "
    "disk before the commit returns. The data pages are written to disk later by checkpoints. "
    "After a crash the log is replayed to redo committed changes, and because log writes are "
    "sequential they are cheaper than random page writes."
)


def grade(answer: str):
    return grade_answer(QUESTION, answer, POINTS, REFERENCE)


def test_absolute_claims_are_found_by_kind_in_both_languages() -> None:
    """Always/never, "no need", certainty and "the more the better" are absolute claims; a plain
    quantifier ("branches and all") is not."""
    assert absolutes("It always works and you never need locks.") == {"always", "never"}
    assert absolutes("There is no need to test it; it is guaranteed.") == {"no_need", "certain"}
    assert absolutes("The bigger the pool the better, as large as possible.") == {"superlative"}
    assert absolutes("连接池越大越好，永远不会出问题。") >= {"superlative", "never"}
    assert absolutes("History shows what happened, branches and all.") == frozenset()


def test_an_absolute_the_reference_also_makes_is_backed() -> None:
    """A sentence is held against the answer only when the reference never makes that kind of
    claim: "never store passwords in plain text" is the fact, not an overstatement."""
    reference = "Never store passwords in plain text; use a slow salted hash."
    topic = prepare_topic(
        "How should passwords be stored?", ("slow salted hash",), reference, (), False
    )
    backed = analyse("Never store them in plain text. Use bcrypt with a salt.")
    unbacked = analyse("Salt is always optional. Use bcrypt with a salt.")
    assert unbacked_absolutes(backed, topic) == 0
    assert unbacked_absolutes(unbacked, topic) == 1


def test_confident_claims_that_make_no_key_point_are_held_low_and_not_verified() -> None:
    """A fluent answer about the subject whose sentences mostly overstate scores at most the
    cap (whatever key-point words it shares), says "not verified", and ranks below a correct
    answer."""
    wrong, right = grade(CONFIDENT_WRONG), grade(CORRECT)
    assert wrong.score <= ABSOLUTE_CAP < right.score
    assert not wrong.verified and right.verified
    assert "Not verified" in wrong.feedback


def test_short_and_other_language_answers_are_not_judged_unverified() -> None:
    """One line that makes a point is left to the brief-answer rules, and an answer in the other
    language is not judged by the question's words."""
    short = grade("The log is flushed to disk before commit returns; pages are written later.")
    assert short.verified
    other = analyse(
        "提交时先把修改追加到预写日志并刷盘，然后才返回；数据页之后由检查点异步写回。崩溃后重放日志，"
        "重做已提交的修改。日志是顺序写，永远比随机写数据页快得多，所以不需要每次都写数据页。"
    )
    topic = prepare_topic(QUESTION, tuple(POINTS), REFERENCE, (), False)
    assert unverified_cap(other, topic, []) is None


def test_an_unverified_grade_has_low_confidence_end_to_end() -> None:
    """The receipt's confidence of an unverified grade is below the "verified" line (0.5), both
    from the grade and through `evaluate_answers`."""
    assert confidence(grade(CONFIDENT_WRONG), in_bank=False) == UNVERIFIED_CONFIDENCE < 0.5
    batch = evaluate_answers(
        EvaluateRequest(
            items=[
                AnswerToGrade(
                    question_id=1,
                    question=QUESTION,
                    key_points=POINTS,
                    reference_answer=REFERENCE,
                    answer=CONFIDENT_WRONG,
                )
            ]
        )
    )
    assert batch.evaluations[0].confidence < 0.5


def test_chinese_feedback_says_not_verified() -> None:
    """The note is in the question's language."""
    question = "数据库的预写日志（WAL）是如何保证提交持久化的？"
    points = [
        "提交返回前先把日志追加并刷到磁盘",
        "数据页之后由检查点写回",
        "崩溃后重放日志重做已提交的修改",
    ]
    reference = (
        "事务提交前，先把修改追加到预写日志并调用 fsync 刷盘，之后提交才返回。"
        "修改过的数据页留在内存中，之后由检查点写回磁盘。"
        "崩溃后从最近的检查点开始重放日志，重做已提交的修改，已确认的提交不会丢失。"
    )
    wrong = (
        "预写日志的作用是让数据库总是先把所有数据页直接写到磁盘，日志永远不会在崩溃后被读取，只是用来审计。"
        "崩溃恢复只需要重启数据库，预写日志完全不参与，提交的持久化由操作系统页缓存保证。"
    )
    graded = grade_answer(question, wrong, points, reference)
    assert not graded.verified and graded.score <= UNVERIFIED_CAP
    assert "未经核实" in graded.feedback


def _bank(question_id: str):
    return next(q for q in load_bank().questions if q.id == question_id)


def test_a_long_answer_to_a_neighbouring_bank_question_is_off_topic() -> None:
    """Asked about CSRF, a long, correct account of the TLB and page tables answers another bank
    question: it is off-topic and scores 0, whatever words the two share."""
    entry = _bank("sec-csrf")
    answer = (
        "Virtual memory gives each process its own address space. The MMU walks the page tables "
        "to translate each virtual page to a physical frame, and the TLB caches recent "
        "translations so most accesses skip the walk; huge pages cut TLB misses for big heaps. "
        "Pages are allocated lazily on first touch, which is demand paging, so the kernel can "
        "overcommit. A minor page fault only maps a page already in memory, a major one reads it "
        "from disk or swap, and touching an unmapped or protected page is a segmentation fault."
    )
    graded = grade_answer(entry.text, answer, entry.points, entry.reference_answer)
    assert graded.score == 0 and graded.invalid_reason


def test_correct_and_other_language_answers_are_not_ruled_a_neighbours() -> None:
    """The bank's own reference answer, and a correct answer in the other language, stay on
    topic: the neighbour check compares like with like."""
    entry = _bank("os-virtual-memory")
    assert grade_answer(entry.text, entry.reference_answer, entry.points).invalid_reason is None
    chinese = (
        "每个进程都有独立的虚拟地址空间，实现隔离。"
        "MMU 通过页表把虚拟页映射到物理页框，TLB 缓存最近的地址转换，"
        "大页可以减少 TLB 未命中。内存按需分页，第一次访问时才分配物理页，所以可以超额分配。"
        "缺页分为次缺页和主缺页，主缺页要从磁盘或交换区读入。"
        "页有读写执行权限，访问没有映射的页会触发段错误。"
    )
    graded = grade_answer(entry.text, chinese, entry.points, entry.reference_answer)
    assert graded.invalid_reason is None and graded.score > UNVERIFIED_CAP


def test_an_own_question_on_a_bank_subject_is_not_its_own_neighbour() -> None:
    """A question written outside the bank on a subject the bank also asks about (in other words)
    keeps its correct answers on topic, though the bank's version knows more of their words."""
    question = "Explain how an operating system maps a program's addresses onto physical memory."
    points = [
        "addresses are virtual and translated per page",
        "translations are cached",
        "missing pages trigger a fault handled by the kernel",
    ]
    answer = (
        "Each process sees virtual addresses; the MMU translates every virtual page to a physical "
        "frame through the page tables. The TLB caches recent translations so most accesses skip "
        "the page-table walk. When a page is not in memory the access raises a page fault and the "
        "kernel loads the page, from disk or swap if it has to, then retries the instruction."
    )
    graded = grade_answer(question, answer, points)
    assert graded.invalid_reason is None and graded.score > UNVERIFIED_CAP


def _topic():
    return prepare_topic(QUESTION, tuple(POINTS), REFERENCE, (), False)


def test_one_overstatement_among_made_points_is_not_held_against_a_correct_answer() -> None:
    """A correct answer may say "always" once: with its points made, it stays verified."""
    answer = CORRECT + " The log is always written first."
    assert unbacked_absolutes(analyse(answer), _topic()) == 1
    assert grade(answer).verified


def test_naming_the_subject_without_its_points_and_overstating_once_is_unverified() -> None:
    """Sentences that name the question's subject, make none of its points and overstate even
    once are unverified; the same sentences without the overstatement are left to coverage."""
    plain = (
        "A write-ahead log is a central part of how a database handles commits and durability. "
        "Every serious database engine keeps such a log next to its tables and indexes. "
        "Durable commits matter a great deal to users of a database, so the log is an important "
        "design choice that engineers discuss in reviews and interviews about storage engines."
    )
    overstated = plain.replace("so the log is", "so the log is completely")
    topic = _topic()
    for text, expected in ((plain, None), (overstated, UNVERIFIED_CAP)):
        answer = analyse(text)
        assert unverified_cap(answer, topic, _matches(answer, topic)) == expected, text
        assert grade(text).verified is (expected is None)


def _matches(answer, topic):
    return [match_point(p, answer, topic) for p in topic.points]


def test_an_overstating_sentence_is_no_evidence_that_a_point_was_made() -> None:
    """In an unverified answer, no covered point is quoted from a sentence that overstates; what
    it said right elsewhere still counts."""
    graded = grade(CONFIDENT_WRONG)
    topic, answer = _topic(), analyse(CONFIDENT_WRONG)
    flagged = [answer.sentences[i] for i in overstated_sentences(answer, topic)]
    for quote in graded.evidence.values():
        core = max(quote.split("…"), key=len).strip()
        at = CONFIDENT_WRONG.find(core)
        assert not any(lo <= at < hi for lo, hi in flagged), quote
    assert set(graded.covered_points) == set(graded.evidence)


def test_an_answer_on_a_close_neighbour_of_the_same_system_is_off_topic() -> None:
    """Asked how Kafka keeps one customer's events in order, a long account of how long Kafka
    keeps records and how writes survive a broker failure shares the system and a few of its
    words (broker, topic, partition) but answers the durability question: it is off-topic."""
    entry = _bank("kafka-ordering")
    answer = (
        "Kafka keeps records on the broker for a configured time: once a segment is older than "
        "retention.ms it is deleted, and retention.bytes caps the size of each partition log. A "
        "compacted topic instead keeps the newest record for every key, and a null value is a "
        "tombstone that removes the key later. For durability set the replication factor to three "
        "and min.insync.replicas to two, and have the producer wait for acks=all, so a write is "
        "acknowledged only when enough replicas hold it and a broker that dies loses nothing."
    )
    graded = grade_answer(entry.text, answer, entry.points, entry.reference_answer)
    assert graded.score == 0 and graded.invalid_reason


def test_a_correct_answer_naming_a_neighbours_words_stays_on_topic() -> None:
    """A correct ordering answer that also mentions brokers and replication is about ordering."""
    entry = _bank("kafka-ordering")
    answer = (
        "Kafka only orders records within one partition, by offset; across partitions there is no "
        "order. Key each event by the customer ID so all of a customer's events go to the same "
        "partition, and process them with one consumer per partition. Set "
        "enable.idempotence so producer retries on a broker failure do not reorder or duplicate."
    )
    graded = grade_answer(entry.text, answer, entry.points, entry.reference_answer)
    assert graded.invalid_reason is None and graded.score > UNVERIFIED_CAP
