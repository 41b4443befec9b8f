"""Reports: pending and completed shapes against seed 003, lookups, PDFs, signed links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.evaluation.scoring import recommendation
from app.extensions import db
from app.models import Invite, Question, Report
from tests.recruiter.conftest import answer_all, finish, start_invite, take_interview

# Seed 003: the fields and JSON types of each shape.
PENDING = {
    "ai_interview_id": int, "ai_interview_name": str, "candidate_email": str,
    "candidate_id": int, "candidate_name": str, "invite_status": str, "response_id": int,
}  # fmt: skip
COMPLETED = {
    **PENDING, "candidate_summary": str, "completed_date": str, "integrity_score": float,
    "pdf_link": str, "recommendation": str, "score": int, "report_link": str,
    "interview_recording": dict, "skill_wise_scores": dict, "conversation": list,
}  # fmt: skip
RECOMMENDATIONS = {"Strongly recommended", "Recommended", "Consider", "Not recommended"}


def assert_shape(data: dict, fields: dict, custom_field_id: str | None = None) -> None:
    """Exactly the seed's keys (custom_field_id only when set), each of the seed's type."""
    expected = set(fields) | ({"custom_field_id"} if custom_field_id else set())
    assert set(data) == expected
    for key, kind in fields.items():
        assert type(data[key]) is kind, (key, data[key])
    if custom_field_id:
        assert data["custom_field_id"] == custom_field_id


@pytest.fixture
def plan(api) -> dict:
    return api.create_plan()


@pytest.fixture
def completed(app, api, plan) -> dict:
    """An invite whose candidate took and completed the interview through the pages."""
    data = api.invite(plan["ai_interview_id"], custom_field_id="CAND-2025-001")
    take_interview(app, data["invite_link"], resume_text="")
    return data


def test_pending_report_has_only_pending_fields(api, plan):
    """Before the candidate starts: the seed's pending fields, status Pending."""
    data = api.invite(plan["ai_interview_id"])
    report = api.report(data["response_id"])
    assert_shape(report, PENDING)
    assert report["invite_status"] == "Pending" and report["response_id"] == data["response_id"]
    assert report["ai_interview_name"] == "Backend hiring Q3"
    assert report["candidate_email"] == "casey@example.com"


def test_pending_report_by_custom_field_id(api, plan):
    """custom_field_id finds the invite and is included in the report."""
    data = api.invite(plan["ai_interview_id"], custom_field_id="CAND-7")
    response = api.get("/ai-interviews/report?custom_field_id=CAND-7")
    assert response.status_code == 200
    assert_shape(response.get_json(), PENDING, custom_field_id="CAND-7")
    assert response.get_json()["response_id"] == data["response_id"]


@pytest.mark.parametrize(
    "path",
    ["/ai-interviews/report", "/ai-interviews/report?custom_field_id=",
     "/ai-interviews/report/{id}?custom_field_id=CAND-7",
     "/ai-interviews/report?custom_field_id=CAND-7&response_id={id}",
     "/ai-interviews/report?response_id=abc"],
)  # fmt: skip
def test_exactly_one_lookup_is_required(api, plan, path):
    """Neither or both of response_id and custom_field_id: 400."""
    data = api.invite(plan["ai_interview_id"], custom_field_id="CAND-7")
    response = api.get(path.format(id=data["response_id"]))
    assert response.status_code == 400 and response.get_json()["error"]


def test_unknown_lookups_are_404(api, plan):
    """Unknown ids are 404 with a bare error."""
    assert api.get("/ai-interviews/report/999").status_code == 404
    response = api.get("/ai-interviews/report?custom_field_id=nope")
    assert response.status_code == 404 and response.get_json() == {"error": "Response not found"}


def test_recruiters_never_see_each_others_reports(api, other_api, plan):
    """Another recruiter's response id, custom_field_id and PDF are all 404."""
    data = api.invite(plan["ai_interview_id"], custom_field_id="MINE")
    assert other_api.get(f"/ai-interviews/report/{data['response_id']}").status_code == 404
    assert other_api.get("/ai-interviews/report?custom_field_id=MINE").status_code == 404
    assert other_api.get(f"/ai-interviews/report/{data['response_id']}/pdf").status_code == 404


def test_completed_report_matches_the_seed(api, completed):
    """After the invite flow: every seed field with the seed's type, status Completed."""
    report = api.report(completed["response_id"])
    assert_shape(report, COMPLETED, custom_field_id="CAND-2025-001")
    assert report["invite_status"] == "Completed"
    assert 0 <= report["score"] <= 100 and 0.0 <= report["integrity_score"] <= 10.0
    assert report["recommendation"] in RECOMMENDATIONS
    assert report["recommendation"] == recommendation(report["score"])
    assert report["candidate_summary"].strip()
    assert datetime.fromisoformat(report["completed_date"].replace("Z", "+00:00"))
    assert report["interview_recording"] == {}
    assert (
        report["pdf_link"]
        == f"http://localhost/ai-interviews/report/{completed['response_id']}/pdf"
    )
    assert report["report_link"].startswith("http://localhost/ai-interviews/shared/")
    by_custom = api.get("/ai-interviews/report?custom_field_id=CAND-2025-001").get_json()
    assert (
        by_custom["score"] == report["score"] and by_custom["response_id"] == report["response_id"]
    )


