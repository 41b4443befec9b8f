"""A candidate's whole journey in a real browser: register → CV → interview → feedback → PDF."""

from __future__ import annotations

import io
import re
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import InterviewSession, Question
from tests.e2e import pages
from tests.e2e.pages import create_interview, session_id_from
from tests.fixtures.documents import CHINESE_CV, text_pdf
from tests.support.sessions import SAMPLE_CV

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

FEEDBACK_BANDS = {"Excellent", "Good", "Adequate", "Needs Work", "Poor"}
REPORT_BANDS = {"Excellent", "Good", "Adequate", "Needs significant improvement"}


@contextmanager
def submit_held(page, form: str):
    """Click the form's submit button but hold the submission, so the busy state can be seen.

    A one-off listener on `window` runs after app.js's (on `document`), so the page reacts to the
    click exactly as for a user, and only then is the navigation stopped. On exit the form is sent.
    """
    page.evaluate("() => window.addEventListener('submit', e => e.preventDefault(), {once: true})")
    page.click(f"{form} button[type=submit] >> nth=0")
    yield
    with page.expect_navigation():
        page.evaluate("s => document.querySelector(s).submit()", form)


def stored_draft(live, session_id: int) -> str | None:
    """The draft the server holds for the session's current question."""
    with live.app.app_context():
        return db.session.scalar(
            sa.select(Question.draft_text)
            .where(Question.session_id == session_id, Question.answered_at.is_(None))
            .order_by(Question.position, Question.id)
            .limit(1)
        )


def wait_for_draft(live, session_id: int, text: str, timeout: float = 8.0) -> None:
    """Poll the database until the draft arrives (sent by fetch or by sendBeacon on pagehide)."""
    deadline = time.monotonic() + timeout
    while stored_draft(live, session_id) != text:
        assert time.monotonic() < deadline, "the draft never reached the server"
        time.sleep(0.1)


def upload_pdf_cv(page, live) -> None:
    """Add a PDF CV in the library and open the interview form for it."""
    page.goto(live("/resumes"))
    page.fill("input[name=title]", "Backend CV (PDF)")
    page.set_input_files(
        "input[name=resume_file]",
        files=[{"name": "jane-doe-cv.pdf", "mimeType": "application/pdf", "buffer": text_pdf()}],
    )
    page.click("form button[type=submit]:has-text('Save CV')")
    page.wait_for_url(re.compile(r"/resumes/\d+"))
    expect(page.locator("body")).to_contain_text("Kubernetes")  # the text came out of the PDF


def test_candidate_completes_an_interview_from_a_pdf_cv(page, live_server, shots):
    """Register, PDF CV, 8 questions with a follow-up, draft survives reload, busy states,
    feedback, report and a PDF download."""
    live = live_server
    pages.register(page, live, pages.unique_email("flow"))
    shots(page, "registered")
    upload_pdf_cv(page, live)
    shots(page, "cv uploaded")
    with live.app.app_context():
        resume_id = db.session.scalar(sa.text("SELECT max(id) FROM resumes"))
    create_interview(
        page, live, job_description=pages.JOB_DESCRIPTION, count=8, resume_id=resume_id
    )
    expect(page.locator("p.step")).to_contain_text("Question 1 of 8")
    shots(page, "first question")
    session_id = session_id_from(page)

    # A vague answer leaves gaps: the button shows the busy state, then a follow-up is asked.
    page.fill(
        "form.answer-form textarea[name=answer]",
        pages.VAGUE_ANSWER.format(topic=pages.topic_of(pages.question_text(page))),
    )
    with submit_held(page, "form.answer-form"):
        buttons = page.locator("form.answer-form button[type=submit]")
        expect(buttons.first).to_have_text("Thinking…")
        expect(buttons.first).to_be_disabled()  # a double click cannot send it twice
        expect(page.locator("form.answer-form [data-busy-status]")).to_be_visible()
        shots(page, "thinking")
    assert pages.on_follow_up(page), "a vague answer should be followed up"
    shots(page, "follow-up")
    pages.submit_answer(page, pages.STRONG_ANSWER.format(topic="the follow-up"))

    # Autosave every 5 s: the draft is back after a reload.
    draft = "Half-written: I would start by measuring, then"
    page.fill("form.answer-form textarea[name=answer]", draft)
    expect(page.locator("[data-draft-status]")).to_have_text("Draft saved.", timeout=9_000)
    page.reload()
    expect(page.locator("form.answer-form textarea[name=answer]")).to_have_value(draft)
    expect(page.locator("[data-draft-status]")).to_have_text("Draft restored.")
    shots(page, "draft restored after reload")

    # Leaving the page (pagehide) saves the draft too.
    leaving = draft + " add an index and cache hot reads."
    page.fill("form.answer-form textarea[name=answer]", leaving)
    page.goto(live("/sessions"))
    wait_for_draft(live, session_id, leaving)
    page.goto(live(f"/session/{session_id}/interview"))
    expect(page.locator("form.answer-form textarea[name=answer]")).to_have_value(leaving)

    pages.answer_remaining(page, lambda q: pages.STRONG_ANSWER.format(topic=pages.topic_of(q)))
    expect(page.locator("section.done")).to_contain_text("You answered 8 of 8")
    shots(page, "all answered")

    with submit_held(page, "section.done form"):
        expect(page.locator("section.done form button[type=submit]")).to_have_text(
            "Evaluating your answers…"
        )
        expect(page.locator("section.done form [data-busy-status]")).to_be_visible()
        shots(page, "evaluating")
    page.wait_for_url(re.compile(rf"/session/{session_id}/feedback"))
    expect(page.locator(".score-big")).to_contain_text("/10")
    assert page.inner_text("h2.band") in FEEDBACK_BANDS
    expect(page.locator("main")).to_contain_text("Strengths")
    shots(page, "feedback")

    page.click(f"a[href$='/session/{session_id}/report']")
    page.wait_for_url(re.compile(rf"/session/{session_id}/report$"))
    expect(page.locator(".score-big")).to_contain_text("/100")
    assert page.inner_text("h2.band") in REPORT_BANDS
    expect(page.locator("svg.chart.bars")).to_be_visible()  # category bars, drawn on the server
    shots(page, "report")

    with page.expect_download() as download_info:
        page.click(f"a[href$='/session/{session_id}/report.pdf']")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with live.app.app_context():
        session = db.session.get(InterviewSession, session_id)
        assert session.status == "EVALUATED"
        follow_ups = [q for q in session.questions if q.parent_id is not None]
        assert follow_ups and all(q.answer_text for q in session.questions)


