"""Practising what went wrong in a real browser: register → interview → report → answer a
question again from its report card and see the delta → the drill list → a drill session; each
step photographed at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import InterviewSession
from tests.e2e import pages

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

SCREENS = 3  # the report with its cards collapsed fits in this many desktop screens


def first_question(live, session_id: int):
    """(id, reference answer) of the session's first main question."""
    with live.app.app_context():
        session = db.session.get_one(InterviewSession, session_id)
        question = session.main_questions[0]
        return question.id, question.reference_answer


def test_retry_shows_the_delta_and_a_drill_asks_the_missed_question(page, live_server, shots):
    """A vague interview, then the first question answered again from its report card with a
    full answer: the card says "old → new: now covers …"; the drill list names the misses and
    starts a drill."""
    live = live_server
    session_id = pages.finish_interview(
        page,
        live,
        pages.vague,
        email_prefix="practice",
        snap=lambda step: pages.both_widths(page, shots, step),
    )
    page.goto(live(f"/session/{session_id}/report"))
    expect(page.locator(".score-big")).to_contain_text("/100")
    page.set_viewport_size(pages.DESKTOP)
    assert page.locator("details.report-question[open]").count() == 0
    height = pages.page_height(page)
    assert height <= SCREENS * pages.DESKTOP["height"], height
    # The card's disclosure mark is drawn inside the card (the browser's own sat on its border).
    marker = page.locator("details.report-question > summary").first.evaluate(
        "s => [getComputedStyle(s).listStyleType, getComputedStyle(s, '::before').content]"
    )
    assert marker[0] == "none" and marker[1] not in ("none", "normal", ""), marker
    pages.both_widths(page, shots, "report")

    question_id, reference = first_question(live, session_id)
    card = page.locator(f"details#q-{question_id}")
    old_score = int(re.search(r"\d+", card.locator("summary .pill").inner_text()).group())
    card.locator("summary").first.click()
    card.locator("details.try-again summary").click()
    card.locator("textarea[name=answer]").fill(reference)
    # The new answer's box counts against the limit as the interview's does.
    expect(card.locator("form.attempt-form [data-char-count]")).to_have_text(
        f"{len(reference):,} / 10,000"
    )
    pages.both_widths(page, shots, "answer again")
    with page.expect_navigation():
        card.locator("form.attempt-form button[type=submit]").click()
    assert page.url.endswith(f"/session/{session_id}/report#q-{question_id}"), page.url
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text(f"{old_score} → ")
    new_score = int(re.search(r"→ (\d+)", flash.inner_text()).group(1))
    assert new_score > old_score
    expect(flash).to_contain_text("now covers")
    expect(card).to_have_attribute("open", "")
    expect(card.locator(".attempt")).to_have_count(1)
    expect(card.locator(".delta.up")).to_contain_text(f"+{new_score - old_score}")
    expect(card.locator(".delta-text")).to_contain_text(f"{old_score} → {new_score}")
    pages.both_widths(page, shots, "delta after retry")

    page.click("nav a:has-text('Drills')")
    page.wait_for_url(re.compile(r"/drills$"))
    expect(page.locator(".drill-point").first).to_contain_text("You missed")
    expect(page.locator(".badge.due").first).to_have_text("Due now")
    pages.both_widths(page, shots, "drill list")

    page.goto(live("/sessions"))
    expect(page.locator(".progress-panel")).to_contain_text("Missed before, covered now")
    # The history table itself is laid out by the history page; here the panel must fit.
    pages.both_widths(page, shots, "history progress", within=".progress-panel")
    # On a phone "covered 2026-12-07" broke inside the date; the note now stays on one line.
    page.set_viewport_size(pages.PHONE)
    heights = page.locator(".moved-points .small").evaluate_all(
        "ss => ss.map(s => s.getClientRects().length)"
    )
    assert heights and all(n == 1 for n in heights), heights
    # A lone interview's dot sits mid-chart, clear of the axis' "50".
    dot = page.locator("svg.chart.trend circle.dot").bounding_box()
    axis = page.locator("svg.chart.trend text.axis").nth(1).bounding_box()
    assert dot["x"] > axis["x"] + axis["width"] + 20, (dot, axis)
    page.set_viewport_size(pages.DESKTOP)

    page.goto(live("/drills"))
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('Start a drill')")
    page.wait_for_url(re.compile(r"/session/\d+/interview"))
    drill_id = pages.session_id_from(page)
    assert drill_id != session_id
    expect(page.locator("p.step")).to_contain_text("Question 1 of")
    pages.both_widths(page, shots, "drill session")
    with live.app.app_context():
        drill = db.session.get_one(InterviewSession, drill_id)
        original = db.session.get_one(InterviewSession, session_id)
        asked = {q.text for q in original.main_questions}
        assert drill.job_title == "Drill: what you missed"
        assert any(q.text in asked for q in drill.main_questions)
