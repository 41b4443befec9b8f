"""A Chinese session's pages speak Chinese; English sessions and JSON messages read as before."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string

from app.evaluation.claim import claim_evaluation
from app.extensions import db
from app.i18n import translate
from app.models import Report
from app.reports.pdf.labels import label
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, complete, evaluated_session
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_invite, make_session

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def fake(app) -> FakeModel:
    """The app's AI: one scripted model that grades every answer 70 (band Good / Adequate)."""
    model = FakeModel()
    install_router(app, model)
    return model


def signalled_report(client, user, *signals: tuple[int, str, int], language: str = "en") -> str:
    """The report page of an invite interview answered with integrity signals — (question
    index, field, value) — then evaluated."""
    session = make_session(user, language=language, answers=list(ANSWERS))
    make_invite(session)
    for index, field, value in signals:
        setattr(session.questions[index], field, value)
    db.session.commit()
    assert complete(client, session.id).status_code == 200
    return page(client, f"/session/{session.id}/report")


def page(client, url: str, status: int = 200) -> str:
    """The HTML of a GET, checking its status."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "language", "values", "expected"),
    [
        ("Submit answer", "en", {}, "Submit answer"),
        ("Submit answer", "zh", {}, "提交回答"),
        ("Submit answer", "fr", {}, "Submit answer"),
        ("A sentence nobody translated", "zh", {}, "A sentence nobody translated"),
        ("Question {k} of {n}", "en", {"k": 1, "n": 3}, "Question 1 of 3"),
        ("Question {k} of {n}", "zh", {"k": 1, "n": 3}, "第 1 题，共 3 题"),
    ],
)
def test_translate_gives_chinese_or_the_english_text(text, language, values, expected):
    """Known text in Chinese for zh; English for en, other languages and unknown text."""
    assert translate(text, language, **values) == expected


@pytest.mark.parametrize(
    ("english", "key"),
    [
        ("Excellent", "excellent"),
        ("Good", "good"),
        ("Adequate", "adequate"),
        ("Needs significant improvement", "needs_improvement"),
        ("Reference answer", "reference"),
        ("Covered", "covered"),
        ("Missed", "missed"),
    ],
)
def test_pages_and_pdf_use_the_same_chinese_terms(english, key):
    """Band names and report headings read the same on the page as in the PDF."""
    assert translate(english, "zh") == label("zh", key)


def test_the_interview_page_of_a_chinese_session_speaks_chinese(logged_in, user):
    """Progress, buttons, busy and draft texts in Chinese, and the page declares lang="zh"."""
    session = make_session(user, language="zh")
    html = page(logged_in, f"/session/{session.id}/interview")
    assert '<html lang="zh">' in html
    assert "第 1 题，共 3 题" in html and "<title>第 1 题，共 3 题" in html
    assert "提交回答" in html and "保存草稿" in html and "你的回答" in html
    assert 'data-busy="思考中…"' in html
    assert 'data-draft-saved="草稿已保存。"' in html and 'data-draft-offline="网络已断开' in html
    assert "Submit answer" not in html and "Thinking…" not in html


def test_insights_and_the_finished_state_speak_chinese(logged_in, user):
    """Insights on the last answer, finishing early, and the done state's feedback button."""
    half = make_session(user, language="zh", answers=[ANSWERS[0], ANSWERS[1], None])
    html = page(logged_in, f"/session/{half.id}/interview")
    # The last answer was to the behavioral question, so its STAR parts are shown.
    assert "关于你的上一个回答" in html and "识别到的 STAR 要素" in html and "情境" in html
    assert "第 3 题，共 3 题" in html and "提前结束" in html
    done = make_session(user, language="zh", answers=list(ANSWERS))
    html = page(logged_in, f"/session/{done.id}/interview")
    assert "这是最后一道题" in html and "获取反馈" in html
    assert 'data-busy="正在评估你的回答…"' in html and "Get my feedback" not in html


def test_a_double_submit_is_explained_in_chinese(logged_in, user):
    """Posting an already answered question again flashes the Chinese explanation."""
    session = make_session(user, language="zh", answers=[ANSWERS[0], None, None])
    first = session.questions[0].id
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": first, "answer": "again"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "这道题已经回答过了" in html and "第 2 题，共 3 题" in html