def test_chinese_interview_renders_chinese(page, live_server, shots):
    """language=zh with a Chinese job description: Chinese questions, feedback, report and PDF."""
    live = live_server
    pages.register(page, live, pages.unique_email("zh"), name="张伟")
    create_interview(
        page,
        live,
        job_description=pages.CHINESE_JOB_DESCRIPTION,
        count=3,
        language="zh",
        resume_text=CHINESE_CV,
    )
    assert pages.CJK.search(pages.question_text(page))
    shots(page, "chinese question")
    pages.answer_remaining(page, lambda _q: pages.CHINESE_ANSWER)
    shots(page, "chinese finished")
    session_id = session_id_from(page)
    page.click("section.done form button[type=submit]")
    page.wait_for_url(re.compile(rf"/session/{session_id}/feedback"))
    assert pages.CJK.search(page.inner_text("main"))
    shots(page, "chinese feedback")
    page.goto(live(f"/session/{session_id}/report"))
    assert len(pages.CJK.findall(page.inner_text("main"))) > 50
    shots(page, "chinese report")
    response = page.request.get(live(f"/session/{session_id}/report.pdf"))
    assert response.ok and response.body()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert len(pages.CJK.findall(text)) > 50


def test_pages_work_without_javascript(browser, live_server, shots):
    """With JavaScript off: register, create, answer every question, finish, read feedback."""
    live = live_server
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        pages.register(page, live, pages.unique_email("nojs"))
        shots(page, "registered without js")
        create_interview(
            page,
            live,
            job_description=pages.JOB_DESCRIPTION,
            count=3,
            resume_text=CHINESE_CV.replace("张伟", "Zhang Wei") + "\nPython Flask "
            "PostgreSQL Redis Docker Kubernetes, 6 years of backend work.",
        )
        shots(page, "question without js")
        given = pages.answer_remaining(
            page, lambda q: pages.STRONG_ANSWER.format(topic=pages.topic_of(q))
        )
        assert given >= 3
        session_id = session_id_from(page)
        shots(page, "finished without js")
        page.click("section.done form button[type=submit]")
        page.wait_for_url(re.compile(rf"/session/{session_id}/feedback"))
        expect(page.locator(".score-big")).to_contain_text("/10")
        shots(page, "feedback without js")
        page.click(f"a[href$='/session/{session_id}/report']")
        expect(page.locator(".score-big")).to_contain_text("/100")
        expect(page.locator("svg.chart.bars")).to_be_visible()
        shots(page, "report without js")
    finally:
        context.close()


