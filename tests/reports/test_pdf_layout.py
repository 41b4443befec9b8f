"""The PDF's layout under stress: nothing leaves the page, long tables repeat their header."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from app.reports.pdf import render_report_pdf
from tests.support.reports import sample_meta, sample_report

NOW = datetime(2026, 5, 2, 14, 5, tzinfo=UTC)
MARGIN = 18 * 72 / 25.4  # 18 mm in points
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def page_texts(data: bytes) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def stressed_report(language: str) -> dict[str, Any]:
    """A 20-question report with unbroken 500-character words, long URLs and long labels."""
    report = sample_report(20, language)
    long_word = "x" * 500
    for item in report["question_details"][::3]:
        item["question"] += " " + long_word
        item["feedback"] += " https://example.com/" + "path/" * 80
        item["reference_answer"] = long_word + " " + item["reference_answer"]
        item["missed_points"] = [long_word]
    report["category_scores"] += [
        {
            "category": f"Extremely long category name number {i} " * 3,
            "score": 10 * i,
            "question_count": 1,
        }
        for i in range(8)
    ]
    report["improvement_plan"][0]["resources"].append("https://example.com/" + "q" * 400)
    report["strengths"].append(long_word)
    return report


def words_outside(data: bytes, tolerance: float) -> list[str]:
    """Words whose box leaves the page's margins, as found by pdftotext."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    width, height = (float(v) for v in PAGE.search(xml).groups())  # type: ignore[union-attr]
    bad = []
    for match in WORD.finditer(xml):
        x_min, y_min, x_max, y_max = (float(v) for v in match.groups()[:4])
        if x_min < MARGIN - 1 or x_max > width - MARGIN + tolerance or y_min < 0 or y_max > height:
            bad.append(f"{match.group(5)[:30]!r} x={x_min:.0f}..{x_max:.0f}")
    return bad


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize(("language", "tolerance"), [("en", 1.0), ("zh", 10.0)])
def test_nothing_overflows_the_margins(language: str, tolerance: float) -> None:
    """Long words, URLs and labels wrap inside the margins (CJK punctuation may hang one glyph)."""
    data = render_report_pdf(stressed_report(language), sample_meta(language), now=NOW)
    assert words_outside(data, tolerance) == []


def test_long_tables_repeat_their_header_on_every_page() -> None:
    """A plan that runs over several pages shows its header row on each."""
    report = sample_report(3, "en")
    report["improvement_plan"] = [
        {"topic": f"Topic {i:02d}", "action": "Practise. " * 20, "resources": ["A book"]}
        for i in range(40)
    ]
    pages = page_texts(render_report_pdf(report, sample_meta("en"), now=NOW))
    plan_pages = [p for p in pages if "Topic " in p]
    assert len(plan_pages) >= 2
    for text in plan_pages:
        assert "Action" in text and "Resources" in text


def test_eight_questions_take_at_most_eight_pages() -> None:
    """The sample's 8 questions (with a 5,000-character answer and code) fit in 8 A4 pages, in
    the page's order: score, what to fix, what went well, charts, then the questions."""
    for language in ("en", "zh"):
        data = render_report_pdf(sample_report(8, language), sample_meta(language), now=NOW)
        assert len(page_texts(data)) <= 8
    first = page_texts(render_report_pdf(sample_report(8, "en"), sample_meta("en"), now=NOW))[0]
    assert first.index("Fix these first") < first.index("What went well")


@pytest.mark.parametrize("count", [0, 1, 2])
def test_few_or_no_categories_still_draw(count: int) -> None:
    """With fewer than three categories the radar is replaced by a note; with none, no charts."""
    report = sample_report(3, "en")
    report["category_scores"] = report["category_scores"][:count]
    text = "\n".join(page_texts(render_report_pdf(report, sample_meta("en"), now=NOW)))
    assert "Category Analysis" in text
    if count:
        assert "The radar chart needs at least three categories." in text


def test_an_empty_report_still_gives_every_section() -> None:
    """A report with nothing in it draws all sections with "none" placeholders."""
    text = "\n".join(page_texts(render_report_pdf({}, sample_meta("en"), now=NOW)))
    for heading in ("Summary", "Category Analysis", "Question by Question", "Improvement Plan"):
        assert heading in text
    assert "No improvement plan was produced for this interview." in text