def test_the_detail_feedback_and_report_pages_speak_chinese(logged_in, user, fake):
    """After evaluation every page of the session is Chinese, with the PDF's band names."""
    session = evaluated_session(logged_in, user, language="zh")
    detail = page(logged_in, f"/session/{session.id}")
    assert '<html lang="zh">' in detail
    assert "全部面试" in detail and "已评估" in detail and "第 1 题" in detail
    assert "完整报告" in detail and "删除此面试" in detail
    feedback = page(logged_in, f"/session/{session.id}/feedback")
    assert '<html lang="zh">' in feedback and "你的面试反馈" in feedback
    # The same verdict as the report's: every answer was graded 70, "Adequate" on both pages.
    assert f'<h2 class="band">{label("zh", "adequate")}</h2>' in feedback
    assert "基本合格" in feedback and "不足" in feedback and "下载 PDF" in feedback
    report = page(logged_in, f"/session/{session.id}/report")
    assert '<html lang="zh">' in report and "面试报告" in report
    assert f'<h2 class="band">{label("zh", "adequate")}</h2>' in report
    for heading in ("已覆盖要点", "遗漏要点", "参考答案", "逐题详情", "各类别得分", "必备"):
        assert heading in report
    assert "评估模型：fake/fake-model-1。" in report
    assert "Reference answer" not in report and "Evaluated by" not in report


def test_fallback_and_integrity_notes_speak_chinese(app, logged_in, user):
    """The fallback notice, the provenance line and the review-only heading in Chinese."""
    install_router(app, FakeModel("primary", down=True), FakeModel("backup"))
    report = signalled_report(logged_in, user, (0, "paste_chars", 400), language="zh")
    assert "首选 AI 服务不可用，本报告由备用服务（backup/backup-model-1）生成。" in report
    assert "评估模型：backup/backup-model-1 （备用服务）。" in report
    assert "招聘方可见的记录" in report and "并非结论" in report


def test_pending_pages_speak_chinese_and_keep_their_links(logged_in, user):
    """Before and during evaluation: Chinese text; the progress says how many answers are
    graded and reloads itself without JavaScript."""
    session = make_session(user, language="zh", answers=list(ANSWERS))
    waiting = page(logged_in, f"/session/{session.id}/feedback")
    assert "面试已结束" in waiting and "获取反馈" in waiting
    claim_evaluation(session.id)
    db.session.commit()
    running = page(logged_in, f"/session/{session.id}/feedback")
    assert "正在生成你的反馈" in running
    assert "已评分 0/3 个回答…" in running
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in running
    report = page(logged_in, f"/session/{session.id}/report", status=202)
    assert '<html lang="zh">' in report and "正在生成你的报告" in report


def test_user_text_inside_a_chinese_sentence_stays_escaped(logged_in, user):
    """A company name with HTML in it is shown as text inside the translated sentence."""
    session = make_session(user, language="zh")
    session.company_name = "<script>alert(1)</script>"
    db.session.commit()
    html = page(logged_in, f"/session/{session.id}")
    assert "<script>alert(1)</script>" not in html
    assert "· &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_english_session_pages_read_as_before(logged_in, user, fake):
    """An English session's pages keep their English wording and contain no Chinese."""
    session = make_session(user, answers=[ANSWERS[0], None, None])
    html = page(logged_in, f"/session/{session.id}/interview")
    assert '<html lang="en">' in html and "Question 2 of 3" in html
    assert "Submit answer" in html and 'data-busy="Thinking…"' in html
    assert "Finish early" in html and 'data-busy="Evaluating your answers…"' in html
    assert 'data-draft-saved="Draft saved."' in html and not CJK.search(html)
    done = evaluated_session(logged_in, user)
    pages = {
        "detail": page(logged_in, f"/session/{done.id}"),
        "feedback": page(logged_in, f"/session/{done.id}/feedback"),
        "report": page(logged_in, f"/session/{done.id}/report"),
    }
    assert "All interviews" in pages["detail"] and "Evaluated" in pages["detail"]
    assert (
        "Your interview feedback" in pages["feedback"] and '"band">Adequate<' in pages["feedback"]
    )
    assert "Reference answer" in pages["report"] and '"band">Adequate<' in pages["report"]
    assert "Evaluated by fake/fake-model-1." in pages["report"]
    for html in pages.values():
        assert '<html lang="en">' in html and not CJK.search(html)


def test_json_messages_stay_english_for_chinese_sessions(logged_in, user, fake):
    """The spec's fixed messages are English in JSON whatever the session's language."""
    unfinished = make_session(user, language="zh", answers=[ANSWERS[0], None, None])
    empty = make_session(user, language="zh", answers=[None] * 3, status="COMPLETED")
    done = evaluated_session(logged_in, user, language="zh")
    cases = [
        (logged_in.get(f"/session/{unfinished.id}/feedback", headers=JSON),
         "Interview not completed"),
        (logged_in.get(f"/session/{unfinished.id}/report", headers=JSON),
         "Interview not completed"),
        (complete(logged_in, empty.id), "Cannot generate feedback for an empty interview."),
        (complete(logged_in, done.id), "Feedback has already been generated for this session."),
        (logged_in.get("/session/999999/feedback", headers=JSON), "Session not found"),
    ]  # fmt: skip
    for response, message in cases:
        assert response.get_json()["message"] == message


