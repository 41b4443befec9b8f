"""GET /session/<id>/report.pdf: the stored report as a download, its headers and error statuses."""

from __future__ import annotations

import pytest

from app.reports import pdf as pdf_package
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, evaluated_session
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_session
from tests.support.users import make_user


@pytest.fixture
def fake(app) -> FakeModel:
    """A scripted model as the app's only AI provider."""
    model = FakeModel()
    install_router(app, model)
    return model


def test_the_pdf_downloads_with_its_headers_and_no_ai_call(logged_in, user, fake):
    """application/pdf, attachment with both filenames, an exact Content-Length; no AI call."""
    session = evaluated_session(logged_in, user)
    calls = dict(fake.calls)
    response = logged_in.get(f"/session/{session.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Length"] == str(len(response.data))
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="interview-report-{session.id}.pdf"')
    assert disposition.endswith(f"filename*=UTF-8''interview-report-{session.id}.pdf")
    assert dict(fake.calls) == calls


def test_a_chinese_report_downloads_under_its_chinese_name(logged_in, user, fake):
    """The localised filename follows the session's language (seed 004's name for Chinese)."""
    session = evaluated_session(logged_in, user, language="zh")
    disposition = logged_in.get(f"/session/{session.id}/report.pdf").headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="interview-report-{session.id}.pdf"')
    chinese_name = "%E6%A8%A1%E6%8B%9F%E9%9D%A2%E8%AF%95%E6%8A%A5%E5%91%8A"
    assert disposition.endswith(f"filename*=UTF-8''{chinese_name}_{session.id}.pdf")


def test_before_evaluation_it_is_a_plain_text_400(logged_in, user, fake):
    """A COMPLETED session's PDF is not generated on demand: 400 in plain text, even for JSON."""
    session = make_session(user, answers=list(ANSWERS))
    for headers in ({}, JSON):
        response = logged_in.get(f"/session/{session.id}/report.pdf", headers=headers)
        assert response.status_code == 400
        assert response.mimetype == "text/plain"
        assert response.get_data(as_text=True) == "Report not generated yet"
    assert fake.calls == {}


def test_unknown_and_foreign_sessions(logged_in, fake):
    """404 for no session and for another user's."""
    other = make_user(email="other@example.com")
    session = make_session(other, answers=list(ANSWERS))
    assert logged_in.get("/session/999/report.pdf").status_code == 404
    assert logged_in.get(f"/session/{session.id}/report.pdf").status_code == 404


def test_a_drawing_failure_is_a_500(logged_in, user, fake, monkeypatch):
    """When ReportLab cannot draw the document the download answers 500, not a broken file."""
    session = evaluated_session(logged_in, user)

    def broken(*args, **kwargs):
        raise ValueError("font table corrupt")

    monkeypatch.setattr(pdf_package, "build_report_pdf", broken)
    response = logged_in.get(f"/session/{session.id}/report.pdf")
    assert response.status_code == 500
    assert response.mimetype == "text/html"


def test_the_configured_cjk_font_is_used(app, logged_in, user, fake, monkeypatch):
    """PDF_CJK_FONT reaches the font resolver as the path to try first."""
    seen = []
    original = pdf_package.resolve_fonts

    def recording(path):
        seen.append(path)
        return original(path)

    monkeypatch.setattr(pdf_package, "resolve_fonts", recording)
    app.config["PDF_CJK_FONT"] = "/nonexistent/font.ttf"
    session = evaluated_session(logged_in, user)
    assert logged_in.get(f"/session/{session.id}/report.pdf").status_code == 200
    assert seen == ["/nonexistent/font.ttf"]
