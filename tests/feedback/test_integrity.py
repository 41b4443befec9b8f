"""The review-only integrity score and flags: the documented formula, and no effect on any score."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

import pytest

from app.evaluation.integrity import Flag, flag_text, integrity
from app.extensions import db
from app.models import Report
from tests.feedback.helpers import ANSWERS, complete
from tests.support.sessions import make_session

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Answer:
    """A question's answer and signals as the integrity check reads them."""

    answer_text: str | None
    paste_chars: int | None = 0
    tab_switches: int | None = 0
    time_spent_ms: int | None = 120_000
    position: int = 1
    parent_id: int | None = None


def test_no_signals_is_a_clean_ten():
    """Typed at a human pace in one tab: 10/10, no flags."""
    result = integrity([Answer("x" * 400), Answer("y" * 300, position=2)])
    assert result.score == 10.0 and result.flags == []


@pytest.mark.parametrize(
    ("answer", "score", "flag"),
    [
        (Answer("x" * 400, paste_chars=400), 0.0, "100% of the answer was pasted"),
        (Answer("x" * 400, paste_chars=100), 7.5, "25% of the answer was pasted"),
        (Answer("x" * 400, paste_chars=20), 10.0, None),  # a pasted word is ordinary
        (Answer("x" * 400, tab_switches=3), 7.0, "3 tab switches while answering"),
        (Answer("x" * 400, tab_switches=9), 5.0, "9 tab switches"),
        (Answer("x" * 400, time_spent_ms=10_000), 5.0, "typed at 40 characters per second"),
        (Answer("x" * 400, time_spent_ms=None), 10.0, None),
        (Answer("x" * 400, paste_chars=300, time_spent_ms=10_000), 2.5, "75% of the answer"),
    ],
)
def test_each_signal_follows_the_documented_formula(answer, score, flag):
    """P = pasted share (from 30 chars), T = 0.1 per switch up to 0.5, S = 0.5 above 10 typed
    chars/s; score = 10 × (1 − mean min(1, P + T + S))."""
    result = integrity([answer])
    assert result.score == score
    if flag:
        assert any(flag in flag_text(f.as_stored(), "en") for f in result.flags)
    else:
        assert result.flags == []


def test_the_score_is_the_mean_over_answered_questions_and_names_follow_ups():
    """Blank answers are skipped; a follow-up's flag says so."""
    result = integrity(
        [Answer("x" * 400, paste_chars=400), Answer("y" * 400), Answer("", paste_chars=50),
         Answer("z" * 200, tab_switches=1, parent_id=1, position=1)]
    )  # fmt: skip
    assert result.score == round(10 * (1 - (1 + 0 + 0.1) / 3), 1)
    assert Flag("tabs", question=1, follow_up=True, value=1) in result.flags
    assert [flag_text(f.as_stored(), "en") for f in result.flags] == [
        "Question 1: 100% of the answer was pasted.",
        "Question 1 (follow-up): 1 tab switch while answering.",
    ]


@pytest.mark.parametrize(
    ("answer", "chinese"),
    [
        (Answer("x" * 400, paste_chars=100, position=3), "第 3 题：回答中有 25% 的内容是粘贴的。"),
        (
            Answer("x" * 400, tab_switches=1, parent_id=7),
            "第 1 题（追问）：作答期间切换标签页 1 次。",
        ),
        (Answer("x" * 400, tab_switches=9, position=12), "第 12 题：作答期间切换标签页 9 次。"),
        (
            Answer("x" * 400, time_spent_ms=10_000, position=2),
            "第 2 题：输入速度达每秒 40 个字符（快得不合常理）。",
        ),
    ],
)
def test_every_stored_flag_reads_in_the_readers_language(answer, chinese):
    """Each kind of flag is stored as data and worded when shown: Chinese for a Chinese
    session, English for an English one (and for the recruiter)."""
    (flag,) = integrity([answer]).flags
    stored = flag.as_stored()
    assert set(stored) == {"kind", "question", "follow_up", "value"}
    assert flag_text(stored, "zh") == chinese
    assert not CJK.search(flag_text(stored, "en"))


def test_text_of_another_shape_is_shown_as_stored():
    """Text the integrity check did not write (an older wording, say) is never mangled."""
    flag = "Question 1: answered from another device."
    assert flag_text(flag, "zh") == flag
    assert flag_text({"kind": "unknown", "question": 1}, "en") == str(
        {"kind": "unknown", "question": 1}
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Question 3: 25% of the answer was pasted.",
        "Question 1 (follow-up): 1 tab switch while answering.",
        "Question 12: 9 tab switches while answering.",
        "Question 2: typed at 40 characters per second (implausibly fast).",
    ],
)
def test_the_migration_reads_old_sentences_into_the_data_the_page_words_the_same(sentence):
    """Reports stored before flags became data: the migration turns each sentence into data that
    reads back as the same sentence, and its downgrade writes that sentence again."""
    migration = importlib.import_module("migrations.versions.0009_structured_integrity_flags")
    data = migration.as_data(sentence)
    assert isinstance(data, dict) and flag_text(data, "en") == sentence
    assert migration.as_sentence(data) == sentence
    assert migration.as_data("Question 1: answered from another device.") == (
        "Question 1: answered from another device."
    )


def test_signals_never_change_a_score_or_the_recommendation(logged_in, user, fake):
    """Two identical interviews, one pasted with tab switches: same numbers, only flags differ."""
    clean = make_session(user, answers=list(ANSWERS))
    flagged = make_session(user, answers=list(ANSWERS))
    for question in flagged.questions:
        question.paste_chars = len(question.answer_text)
        question.tab_switches = 6
        question.time_spent_ms = 2_000
    db.session.commit()
    for session in (clean, flagged):
        complete(logged_in, session.id)
    reports = {r.session_id: r for r in db.session.scalars(db.select(Report))}
    a, b = reports[clean.id], reports[flagged.id]
    assert (a.overall_score, a.category_scores, a.skill_scores, a.recommendation) == (
        b.overall_score, b.category_scores, b.skill_scores, b.recommendation,
    )  # fmt: skip
    assert a.integrity_score == 10.0 and a.integrity_flags == []
    assert b.integrity_score == 0.0
    assert len(b.integrity_flags) == 2 * 3  # pasted and tab switches, per answer
    page = logged_in.get(f"/session/{flagged.id}/report").get_data(as_text=True)
    # A candidate's own practice report shows no signals: only an invite's report does.
    assert "was pasted" not in page and "Notes shared with the recruiter" not in page