def test_a_browser_reads_the_fixed_messages_in_chinese(logged_in, user, fake):
    """Completing twice or completing an empty interview: the page says it in Chinese."""
    done = evaluated_session(logged_in, user, language="zh")
    again = complete(logged_in, done.id, as_json=False)
    assert again.status_code == 302 and again.location.endswith(f"/session/{done.id}/feedback")
    assert "本次面试的反馈已经生成。" in page(logged_in, again.location)
    empty = make_session(user, language="zh", answers=[None] * 3, status="COMPLETED")
    response = complete(logged_in, empty.id, as_json=False)
    assert response.status_code == 400
    assert "面试中没有任何回答，无法生成反馈。" in response.get_data(as_text=True)


NAV_AND_FOOTER = {
    "Interviews": "面试记录",
    "New interview": "新建面试",
    "CVs": "简历",
    "API tokens": "API 令牌",
    "Sign out (Test User)": "退出登录（Test User）",
    "rehearse the interview, learn exactly what to fix.": "演练面试，准确找出需要改进的地方。",
}


def test_the_nav_bar_and_footer_of_a_chinese_session_speak_chinese(logged_in, user):
    """Every link of the nav bar, the sign-out button and the footer read in Chinese."""
    session = make_session(user, language="zh")
    for url in (f"/session/{session.id}", f"/session/{session.id}/interview"):
        html = page(logged_in, url)
        for english, chinese in NAV_AND_FOOTER.items():
            assert chinese in html and english not in html


def test_english_pages_keep_their_nav_bar_and_footer_word_for_word(client, logged_in, user):
    """An English session's page and a page of no session show the same English as before."""
    session = make_session(user)
    for html in (page(logged_in, f"/session/{session.id}"), page(logged_in, "/sessions")):
        assert html.startswith('<!doctype html>\n<html lang="en">')
        for link in ("Interviews", "New interview", "CVs", "API tokens"):
            assert f'">{link}</a>' in html
        assert '<button class="link" type="submit">Sign out (Test User)</button>' in html
        assert (
            '<footer class="footer">Interview Coach — rehearse the interview, learn exactly what '
            "to fix.</footer>"
        ) in html
        assert not CJK.search(html)
    logged_in.post("/auth/logout")
    signed_out = page(client, "/auth/login")
    assert '">Sign in</a>' in signed_out and '">Create account</a>' in signed_out


def test_the_signed_out_nav_speaks_chinese_on_a_chinese_page(app):
    """A visitor on a Chinese page sees the sign-in and create-account links in Chinese."""
    with app.test_request_context("/"):
        html = render_template_string('{% extends "base.html" %}{% set page_lang = "zh" %}')
    assert '<html lang="zh">' in html and ">登录</a>" in html and ">注册账号</a>" in html
    assert "Sign in" not in html and "Create account" not in html


def test_integrity_flags_and_chart_labels_of_a_chinese_report_speak_chinese(logged_in, user, fake):
    """The review-only flags and the category chart's labels are Chinese; the flags are stored
    as data, which the recruiter's report words in English."""
    signals = ((0, "paste_chars", 400), (1, "tab_switches", 2))
    report = signalled_report(logged_in, user, *signals, language="zh")
    assert "<li>第 1 题：回答中有 100% 的内容是粘贴的。</li>" in report
    assert "<li>第 2 题：作答期间切换标签页 2 次。</li>" in report
    assert 'aria-label="各类别得分"' in report and "Databases: 70/100，基于 1 道题" in report
    for english in ("of the answer was pasted", "tab switches", "Score by category", "over 1"):
        assert english not in report
    stored = db.session.scalars(db.select(Report)).one()  # the one report of this test
    assert {"kind": "pasted", "question": 1, "follow_up": False, "value": 100} in (
        stored.integrity_flags
    )


def test_integrity_flags_and_chart_labels_of_an_english_report_read_as_before(
    logged_in, user, fake
):
    """An English report shows the flags as stored and the chart's English labels."""
    report = signalled_report(logged_in, user, (1, "tab_switches", 1))
    assert "<li>Question 2: 1 tab switch while answering.</li>" in report
    assert 'aria-label="Score by category"' in report
    assert "<title>Databases: 70/100 over 1 question</title>" in report
    assert not CJK.search(report)
