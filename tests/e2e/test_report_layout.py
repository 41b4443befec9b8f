"""The report a person reads, in a real browser at 1280 px and on a 390 px phone: one lead screen,
collapsed question cards, nothing wider than the screen; the session detail and the history page
on the phone too. Screenshots of every page at both widths land in test-output/e2e/."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.e2e import pages

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

DESKTOP, PHONE = pages.DESKTOP, pages.PHONE
SCREENS = 3  # the report with its cards collapsed fits in this many desktop screens


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing runs off)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def chart_text(page) -> list[tuple[float, bool]]:
    """(size in px as drawn, inside its SVG) of every word of the report's charts: an SVG is
    scaled to its column, so the size that counts is the font size times that scale."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.chart.bars text, svg.chart.radar text')]
            .map(t => {
              const svg = t.ownerSVGElement, box = svg.getBoundingClientRect();
              const scale = box.width / svg.viewBox.baseVal.width;
              const r = t.getBoundingClientRect();
              return [parseFloat(getComputedStyle(t).fontSize) * scale,
                      r.left >= box.left - 1 && r.right <= box.right + 1];
            })"""
    )


def evaluated_interview(page, live, count: int = 8) -> int:
    """Register, plan `count` questions, answer every one (follow-ups too), get the feedback."""
    answers = iter([pages.STRONG_ANSWER, pages.VAGUE_ANSWER] * 40)
    return pages.finish_interview(
        page,
        live,
        lambda q: next(answers).format(topic=pages.topic_of(q)),
        count=count,
        email_prefix="report",
    )


def test_the_report_leads_with_one_screen_and_works_on_a_phone(page, live_server, shots):
    """8 questions: ≤ 3 screens at 1280 px with every card closed; a "fix first" link opens its
    card; at 390 px the report, the session detail and the history fit the screen's width."""
    session_id = evaluated_interview(page, live_server)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server(f"/session/{session_id}/report"))
    expect(page.locator("section.fix-first li")).not_to_have_count(0)
    assert page.locator("details.report-question[open]").count() == 0
    height = pages.page_height(page)
    print(f"report height at 1280 px: {height} px")  # noqa: T201 - the figure the README quotes
    shots(page, "report 1280")
    assert height <= SCREENS * DESKTOP["height"], height
    # The charts' words were drawn at 8–9 px; radar labels stay inside their SVG.
    drawn = chart_text(page)
    assert drawn and min(size for size, _ in drawn) >= 11, drawn
    assert all(inside for _, inside in drawn), drawn
    first = page.locator("section.fix-first a").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(f"details{target}")).to_have_attribute("open", "")
    shots(page, "report 1280 fix opened")

    page.set_viewport_size(PHONE)
    for path, name in (
        (f"/session/{session_id}/report", "report 390"),
        (f"/session/{session_id}", "session detail 390"),
        ("/sessions", "history 390"),
        (f"/session/{session_id}/feedback", "feedback 390"),
    ):
        page.goto(live_server(path))
        assert overflow(page) <= 0, (name, overflow(page))
        if name == "report 390":
            drawn = chart_text(page)
            assert min(size for size, _ in drawn) >= 10 and all(i for _, i in drawn), drawn
            # A closed card showed one line, a few words of its question: now up to two.
            lines = page.locator("details.report-question:not([open]) > summary h3").evaluate_all(
                "hs => hs.map(h => h.getBoundingClientRect().height"
                " / parseFloat(getComputedStyle(h).lineHeight))"
            )
            assert max(lines) > 1.5 and all(n < 2.5 for n in lines), lines
        shots(page, name)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server("/sessions"))
    shots(page, "history 1280")
    page.goto(live_server(f"/session/{session_id}"))
    shots(page, "session detail 1280")

    pdf = page.request.get(live_server(f"/session/{session_id}/report.pdf"))
    (shots.folder / "report.pdf").write_bytes(pdf.body())  # kept beside the screenshots
    pages_in_pdf = len(PdfReader(io.BytesIO(pdf.body())).pages)
    print(f"PDF pages for 8 questions: {pages_in_pdf}")  # noqa: T201


def test_the_chinese_report_at_both_widths(page, live_server, shots):
    """A Chinese interview's report: Chinese text, ≤ 3 screens at 1280 px with cards closed, and
    nothing wider than a 390 px phone."""
    session_id = pages.finish_interview(
        page, live_server, lambda _q: pages.CHINESE_ANSWER, language="zh", email_prefix="zh"
    )
    page.set_viewport_size(DESKTOP)
    page.goto(live_server(f"/session/{session_id}/report"))
    expect(page.locator("section.fix-first")).to_contain_text("优先改进")
    assert pages.CJK.search(page.inner_text("main"))
    height = pages.page_height(page)
    print(f"Chinese report height at 1280 px: {height} px")  # noqa: T201
    assert height <= SCREENS * DESKTOP["height"], height
    pages.both_widths(page, shots, "report zh")