def test_completed_report_agrees_with_the_stored_report(api, completed):
    """Score, integrity and recommendation are the evaluation's stored numbers."""
    report = api.report(completed["response_id"])
    stored = db.session.scalar(sa.select(Report))
    assert report["score"] == stored.overall_score
    assert report["integrity_score"] == stored.integrity_score
    assert report["recommendation"] == stored.recommendation


def test_skill_wise_scores_are_integers_from_the_plan(api, plan, completed):
    """Skill scores are grouped must-haves / nice-to-haves, named from the plan, ints 0–100."""
    skills = api.report(completed["response_id"])["skill_wise_scores"]
    assert set(skills) == {"must_haves", "nice_to_haves"}
    assert skills["must_haves"], "the interview covered at least one must-have"
    for group in ("must_haves", "nice_to_haves"):
        for row in skills[group]:
            assert set(row) == {"skill_name", "score"}
            assert type(row["score"]) is int and 0 <= row["score"] <= 100
            assert row["skill_name"] in plan[group]


def test_conversation_is_the_interview_in_order(api, completed):
    """Questions and answers alternate in the order asked, follow-ups included, ms timestamps."""
    conversation = api.report(completed["response_id"])["conversation"]
    questions = db.session.scalars(
        sa.select(Question).order_by(Question.position, Question.id)
    ).all()
    assert any(q.parent_id for q in questions), "the flow asked at least one follow-up"
    assert [m["role"] for m in conversation] == ["assistant", "user"] * len(questions)
    assert [m["content"] for m in conversation[::2]] == [q.text for q in questions]
    assert [m["content"] for m in conversation[1::2]] == [q.answer_text for q in questions]
    stamps = [m["timestamp"] for m in conversation]
    assert stamps == sorted(stamps) and all(type(s) is int and s > 10**12 for s in stamps)
    assert all(set(m) == {"content", "mode", "role", "timestamp"} for m in conversation)
    assert {m["mode"] for m in conversation} == {"default"}


def test_code_answers_have_code_mode(app, api, plan):
    """An answer given in code mode appears with mode "code"."""
    data = api.invite(plan["ai_interview_id"])
    candidate = start_invite(app, data["invite_link"])
    answer_all(candidate, lambda q: ("def f(x):\n    return x * 2\n", "code"))
    finish(candidate)
    conversation = api.report(data["response_id"])["conversation"]
    assert {m["mode"] for m in conversation if m["role"] == "user"} == {"code"}
    assert {m["mode"] for m in conversation if m["role"] == "assistant"} == {"default"}


def test_finished_early_reports_only_what_was_asked(app, api, plan):
    """Finishing early: questions never shown are not in the conversation."""
    data = api.invite(plan["ai_interview_id"])
    candidate = start_invite(app, data["invite_link"])
    state = candidate.client.get(
        f"/session/{candidate.session_id}/interview", headers={"Accept": "application/json"}
    ).get_json()["data"]
    question = state["current_question"]
    candidate.client.post(
        f"/session/{candidate.session_id}/answer",
        data={"question_id": question["id"], "answer": "Decorators wrap functions."},
    )
    finish(candidate)
    report = api.report(data["response_id"])
    assert report["invite_status"] == "Completed"
    unasked = db.session.scalars(sa.select(Question.text).where(Question.asked_at.is_(None))).all()
    assert unasked, "later questions were never shown"
    contents = [m["content"] for m in report["conversation"]]
    assert contents[:2] == [question["text"], "Decorators wrap functions."]
    assert not set(unasked) & set(contents)
    assert [m["role"] for m in report["conversation"]].count("user") == 1


def test_pdf_requires_key_and_completion(client, api, plan, completed):
    """The PDF link serves a PDF to the key's owner; before completion it is a 400."""
    path = urlsplit(api.report(completed["response_id"])["pdf_link"]).path
    pdf = api.get(path)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert f"interview-report-{completed['response_id']}.pdf" in pdf.headers["Content-Disposition"]
    assert client.get(path).status_code == 401
    pending = api.invite(plan["ai_interview_id"], candidate_email="later@example.com")
    response = api.get(f"/ai-interviews/report/{pending['response_id']}/pdf")
    assert response.status_code == 400 and response.get_json() == {
        "error": "Interview not completed"
    }


