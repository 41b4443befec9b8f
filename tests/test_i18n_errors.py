"""Error pages about a Chinese session speak Chinese; JSON errors and every other page do not."""

from __future__ import annotations

import re
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from app.sessions import services as sessions
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, complete
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user

CJK = re.compile(r"[\u4e00-\u9fff]")


def fail_after_loading(monkeypatch, error: Exception) -> None:
    """The session detail page fails with `error` once its session has been loaded."""

    def broken(session):
        raise error

    monkeypatch.setattr(sessions, "progress", broken)


def database_locked() -> OperationalError:
    """What SQLAlchemy raises when another writer holds SQLite's lock past the timeout."""
    return OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))


# (how the page fails, status, Chinese title, hint and message, English title and message)
FAULTS = [
    pytest.param(
        None, 400, ("请求有误", "请检查表单后重试。", "面试尚未完成"),
        ("Something in the request was wrong", "Interview not completed"), id="400-not-completed",
    ),
    pytest.param(
        RuntimeError("boom"), 500,
        ("服务器出了点问题", "你输入的内容都没有丢失，请重试。", "服务器内部错误"),
        ("Something went wrong on our side", "Internal server error"), id="500-unexpected",
    ),
    pytest.param(
        database_locked(), 503,
        ("服务器繁忙", "已保存的内容都完好无损，请稍后再试。", "服务繁忙。已保存的内容都会保留"),
        ("Busy right now", "The service is busy."), id="503-database-busy",
    ),
]  # fmt: skip


def failing_page(monkeypatch, user, fault: Exception | None, language: str) -> str:
    """The address of a page of a new session in `language` that fails with `fault`."""
    if fault is None:  # the feedback page of an unfinished interview is a 400
        session = make_session(user, language=language, answers=[ANSWERS[0], None, None])
        return f"/session/{session.id}/feedback"
    fail_after_loading(monkeypatch, fault)
    return f"/session/{make_session(user, language=language).id}"


@pytest.mark.parametrize(("fault", "status", "chinese", "english"), FAULTS)
def test_an_error_page_about_a_chinese_session_speaks_chinese(
    monkeypatch, logged_in, user, fault, status, chinese, english
):
    """Title, hint, message, the Home button and the nav are Chinese; none of the English is."""
    response = logged_in.get(failing_page(monkeypatch, user, fault, "zh"))
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert '<html lang="zh">' in html and ">首页</a>" in html and ">面试记录</a>" in html
    for text in chinese:
        assert text in html
    for text in english:
        assert text not in html


@pytest.mark.parametrize(("fault", "status", "chinese", "english"), FAULTS)
def test_the_same_error_stays_english_for_json_and_for_an_english_session(
    monkeypatch, logged_in, user, fault, status, chinese, english
):
    """The JSON message is the spec's English for a Chinese session; an English session's page
    reads exactly as before, without any Chinese."""
    url = failing_page(monkeypatch, user, fault, "zh")
    body = logged_in.get(url, headers=JSON).get_json()
    assert body["code"] == status and english[1] in body["message"]
    assert not CJK.search(body["message"])
    response = logged_in.get(failing_page(monkeypatch, user, fault, "en"))
    html = response.get_data(as_text=True)
    assert response.status_code == status and '<html lang="en">' in html
    assert all(text in html for text in english) and ">Home</a>" in html
    assert not CJK.search(html)


def test_error_pages_not_about_the_users_own_chinese_session_stay_english(logged_in, user):
    """Someone else's Chinese session, or a missing one asked after a Chinese page: English."""
    other = make_user(email="other@example.com")
    theirs = make_session(other, language="zh")
    foreign = logged_in.get(f"/session/{theirs.id}")
    html = foreign.get_data(as_text=True)
    assert foreign.status_code == 404 and "Not found" in html and not CJK.search(html)
    mine = make_session(user, language="zh")
    assert logged_in.get(f"/session/{mine.id}").status_code == 200
    missing = logged_in.get("/session/999999")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 404 and "Not found" in html and not CJK.search(html)


def test_the_ai_failure_page_of_a_chinese_session_speaks_chinese(app, logged_in, user):
    """From "Get my feedback" and from the report's first view: Chinese title, message, hint,
    retry button and link; the JSON error stays "AI service error"."""
    install_router(app, FakeModel(down=True))
    session = make_session(user, language="zh", answers=list(ANSWERS))
    pages = [
        complete(logged_in, session.id, as_json=False),
        logged_in.get(f"/session/{session.id}/report"),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 500 and '<html lang="zh">' in html
        assert "<h1>评估未能完成</h1>" in html and "<p>AI 服务出错</p>" in html
        assert "所有 AI 服务都未能完成评估" in html and 'data-busy="正在评估你的回答…"' in html
        assert ">重新评估</button>" in html and ">查看你的回答</a>" in html
        for english in ("could not be finished", "AI service error", "Try the evaluation", "See"):
            assert english not in html
    assert complete(logged_in, session.id).get_json()["message"] == "AI service error"


def test_the_ai_failure_page_of_an_english_session_reads_as_before(app, logged_in, user):
    """The English page keeps its title, message, hint, button and link, without Chinese."""
    install_router(app, FakeModel(down=True))
    session = make_session(user, answers=list(ANSWERS))
    html = complete(logged_in, session.id, as_json=False).get_data(as_text=True)
    assert "<h1>The evaluation could not be finished</h1>" in html
    assert "<p>AI service error</p>" in html and "nothing was lost" in html
    assert ">Try the evaluation again</button>" in html and ">See your answers</a>" in html
    assert not CJK.search(html)
