"""The PDF report: what a reader finds in it, in English and Chinese, with either CJK font path."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from pypdf import PdfReader

from app.reports.pdf import (
    PdfRenderError,
    ReportMeta,
    fonts,
    pdf_filename_headers,
    render_report_pdf,
)
from tests.support.reports import CODE_ANSWER, ZH_SENTENCE, sample_meta, sample_report

NOW = datetime(2026, 5, 2, 14, 5, tzinfo=UTC)
EN_HEADINGS = [
    "Interview Coach",
    "Interview Assessment Report",
    "Summary",
    "Category Analysis",
    "Question by Question",
    "Improvement Plan",
]
ZH_HEADINGS = ["模拟面试评估报告", "总结", "类别分析", "逐题详情", "提升计划"]


def page_texts(data: bytes) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def embedded_font_names(data: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            if descriptor and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


def truetype_cjk_font() -> str:
    """A CJK TrueType font on this machine, or skip the test."""
    for path in fonts.SYSTEM_CJK_FONT_PATHS:
        if os.path.isfile(path) and fonts.load_truetype(path) is not None:
            return path
    pytest.skip("no CJK TrueType font installed (Debian: fonts-wqy-microhei)")


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend no CJK font is installed, so drawing falls back to the built-in CID font."""
    monkeypatch.setattr(fonts, "SYSTEM_CJK_FONT_PATHS", ())


@pytest.fixture(scope="module")
def english_pdf() -> bytes:
    """An eight-question English report."""
    return render_report_pdf(sample_report(8, "en"), sample_meta("en"), now=NOW)


def test_every_section_heading_and_the_overall_score_are_in_the_text(english_pdf: bytes) -> None:
    """A reader finds the cover, all five section headings and the overall score."""
    text = "\n".join(page_texts(english_pdf))
    for heading in EN_HEADINGS:
        assert heading in text
    overall = sample_report(8, "en")["overall_score"]
    assert f"{overall}\n/ 100" in page_texts(english_pdf)[0]
    assert "Senior Backend Engineer at Acme Corp" in text
    assert "Ada Lovelace" in text and "1 May 2026" in text


def test_each_question_and_its_score_appear(english_pdf: bytes) -> None:
    """Every question's text is printed, and each main question's score; a follow-up is graded
    through its main question and shows no score of its own."""
    text = "\n".join(page_texts(english_pdf))
    for item in sample_report(8, "en")["question_details"]:
        assert item["question"] in text
        badge = f"{item['score']} / 100"
        assert (badge not in text) if item["is_follow_up"] else (badge in text)
    assert "Evaluated by offline/offline-grader-1" in text


def test_every_page_has_the_footer(english_pdf: bytes) -> None:
    """Each page shows "Page X of Y", the session id and the generation time."""
    pages = page_texts(english_pdf)
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Session 42 · Generated 2026-05-02 14:05 UTC" in text


def test_metadata_is_filled_in(english_pdf: bytes) -> None:
    """Title, author, subject, keywords and the creation date are set."""
    info = PdfReader(io.BytesIO(english_pdf)).metadata
    assert info is not None
    assert info.title == "Interview report: Senior Backend Engineer at Acme Corp"
    assert info.author == "Interview Coach"
    assert info.subject == "Interview assessment of Ada Lovelace for Senior Backend Engineer"
    assert "Senior Backend Engineer" in info["/Keywords"] and "Python" in info["/Keywords"]
    assert info.creation_date == NOW


def test_chinese_report_with_an_embedded_truetype_font() -> None:
    """With a CJK TrueType font configured, Chinese text is embedded as a subset and extracts."""
    path = truetype_cjk_font()
    data = render_report_pdf(sample_report(6, "zh"), sample_meta("zh"), cjk_font_path=path, now=NOW)
    text = "\n".join(page_texts(data))
    for heading in ZH_HEADINGS:
        assert heading in text
    assert ZH_SENTENCE in text
    assert "Page 1 of" in text
    assert any("+" in name for name in embedded_font_names(data))  # a subset, e.g. /AAAAAA+Name


def test_chinese_report_falls_back_to_the_builtin_cid_font(no_system_fonts: None) -> None:
    """Without any CJK font installed, STSong-Light draws the Chinese and its text extracts."""
    data = render_report_pdf(sample_report(6, "zh"), sample_meta("zh"), now=NOW)
    text = "\n".join(page_texts(data))
    assert ZH_SENTENCE in text
    assert "首选 AI 服务不可用" in text  # the fallback notice
    assert embedded_font_names(data) == set()
    assert b"/STSong-Light" in data


def test_a_missing_configured_font_falls_back_instead_of_failing(no_system_fonts: None) -> None:
    """A PDF_CJK_FONT that does not exist still gives a readable PDF."""
    data = render_report_pdf(
        sample_report(3, "zh"), sample_meta("zh"), cjk_font_path="/nonexistent/font.ttf"
    )
    assert ZH_SENTENCE in "\n".join(page_texts(data))


