"""A story is graded on whether it is the story asked for, not only on how well it is told.

A well-told STAR story about something else (a latency fix for "a conflict with a teammate") has
every STAR part and plenty of specifics; only the question's subject tells it apart. Bank questions
carry ask cues for that; questions outside the bank are graded as before.
"""

from __future__ import annotations

import pytest

from app.ai.offline.bank import BankQuestion, load_bank
from app.ai.offline.grading import grade as grade_module
from app.ai.offline.grading.grade import grade_answer
from app.ai.offline.grading.scoring import OFF_ASK_CAP
from tests.e2e.pages import CHINESE_ANSWER, STRONG_ANSWER

# A story about making an API faster, told well: situation, task, action, a measured result.
LATENCY_STORY = STRONG_ANSWER.format(topic="latency")


def bank_question(qid: str) -> BankQuestion:
    """One bank question by id."""
    return next(q for q in load_bank().questions if q.id == qid)


def grade(question: BankQuestion, answer: str):
    """The grade of an answer to a bank question, as the interview grades it."""
    return grade_answer(
        question.text, answer, question.points, question.reference_answer, kind=question.kind
    )


def grade_without_ask(monkeypatch, question: BankQuestion, answer: str):
    """The same grade with the question's ask cues left out: what the story scored before."""
    monkeypatch.setattr(grade_module, "with_ask", lambda topic, _question: topic)
    try:
        return grade(question, answer)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize(
    "qid",
    ["beh-conflict-peer", "beh-mentoring-junior", "beh-feedback-giving", "beh-tight-deadline"],
)
def test_a_story_about_something_else_is_capped_and_told_so(monkeypatch, qid):
    """The latency story scored 100 on any behavioral question; it shows none of what these ask."""
    question = bank_question(qid)
    assert grade_without_ask(monkeypatch, question, LATENCY_STORY).score > 80
    graded = grade(question, LATENCY_STORY)
    assert graded.score <= OFF_ASK_CAP
    assert "does not show what was asked" in graded.feedback
    assert question.asks_about[0] in graded.feedback


@pytest.mark.parametrize(
    "qid",
    ["zh-beh-conflict-colleague", "zh-beh-mentoring", "zh-beh-feedback", "beh-failure-project"],
)
def test_a_chinese_story_about_something_else_is_capped(qid):
    """The same in Chinese, on Chinese questions and on an English one (feedback in Chinese)."""
    question = bank_question(qid)
    graded = grade_answer(
        question.text,
        CHINESE_ANSWER,
        question.points,
        question.reference_answer,
        kind=question.kind,
        language="zh",
    )
    assert graded.score <= OFF_ASK_CAP
    assert "没有体现题目问的内容" in graded.feedback
    assert question.asks_about[1] in graded.feedback


# Stories that are what the question asks, told without its words.
ON_TOPIC = [
    (
        "beh-learning-fast",
        "Last spring we inherited a Scala and Spark pipeline from a team that had left, and "
        "nobody on our side had written Scala before. I was responsible for keeping the nightly "
        "billing export running. I spent the first week working through the official docs and "
        "small experiments in a sandbox, paired with an engineer from the data team twice, and "
        "wrote a short guide for my teammates. Within three weeks I shipped a fix that cut the "
        "export from four hours to fifty minutes, and the guide is now part of onboarding.",
    ),
    (
        "zh-beh-production-incident",
        "去年双十一前一天晚上，订单接口突然大量报错，下单成功率从99%掉到了60%。我当时是值班负责人，"
        "需要先让服务恢复。我先看监控发现错误集中在新发布的版本，马上回滚，同时在群里同步进展；"
        "二十分钟后成功率恢复到99%以上。第二天我组织复盘，发现是配置没有区分环境，之后我们加了发布前的"
        "配置校验和灰度发布，半年内没有再出现类似问题。",
    ),
    (
        "beh-conflict-peer",
        "When we redesigned the search service, another engineer on my team wanted to keep the "
        "old ranking code while I wanted to replace it, and our reviews turned into long "
        "arguments. I needed us to agree within the sprint. I asked her for a one-to-one, "
        "listened until I could state her worry about regressions, and we agreed to judge both "
        "options on the same offline benchmark. Her version won on two of three measures, so we "
        "kept it and added my caching layer; latency fell 30% and we have paired on designs since.",
    ),
    (
        "zh-beh-mentoring",
        "前年组里来了一个应届生，刚入职时连我们的发布流程都不熟悉。领导让我在三个月内帮他能独立负责一个模块。"
        "我先和他一起列了学习清单，每周安排一次代码评审，刚开始让他修小问题，再逐步交给他完整的需求，"
        "遇到卡住的地方我先提问引导，而不是直接给答案。三个月后他独立上线了对账模块，半年后开始带新人。",
    ),
]


