"""GET /session/<id>/report: evaluated on first view, served from storage after, every part shown,
the JSON face exactly SPEC §4's Report, and model text made inert."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from app.extensions import db
from app.models import Feedback, InterviewSession
from tests.conftest import JSON, count_rows
from tests.feedback.helpers import ANSWERS, add_follow_up, evaluated_session
from tests.support.providers import FakeModel
from tests.support.router import install_router
from tests.support.sessions import make_invite, make_session
from tests.support.users import make_user

REPORT_FIELDS = {
    "session_id", "overall_score", "band", "category_scores", "skill_scores", "question_details",
    "overall_feedback", "strengths", "improvements", "improvement_plan", "provider", "model",
    "fallback_used", "created_at",
}  # fmt: skip
DETAIL_FIELDS = {
    "question_id", "position", "question", "category", "is_follow_up", "answer", "score",
    "feedback", "covered_points", "missed_points", "reference_answer", "key_points", "receipt",
}  # fmt: skip
RECEIPT_FIELDS = {"engine", "model", "confidence", "evidence", "errors"}


@pytest.fixture
def fake(app) -> FakeModel:
    """Grades 90 / 65 / 40 in turn, so every colour band appears."""
    scores = iter([90, 65, 40] * 10)
    model = FakeModel(score_for=lambda item: next(scores))
    install_router(app, model)
    return model


def report_of(client, session_id: int) -> dict:
    """The report's JSON data."""
    response = client.get(f"/session/{session_id}/report", headers=JSON)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_first_view_evaluates_then_the_stored_report_is_served(logged_in, user, fake):
    """The first GET evaluates (one grading call); reloads, JSON and feedback make none."""
    session = make_session(user, answers=list(ANSWERS))
    first = logged_in.get(f"/session/{session.id}/report")
    assert first.status_code == 200 and "Interview report" in first.get_data(as_text=True)
    assert db.session.get_one(InterviewSession, session.id).status == "EVALUATED"
    for _ in range(3):
        assert logged_in.get(f"/session/{session.id}/report").status_code == 200
    report_of(logged_in, session.id)
    logged_in.get(f"/session/{session.id}/feedback")
    assert fake.calls == {"evaluate_answers": 1, "summarize_interview": 1}
    assert count_rows(Feedback) == 1


@pytest.mark.parametrize(
    "answers", [None, [ANSWERS[0], None, None]], ids=["created", "in-progress"]
)
def test_an_unfinished_interview_has_no_report(logged_in, user, fake, answers):
    """400 "Interview not completed", and no evaluation is started."""
    session = make_session(user, answers=answers)
    response = logged_in.get(f"/session/{session.id}/report", headers=JSON)
    assert response.status_code == 400
    assert response.get_json() == {"code": 400, "message": "Interview not completed", "data": None}
    assert logged_in.get(f"/session/{session.id}/report").status_code == 400
    assert fake.calls == {}


def test_ownership_and_existence(logged_in, fake):
    """Another user's report and an unknown session are both 404 "Session not found"."""
    other = make_user(email="other@example.com")
    session = make_session(other, answers=list(ANSWERS))
    foreign = logged_in.get(f"/session/{session.id}/report", headers=JSON)
    assert foreign.status_code == 404 and foreign.get_json()["message"] == "Session not found"
    response = logged_in.get("/session/777/report", headers=JSON)
    assert response.status_code == 404 and response.get_json()["message"] == "Session not found"
    assert fake.calls == {}