def test_is_downloadable_adds_a_keyless_pdf_link(app, api, completed):
    """is_downloadable=true adds pdf_download_link, a signed link that needs no key."""
    plain = api.report(completed["response_id"])
    assert "pdf_download_link" not in plain
    report = api.report(completed["response_id"], "?is_downloadable=true")
    link = report["pdf_download_link"]
    assert link.startswith("http://localhost/ai-interviews/shared/")
    download = app.test_client().get(urlsplit(link).path)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Cache-Control"] == "private, no-store"


def test_report_link_is_a_read_only_page_without_a_key(app, api, completed):
    """The signed report_link opens a read-only HTML report for anyone holding it."""
    report = api.report(completed["response_id"])
    page = app.test_client().get(urlsplit(report["report_link"]).path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Casey Candidate" in html and report["recommendation"] in html
    assert str(report["score"]) in html and "Review-only signals" in html
    assert "not a verdict" in html
    assert report["conversation"][0]["content"] in html
    assert "<form" not in html.split("</header>", 1)[1]  # nothing to change from here
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_tampered_report_link_is_404(app, api, completed):
    """Changing any part of the signed link makes it worthless."""
    path = urlsplit(api.report(completed["response_id"])["report_link"]).path
    head, _, signature = path.rpartition(".")
    flipped = head + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    browser = app.test_client()
    assert browser.get(flipped).status_code == 404
    assert browser.get(path.replace("/shared/", "/shared/x")).status_code == 404
    assert browser.get(path + "/pdf").status_code == 200


def test_report_link_to_another_response_cannot_be_forged(app, api, plan, completed):
    """The signature covers the response id: swapping in another id is refused."""
    import base64

    path = urlsplit(api.report(completed["response_id"])["report_link"]).path
    token = path.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    forged_payload = base64.urlsafe_b64encode(b'{"r":2}').rstrip(b"=").decode()
    assert (
        app.test_client().get(f"/ai-interviews/shared/{forged_payload}.{rest}").status_code == 404
    )


def test_expired_report_link_is_410(app, api, completed):
    """After REPORT_LINK_TTL_S the link says it has expired (410)."""
    path = urlsplit(api.report(completed["response_id"])["report_link"]).path
    app.config["REPORT_LINK_TTL_S"] = -1
    page = app.test_client().get(path)
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    assert app.test_client().get(path + "/pdf").status_code == 410


def test_completion_marks_the_invite_completed(api, completed):
    """The evaluation signal stores Completed with a timestamp on the invite."""
    invite = db.session.get(Invite, completed["response_id"])
    assert invite.status == "Completed" and invite.completed_at is not None


def test_completed_invite_page_says_done(app, api, completed):
    """The invite link, once the interview is completed, says so and offers no restart."""
    from app.models import InterviewSession
    from tests.conftest import count_rows

    path = urlsplit(completed["invite_link"]).path
    browser = app.test_client()
    page = browser.get(path).get_data(as_text=True)
    assert "You have completed this interview" in page and "Start the interview" not in page
    assert browser.post(path + "/start").status_code == 302
    assert count_rows(InterviewSession) == 1


def test_integrity_signals_inform_but_never_change_the_score(app, api, plan):
    """Pasted answers and tab switches lower integrity_score and are listed on the shared
    report; the score and recommendation are those of the same answers given honestly."""
    honest = api.invite(plan["ai_interview_id"], candidate_email="honest@example.com")
    pasted = api.invite(plan["ai_interview_id"], candidate_email="pasted@example.com")
    take_interview(app, honest["invite_link"])
    candidate = start_invite(app, pasted["invite_link"])
    answer_all(candidate, signals={"time_spent_ms": "4000", "paste_chars": "5000",
                                   "tab_switches": "3"})  # fmt: skip
    finish(candidate)
    clean, flagged = api.report(honest["response_id"]), api.report(pasted["response_id"])
    assert clean["integrity_score"] == 10.0 and flagged["integrity_score"] < 5.0
    assert type(flagged["integrity_score"]) is float
    assert (flagged["score"], flagged["recommendation"]) == (
        clean["score"],
        clean["recommendation"],
    )
    page = app.test_client().get(urlsplit(flagged["report_link"]).path).get_data(as_text=True)
    assert "of the answer was pasted" in page and "tab switches while answering" in page


def test_unicode_digits_in_ids_are_a_400_not_a_500(api):
    """A superscript digit is not a number: the API says so instead of failing."""
    response = api.get("/ai-interviews/report", query_string={"response_id": "²"})
    assert response.status_code == 400
    invite = {"ai_interview_id": "²", "candidate_name": "A", "candidate_email": "a@example.com"}
    assert api.post("/ai-interviews/invite", invite).status_code == 400