@pytest.mark.parametrize(("qid", "story"), ON_TOPIC)
def test_a_story_of_what_was_asked_keeps_its_score(monkeypatch, qid, story):
    """A story told in other words than the question's is not capped: its grade is unchanged."""
    question = bank_question(qid)
    before = grade_without_ask(monkeypatch, question, story)
    graded = grade(question, story)
    assert graded.score == before.score
    assert graded.score > OFF_ASK_CAP
    assert "does not show what was asked" not in graded.feedback
    assert "没有体现题目问的内容" not in graded.feedback


def test_the_question_read_back_shows_nothing():
    """Naming the subject only in a sentence that repeats the question does not make the story
    about it."""
    question = bank_question("beh-conflict-peer")
    echoed = "This is a time I had a conflict with a teammate. " + LATENCY_STORY
    assert grade(question, echoed).score <= OFF_ASK_CAP


def test_a_reply_to_a_follow_up_goes_on_with_the_story_already_told():
    """A follow-up's reply is graded alone against its main question: it continues the story the
    main answer told, so it need not name the subject again."""
    question = bank_question("beh-conflict-peer")
    probe = question.key_points[3].probe
    reply = (
        "The design was approved in one review, checkout latency fell 35% within a month, and "
        "the two of us have written two more designs together since then."
    )
    graded = grade_answer(
        question.text,
        reply,
        question.points,
        question.reference_answer,
        kind=question.kind,
        follow_ups=((0, probe),),
    )
    assert "does not show what was asked" not in graded.feedback


def test_a_question_outside_the_bank_is_graded_as_before():
    """Without ask cues the grader cannot tell what a story should be about: no cap."""
    question = bank_question("beh-conflict-peer")
    reworded = "Walk me through a disagreement you had with someone you work with."
    assert load_bank().find_by_text(reworded) is None
    graded = grade_answer(
        reworded, LATENCY_STORY, question.points, question.reference_answer, kind="behavioral"
    )
    assert graded.score > OFF_ASK_CAP


def test_every_behavioral_bank_question_has_its_ask_in_both_languages():
    """The ask reaches the grader: cues in English and Chinese, and what it asks about in both."""
    stories = [q for q in load_bank().questions if q.kind == "behavioral"]
    assert stories
    for question in stories:
        assert all(question.asks_about), question.id
        assert any(c.isascii() for c in question.ask_cues), question.id
        assert any(not c.isascii() for c in question.ask_cues), question.id


# The latency story says "owned", "explained", "error rate", "failure paths", "without a rewrite",
# "slow work" and "定位" in passing: words any work story uses, which the bank's reference stories
# for other questions use too.
IN_PASSING = [
    ("beh-ownership-end-to-end", LATENCY_STORY),
    ("beh-communication-nontechnical", LATENCY_STORY),
    ("beh-production-incident", LATENCY_STORY),
    ("zh-beh-production-incident", LATENCY_STORY),
    ("beh-decision-tech-debt", LATENCY_STORY),
    ("beh-process-improvement", LATENCY_STORY),
    ("beh-hard-bug", CHINESE_ANSWER),
]


@pytest.mark.parametrize(("qid", "story"), IN_PASSING)
def test_a_common_word_said_once_in_passing_does_not_show_the_ask(qid, story):
    """A cue common to work stories, said once or twice, or denied, is no sign of the story
    asked for."""
    question = bank_question(qid)
    graded = grade_answer(
        question.text, story, question.points, question.reference_answer, kind=question.kind
    )
    assert graded.score <= OFF_ASK_CAP


def test_a_story_of_the_challenge_asked_for_is_not_capped():
    """The latency story is a hard technical problem solved: it shows what that question asks,
    in its own repeated words ("latency", "bottleneck", "延迟")."""
    question = bank_question("zh-beh-tech-challenge")
    for story in (LATENCY_STORY, CHINESE_ANSWER):
        assert grade(question, story).score > OFF_ASK_CAP


def test_a_cue_under_a_denial_shows_nothing():
    """ "We did it without a rewrite" is no story about choosing a rewrite."""
    question = bank_question("beh-decision-tech-debt")
    story = (
        "Last year our checkout page was slow. I was asked to make it faster without a rewrite. "
        "I profiled the page, found three heavy queries, added two indexes and cached the "
        "product data. Load time fell from four seconds to one."
    )
    assert grade(question, story).score <= OFF_ASK_CAP


def test_every_reference_story_shows_its_ask():
    """Each behavioral question's model answer is a story of what it asks: the stricter reading
    of cues leaves every one of them uncapped."""
    from app.ai.offline.grading.answer import analyse
    from app.ai.offline.grading.scoring import shows_the_ask
    from app.ai.offline.grading.topic import prepare_topic, with_ask

    for entry in load_bank().questions:
        if not entry.ask_cues:
            continue
        topic = prepare_topic(entry.text, tuple(entry.points), entry.reference_answer, (), True)
        topic = with_ask(topic, entry.text)
        assert shows_the_ask(analyse(entry.reference_answer), topic), entry.id