def test_json_is_exactly_the_spec_report(logged_in, user, fake):
    """Field names and shapes of SPEC §4, numbers from the stored per-question scores."""
    session = evaluated_session(logged_in, user)
    data = report_of(logged_in, session.id)
    assert set(data) == REPORT_FIELDS
    assert data["session_id"] == session.id
    assert data["overall_score"] == 65 and data["band"] == "Adequate"
    assert data["category_scores"] == [
        {"category": "Databases", "score": 90, "question_count": 1},
        {"category": "Behavioral", "score": 65, "question_count": 1},
        {"category": "Caching", "score": 40, "question_count": 1},
    ]
    assert data["skill_scores"] == {
        "must_haves": [
            {"skill_name": "PostgreSQL", "score": 90},
            {"skill_name": "Redis", "score": 40},
        ],
        "nice_to_haves": [],
    }
    assert all(set(d) == DETAIL_FIELDS for d in data["question_details"])
    for detail in data["question_details"]:
        receipt = detail["receipt"]
        assert set(receipt) == RECEIPT_FIELDS and 0 <= receipt["confidence"] <= 1
        quotes = [e["quote"] for e in receipt["evidence"] + receipt["errors"]]
        assert all(quote and quote in detail["answer"] for quote in quotes)
    first = data["question_details"][0]
    assert first["score"] == 90 and first["answer"] == ANSWERS[0] and first["is_follow_up"] is False
    assert first["covered_points"] and first["missed_points"] and first["key_points"]
    assert all(set(step) == {"topic", "action", "resources"} for step in data["improvement_plan"])
    assert isinstance(data["strengths"], list) and isinstance(data["improvements"], list)
    assert data["provider"] == "fake" and data["model"] == "fake-model-1"
    assert data["fallback_used"] is False and data["created_at"].endswith("Z")


def test_the_page_shows_every_part_of_the_report(logged_in, user, fake):
    """Overall and band, SVG category bars, skills, colour-coded scores, covered and missed
    points, reference answers inside the collapsed cards, plan, provenance and the PDF link."""
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert '<span class="value">65</span>' in page and "Adequate" in page
    svg = re.search(r"<svg class=\"chart bars\".*?</svg>", page, re.S)
    assert svg and svg.group(0).count('class="bar ') == 3 and "<script" not in svg.group(0)
    assert 'class="bar score-good"' in svg.group(0) and 'class="bar score-poor"' in svg.group(0)
    assert "Must-haves" in page and "PostgreSQL" in page
    assert 'class="pill score-good">90/100' in page and 'class="pill score-fair">65/100' in page
    assert 'class="pill score-poor">40/100' in page
    assert '<ul class="covered">' in page and '<ul class="missed">' in page
    assert page.count('<div class="reference">') == 3
    assert "Practise EXPLAIN on real queries." in page
    assert "Evaluated by fake/fake-model-1" in page
    assert f'href="/session/{session.id}/report.pdf"' in page
    assert "fallback" not in page.lower()


def test_code_answers_keep_their_layout_and_follow_ups_are_listed(logged_in, user, fake):
    """A code answer is shown in <pre>; a follow-up appears under its main question."""
    session = make_session(user, answers=list(ANSWERS))
    session.questions[2].answer_mode = "code"
    session.questions[2].answer_text = "def get(key):\n    return cache.get(key) or db.load(key)"
    db.session.commit()
    add_follow_up(session.questions[0], "And when is the index not used?", "Low selectivity.")
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert '<pre class="answer code">def get(key):\n    return cache.get(key)' in page
    assert "Follow-up: And when is the index not used?" in page
    details = report_of(logged_in, session.id)["question_details"]
    assert [d["is_follow_up"] for d in details] == [False, True, False, False]


def test_a_fallback_provider_is_announced(app, logged_in, user):
    """When the first provider failed and another produced the report, the page says so."""
    install_router(app, FakeModel("primary", down=True), FakeModel("backup"))
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert "produced by a fallback AI provider" in page
    assert "Evaluated by backup/backup-model-1 (fallback provider)" in page
    assert report_of(logged_in, session.id)["fallback_used"] is True


