"""Practising what went wrong in a real browser: register → interview → report → answer a
question again and see the delta → the drill list → a drill session; at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import InterviewSession
from tests.e2e import pages
from tests.e2e.test_candidate_flow import create_interview, session_id_from

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def both_widths(page, shots, step: str, within: str = "") -> None:
    """Screenshots of the page at desktop and phone width; on the phone, the page (or the
    `within` element) must not run off the screen."""
    page.set_viewport_size(DESKTOP)
    shots(page, f"{step} 1280")
    page.set_viewport_size(PHONE)
    if within:
        overflow = page.locator(within).evaluate(
            "e => Math.max(e.scrollWidth - e.clientWidth, e.getBoundingClientRect().right - 390)"
        )
    else:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    shots(page, f"{step} 390")
    page.set_viewport_size(DESKTOP)
    assert overflow <= 1, f"{step}: the page is {overflow}px wider than a phone"


def first_question(live, session_id: int):
    """(id, reference answer) of the session's first main question."""
    with live.app.app_context():
        session = db.session.get_one(InterviewSession, session_id)
        question = session.main_questions[0]
        return question.id, question.reference_answer


def test_retry_shows_the_delta_and_a_drill_asks_the_missed_question(page, live_server, shots):
    """A vague interview, then the first question answered again with a full answer: the page
    says "old → new: now covers …"; the drill list names the misses and starts a drill."""
    live = live_server
    pages.register(page, live, pages.unique_email("practice"))
    create_interview(
        page,
        live,
        job_description=pages.JOB_DESCRIPTION,
        count=3,
        resume_text="Python Flask PostgreSQL Redis Docker Kubernetes, 6 years of backend work "
        "on payments at Acme.",
    )
    session_id = session_id_from(page)
    pages.answer_remaining(page, lambda q: pages.VAGUE_ANSWER.format(topic=pages.topic_of(q)))
    page.click("section.done form button[type=submit]")
    page.wait_for_url(re.compile(rf"/session/{session_id}/feedback"))
    page.goto(live(f"/session/{session_id}/report"))
    expect(page.locator(".score-big")).to_contain_text("/100")
    both_widths(page, shots, "report")

    question_id, reference = first_question(live, session_id)
    page.goto(live(f"/session/{session_id}"))
    card = page.locator(f"#question-{question_id}")
    old_score = int(card.locator(".pill").first.inner_text())
    card.locator("details.try-again summary").click()
    card.locator("textarea[name=answer]").fill(reference)
    both_widths(page, shots, "answer again")
    with page.expect_navigation():
        card.locator("form.attempt-form button[type=submit]").click()
    assert re.search(rf"/session/{session_id}#attempt-\d+$", page.url), page.url
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text(f"{old_score} → ")
    new_score = int(re.search(r"→ (\d+)", flash.inner_text()).group(1))
    assert new_score > old_score
    expect(flash).to_contain_text("now covers")
    expect(card.locator(".attempt")).to_have_count(1)
    expect(card.locator(".delta.up")).to_contain_text(f"+{new_score - old_score}")
    both_widths(page, shots, "delta after retry")

    page.click("nav a:has-text('Drills')")
    page.wait_for_url(re.compile(r"/drills$"))
    expect(page.locator(".drill-point").first).to_contain_text("You missed")
    expect(page.locator(".badge.due").first).to_have_text("Due now")
    both_widths(page, shots, "drill list")

    page.goto(live("/sessions"))
    expect(page.locator(".progress-panel")).to_contain_text("Missed before, covered now")
    # The history table itself is laid out by the history page; here the panel must fit.
    both_widths(page, shots, "history progress", within=".progress-panel")

    page.goto(live("/drills"))
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('Start a drill')")
    page.wait_for_url(re.compile(r"/session/\d+/interview"))
    drill_id = session_id_from(page)
    assert drill_id != session_id
    expect(page.locator("p.step")).to_contain_text("Question 1 of")
    both_widths(page, shots, "drill session")
    with live.app.app_context():
        drill = db.session.get_one(InterviewSession, drill_id)
        original = db.session.get_one(InterviewSession, session_id)
        asked = {q.text for q in original.main_questions}
        assert drill.job_title == "Drill: what you missed"
        assert any(q.text in asked for q in drill.main_questions)