def test_the_answer_box_counts_saves_drafts_and_asks_before_finishing(page, live_server, shots):
    """Save draft keeps the form usable, the counter tracks the limit, and Finish early asks
    first and keeps the typed text as a draft when the candidate goes ahead."""
    live = live_server
    pages.register(page, live, pages.unique_email("answerbox"))
    create_interview(
        page, live, job_description=pages.JOB_DESCRIPTION, count=3, resume_text=SAMPLE_CV
    )
    session_id = session_id_from(page)
    box = page.locator("form.answer-form textarea[name=answer]")
    limit = live.app.config["ANSWER_MAX_CHARS"]
    expect(box).to_have_attribute("maxlength", str(limit))
    expect(box).to_have_attribute("autocomplete", "off")

    box.fill("First thoughts on the design")
    expect(page.locator("[data-char-count]")).to_have_text(f"28 / {limit:,}")
    page.click("form.answer-form button[data-save-draft]")
    expect(page.locator("[data-draft-status]")).to_have_text("Draft saved.")
    buttons = page.locator("form.answer-form button[type=submit]")
    expect(buttons.first).to_be_enabled()
    expect(buttons.first).to_have_text("Submit answer")
    shots(page, "draft saved, form still usable")
    pages.submit_answer(page, pages.STRONG_ANSWER.format(topic="the design"))
    while pages.on_follow_up(page):
        pages.submit_answer(page, pages.STRONG_ANSWER.format(topic="the follow-up"))

    # Declining the confirmation keeps the candidate on the question with the text in the box.
    typed = "Typed but not submitted yet"
    box.fill(typed)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("form.finish-early button[type=submit]")
    expect(box).to_have_value(typed)
    expect(page.locator("form.answer-form button[type=submit]").first).to_be_enabled()

    # Accepting finishes, and the typed text is kept as the question's draft.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("form.finish-early button[type=submit]")
    wait_for_draft(live, session_id, typed)
    shots(page, "finished early")


def test_an_unfinished_interview_asks_before_dropping_the_new_one(page, live_server, shots):
    """With an unfinished interview for the CV, the form offers to continue it or to start the
    one just typed, keeping the typed job description; "Start this new one" plans it."""
    live = live_server
    pages.register(page, live, pages.unique_email("unfinished"))
    create_interview(
        page, live, job_description=pages.JOB_DESCRIPTION, count=3, resume_text=SAMPLE_CV
    )
    first = session_id_from(page)
    with live.app.app_context():
        resume_id = db.session.scalar(sa.text("SELECT max(id) FROM resumes"))
    typed = pages.JOB_DESCRIPTION + "\nAlso: GraphQL federation across teams."
    page.goto(live(f"/sessions/new?resume_id={resume_id}"))
    page.fill("textarea[name=job_description]", typed)
    page.click("form button[type=submit]:has-text('Plan my interview')")
    choice = page.locator("[data-unfinished-choice]")
    expect(choice).to_be_visible()
    expect(page.locator("textarea[name=job_description]")).to_have_value(typed)
    shots(page, "unfinished interview choice")
    expect(choice.get_by_role("link", name="Continue the unfinished interview")).to_have_attribute(
        "href", re.compile(rf"/session/{first}/interview")
    )
    choice.get_by_role("button", name="Start this new one").click()
    page.wait_for_url(re.compile(r"/session/\d+/interview"))
    assert session_id_from(page) != first
    with live.app.app_context():
        stored = db.session.get(InterviewSession, session_id_from(page))
        assert stored is not None and "GraphQL federation" in stored.job_description


def test_an_over_size_cv_is_refused_before_it_is_sent(page, live_server, shots):
    """The browser names the limit as soon as a too-large file is chosen and does not send the
    form; a file within the limit clears the message."""
    live = live_server
    live.app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    pages.register(page, live, pages.unique_email("oversize"))
    page.goto(live("/sessions/new"))
    page.fill("textarea[name=job_description]", pages.JOB_DESCRIPTION)
    big = {"name": "big-cv.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * 300_000}
    page.set_input_files("input[name=resume_file]", files=[big])
    error = page.locator("[data-file-error]")
    expect(error).to_have_text(
        "This file is 293 KB, over the 100 KB upload limit. "
        "Choose a smaller file or paste the text."
    )
    page.click("form button[type=submit]:has-text('Plan my interview')")
    page.wait_for_timeout(300)
    assert page.url.endswith("/sessions/new")
    expect(page.locator("textarea[name=job_description]")).to_have_value(pages.JOB_DESCRIPTION)
    expect(page.locator("form button[type=submit]").first).to_be_enabled()
    shots(page, "over-size CV refused in the browser")
    small = {"name": "cv.txt", "mimeType": "text/plain", "buffer": SAMPLE_CV.encode()}
    page.set_input_files("input[name=resume_file]", files=[small])
    expect(error).to_be_hidden()