def test_twenty_questions_with_a_5000_character_answer_and_code() -> None:
    """The largest interview gives a valid PDF with the long answer and code line by line."""
    report = sample_report(20, "en")
    assert len(report["question_details"][1]["answer"]) == 5000
    data = render_report_pdf(report, sample_meta("en"), now=NOW)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 4
    for line in CODE_ANSWER.splitlines():
        assert line.strip() in text
    assert "Question 20: how would you design a rate limiter" in text


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<b>not bold</b> & <i>not italic</i>",
        '<font name="Nope" size="90">big</font>',
        "<para>x</para><br/>&amp;&lt;&#0;&bogus;",
        "]]><![CDATA[<unclosed",
    ],
)
def test_markup_in_user_text_is_shown_literally(payload: str) -> None:
    """Markup-like text in names, questions, answers and feedback prints as typed."""
    report = sample_report(3, "en")
    question = report["question_details"][0]
    question.update(question=payload, answer=payload, feedback=payload, category=payload)
    report["strengths"] = [payload]
    report["improvement_plan"][0]["topic"] = payload
    meta = ReportMeta(42, payload, payload, payload, NOW, "en", {})
    text = "\n".join(page_texts(render_report_pdf(report, meta, now=NOW)))
    assert payload in text


def test_emoji_and_unknown_glyphs_are_dropped_not_boxed(no_system_fonts: None) -> None:
    """Emoji vanish, accented letters keep their base letter, and the rest of the line survives."""
    report = sample_report(3, "en")
    report["question_details"][0]["answer"] = "Great 🚀 work 👍🏽 from Łukasz, naïve café ☃"
    text = "\n".join(page_texts(render_report_pdf(report, sample_meta("en"), now=NOW)))
    assert "Great work from Lukasz, naïve café" in text
    assert "🚀" not in text and "👍" not in text


def test_a_drawing_failure_raises_pdf_render_error() -> None:
    """Anything that stops the drawing surfaces as PdfRenderError for the route's 500."""
    broken = ReportMeta(42, "Role", "Co", "Name", "not a date", "en", {})  # type: ignore[arg-type]
    with pytest.raises(PdfRenderError):
        render_report_pdf(sample_report(3, "en"), broken, now=NOW)


def test_filename_header_is_exact() -> None:
    """A Chinese report carries the ASCII name and the RFC 5987 Chinese name."""
    header = pdf_filename_headers(42, "zh")
    assert header == (
        'attachment; filename="interview-report-42.pdf"; '
        "filename*=UTF-8''%E6%A8%A1%E6%8B%9F%E9%9D%A2%E8%AF%95%E6%8A%A5%E5%91%8A_42.pdf"
    )
    assert unquote(header.split("''", 1)[1]) == "模拟面试报告_42.pdf"


def test_an_english_report_downloads_under_an_english_name() -> None:
    """The localised name follows the session's language: English never gets the Chinese name."""
    header = pdf_filename_headers(42, "en")
    assert header == (
        "attachment; filename=\"interview-report-42.pdf\"; filename*=UTF-8''interview-report-42.pdf"
    )


def test_the_cover_counts_main_questions_and_names_follow_ups_apart() -> None:
    """8 main questions and 3 follow-ups read '8 + 3 follow-ups', as the pages count 8 of 8."""
    report = sample_report(8, "en")
    follow_ups = [dict(item, is_follow_up=True) for item in report["question_details"][:3]]
    report["question_details"] = [
        dict(item, is_follow_up=False) for item in report["question_details"]
    ] + follow_ups
    cover = page_texts(render_report_pdf(report, sample_meta("en"), now=NOW))[0]
    assert "8 + 3 follow-ups" in cover
    assert "11" not in cover.split("Questions", 1)[1].split("\n", 2)[0]
    zh = sample_report(8, "zh")
    zh["question_details"] = [dict(item, is_follow_up=False) for item in zh["question_details"]]
    zh["question_details"][-1]["is_follow_up"] = True
    zh_cover = page_texts(render_report_pdf(zh, sample_meta("zh"), now=NOW))[0]
    assert "7（另有 1 道追问）" in zh_cover


def test_counts_are_written_without_plural_brackets(english_pdf: bytes) -> None:
    """'1 question' and '3 questions', never 'question(s)'."""
    assert "(s)" not in "\n".join(page_texts(english_pdf))


def test_code_typed_in_text_mode_keeps_its_indentation() -> None:
    """An answer in text mode whose lines are indented code is drawn with those indents."""
    report = sample_report(8, "en")
    report["question_details"][0]["answer"] = "    def first(xs):\n        return xs[0]\n"
    text = "\n".join(page_texts(render_report_pdf(report, sample_meta("en"), now=NOW)))
    lines = [line.replace("\xa0", " ") for line in text.splitlines()]
    # The extractor may add one space before a block's first line; the indents must stay.
    first = next(line for line in lines if line.strip() == "def first(xs):")
    second = next(line for line in lines if line.strip() == "return xs[0]")
    assert len(first) - len(first.lstrip()) in (4, 5)
    assert second == "        return xs[0]"