def test_model_text_on_the_report_is_inert(app, logged_in, user):
    """Scripts, javascript: links and raw HTML in per-question feedback, overall feedback,
    lists and the plan stay text."""
    hostile = (
        "Nice <script>alert(1)</script> [go](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    install_router(
        app,
        FakeModel(
            summary={
                "overall_feedback": hostile,
                "strengths": [hostile],
                "weaknesses": ["<b onclick='alert(4)'>bold</b>"],
                "improvement_plan": [
                    {
                        "topic": "<script>x</script>",
                        "action": hostile,
                        "resources": ["javascript:alert(5)"],
                    }
                ],
            },
            feedback="<script>alert('q{id}')</script> <a href='javascript:alert(6)'>see</a>",
        ),
    )
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    body = page.split('<main class="container">', 1)[1]
    assert "<script" not in body and "<img" not in body and "<b onclick" not in body
    assert 'href="javascript:' not in body
    assert "&lt;script&gt;" in body  # shown as text where it is plain text


def test_the_page_says_not_verified_when_the_grade_rests_on_little(logged_in, user, app):
    """A confident grade shows what was checked; a grade the model was unsure of says "Not
    verified"; an error the grader proved is corrected on the page."""
    scores = iter([90, 65, 40] * 10)
    confidences = iter([0.9, 0.2, 0.9] * 10)
    model = FakeModel(score_for=lambda item: next(scores))
    grade = model.grade
    model.grade = lambda item: {**grade(item), "confidence": next(confidences)}  # type: ignore[method-assign]
    install_router(app, model)
    session = make_session(user, answers=list(ANSWERS))
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert page.count("Not verified") == 1
    assert page.count("Checked by fake; key points backed by a quote from the answer: 1.") == 2


def signalled_session(user):
    """An interview whose first answer was pasted and second typed across three tab switches."""
    session = make_session(user, answers=list(ANSWERS))
    session.questions[0].paste_chars = 400
    session.questions[1].tab_switches = 3
    db.session.commit()
    return session


def test_a_practice_report_shows_no_integrity_signals(logged_in, user, fake):
    """A candidate's own practice is never scored for integrity on their report."""
    session = signalled_session(user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert "Interview report" in page
    for word in ("Integrity", "integrity", "pasted", "tab switch", "recruiter"):
        assert word not in page


def test_an_invite_report_shows_the_signals_as_notes_not_a_verdict(logged_in, user, fake):
    """Taken through an invite: the notes the recruiter sees, with no integrity score."""
    session = signalled_session(user)
    make_invite(session)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert "Notes shared with the recruiter" in page and "not a verdict" in page
    assert "Question 1: 100% of the answer was pasted." in page
    assert not re.search(r"Integrity|\d+(\.\d)?/10\b", page)


def test_the_report_leads_with_one_screen_and_collapses_the_questions(logged_in, user, fake):
    """Score and band, then three things to fix (each linking to its question's card), what went
    well, the radar beside the bars; each question is a closed <details> card below them."""
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    order = ["score-big", "Fix these first", "What went well", 'class="chart radar"',
             'class="chart bars"', "Question by question"]  # fmt: skip
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    fixes = re.search(r'<section class="card fix-first">.*?</section>', page, re.S).group(0)
    links = re.findall(r'href="#q-(\d+)"', fixes)
    assert 1 <= len(links) <= 3
    cards = re.findall(r'<details class="card question report-question\s*" id="q-(\d+)">', page)
    assert len(cards) == 3 and set(links) <= set(cards)
    assert "<details open" not in page and "To improve" not in page  # nothing said twice


def test_a_follow_up_sits_in_its_question_card_without_a_score(logged_in, user, fake):
    """A follow-up is graded through its main question: it is shown inside that question's card
    with its answer, and no "x/100" of its own (it read "0/100" as a card of its own)."""
    session = make_session(user, answers=list(ANSWERS))
    follow_up = add_follow_up(session.questions[0], "And when is it not used?", "Low selectivity.")
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    card = re.search(r'<details class="card question report-question" id="q-(\d+)">.*?</details>',
                     page, re.S)  # fmt: skip
    assert card is not None
    part = re.search(r'<section class="follow-up-part".*?</section>', card.group(0), re.S)
    assert part is not None and f'id="q-{follow_up.id}"' in part.group(0)
    assert "And when is it not used?" in part.group(0) and "Low selectivity." in part.group(0)
    assert "/100" not in part.group(0)
    assert len(re.findall(r'class="card question report-question', page)) == 3


def test_each_graded_question_can_be_answered_again_from_the_report(logged_in, user):
    """Every main question's card has the "answer this again" form; an answer sent from it comes
    back to the report's card, which lists the try with its delta ("41 → 78: …")."""
    from tests.practice.helpers import INDEX_ANSWER, weak_session

    session = weak_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    mains = [q for q in session.questions if q.parent_id is None]
    for question in mains:
        action = f'action="/session/{session.id}/questions/{question.id}/attempts"'
        assert action in page
    assert page.count('name="back" value="report"') == len(mains)
    first = mains[0]
    response = logged_in.post(
        f"/session/{session.id}/questions/{first.id}/attempts",
        data={"answer": INDEX_ANSWER, "back": "report"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/session/{session.id}/report#q-{first.id}")
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    card = page.split(f'id="q-{first.id}"', 1)[1].split("</details>\n", 1)[0]
    assert re.search(r'class="delta-text">\d+ → \d+: ', card)
    assert "Your other tries" in card


def test_bar_labels_and_scores_leave_the_bar_room() -> None:
    """At a phone's text size a long or Chinese category name, and a bold "100", stay clear of
    the bar (a Chinese label ran into it and "100" touched its end)."""
    from app import charts

    svg = str(
        charts.category_bars_svg(
            [
                {"category": "行为面试与团队协作能力综合评估", "score": 100, "question_count": 1},
                {"category": "Extremely long category name number one", "score": 5},
            ]
        )
    )
    labels = re.findall(r'class="label">([^<]*)<', svg)
    phone_px = 11.5  # a Latin letter at 22px, drawn in viewBox units
    for label in labels:
        width = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in label) * phone_px
        assert width <= charts.LABEL_WIDTH, label
    assert charts.SCORE_WIDTH >= 3 * 13 + 16  # "100" in bold at 22px, and a gap


def test_a_card_says_each_key_point_once(logged_in, user):
    """The card lists covered and missed points; the feedback above them no longer restates
    them (nor a follow-up's own score), and the key points are not listed a third time."""
    session = make_session(user, answers=list(ANSWERS))
    add_follow_up(session.questions[0], "And when is it not used?", "Low selectivity.")
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    details = report_of(logged_in, session.id)["question_details"]
    first = details[0]
    card = page.split(f'id="q-{first["question_id"]}"', 1)[1].split('<div class="attempts">')[0]
    for point in first["missed_points"] + first["covered_points"]:
        assert card.count(str(escape(point))) == 1, point
    assert "Missed: " not in card and "Covered: " not in card
    assert re.search(r"\(\d+/100\)", card) is None


def test_a_closed_card_shows_the_latest_tries_score(logged_in, user):
    """After a retry the card's summary (what a closed card shows) still said only the first
    score: it now shows the latest try's score beside it."""
    from app.models import Attempt
    from tests.practice.helpers import INDEX_ANSWER, weak_session

    session = weak_session(logged_in, user)
    first = next(q for q in session.questions if q.parent_id is None)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert "latest try" not in page
    logged_in.post(
        f"/session/{session.id}/questions/{first.id}/attempts", data={"answer": INDEX_ANSWER}
    )
    latest = db.session.query(Attempt).filter_by(question_id=first.id).one().score
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    summary = page.split(f'id="q-{first.id}"', 1)[1].split("</summary>", 1)[0]
    assert re.search(rf"→ <span class=\"pill [\w-]+\">{latest}/100</span>", summary), summary
    assert page.count("latest try") == 1
