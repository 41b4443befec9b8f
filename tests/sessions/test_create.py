"""Creating sessions: validation in both languages, reuse vs force_new, rate limits, no repeats."""

from __future__ import annotations

import io
import re

import pytest

from app.models import InterviewSession, Question
from tests.conftest import JSON, build_app, count_rows, prepare_schema
from tests.fixtures.documents import text_pdf
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD, make_resume, make_session
from tests.support.users import make_user


def create(client, **fields):
    """Post the create form as JSON client."""
    data = {
        "resume_text": SAMPLE_CV,
        "job_title": "Backend Engineer",
        "company_name": "Acme",
        "job_description": SAMPLE_JD,
        "question_count": "5",
        "language": "en",
    }
    data.update(fields)
    return client.post("/sessions/new", data=data, headers=JSON)


def test_create_plans_questions_and_hides_reference_answers(logged_in):
    """A new session has the asked number of questions; no answers leak before evaluation."""
    response = create(logged_in)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["status"] == "CREATED" and data["question_count"] == 5
    assert data["progress"] == {"answered": 0, "total": 5}
    question = data["current_question"]
    assert set(question) == {
        "id",
        "position",
        "text",
        "category",
        "kind",
        "difficulty",
        "is_follow_up",
        "parent_id",
    }
    assert count_rows(Question) == 5
    detail = logged_in.get(f"/session/{data['id']}", headers=JSON).get_json()["data"]
    assert all("reference_answer" not in q and "key_points" not in q for q in detail["questions"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"resume_text": ""}, "Resume text is required"),
        ({"resume_text": "", "language": "zh"}, "简历文本不能为空"),
        ({"question_count": "2"}, "Question count must be at least 3"),
        ({"question_count": "2", "language": "zh"}, "题目数量最少3题"),
        ({"question_count": "21", "language": "zh"}, "题目数量最多20题"),
        ({"question_count": "21"}, "Question count cannot exceed 20"),
        ({"question_count": "many"}, "whole number"),
        ({"job_description": "Too short"}, "50–10,000"),
        ({"job_description": "x" * 10_001}, "50–10,000"),
        ({"resume_text": "short cv"}, "at least 50 characters"),
    ],
)
def test_validation_messages(logged_in, fields, message):
    """Each invalid field gets the spec's message, in the session's language."""
    response = create(logged_in, **fields)
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert count_rows(InterviewSession) == 0


def test_unfinished_session_is_reused_unless_forced(logged_in, user):
    """The same CV again returns the unfinished session (200); force_new makes a new one (201)."""
    resume = make_resume(user)
    first = create(logged_in, resume_text="", resume_id=str(resume.id))
    again = create(logged_in, resume_text="", resume_id=str(resume.id))
    forced = create(logged_in, resume_text="", resume_id=str(resume.id), force_new="true")
    assert (first.status_code, again.status_code, forced.status_code) == (201, 200, 201)
    assert first.get_json()["data"]["id"] == again.get_json()["data"]["id"]
    assert forced.get_json()["data"]["id"] != first.get_json()["data"]["id"]
    lookup = logged_in.get(f"/sessions/unfinished?resume_id={resume.id}", headers=JSON)
    assert lookup.get_json()["data"]["id"] == forced.get_json()["data"]["id"]


def test_unfinished_lookup_is_404_when_none(logged_in, user):
    """No unfinished session for a CV → 404."""
    resume = make_resume(user)
    assert (
        logged_in.get(f"/sessions/unfinished?resume_id={resume.id}", headers=JSON).status_code
        == 404
    )


def test_browser_reuse_offers_a_choice_and_keeps_the_form(logged_in, user):
    """A browser with an unfinished interview for the CV is asked which to take, and the job
    description just typed stays in the form; "Start this new one" creates a new session."""
    resume = make_resume(user)
    first = create(logged_in, resume_text="", resume_id=str(resume.id)).get_json()["data"]["id"]
    typed = SAMPLE_JD + " Also: GraphQL federation."
    form = {"resume_id": str(resume.id), "job_description": typed, "question_count": "5"}
    response = logged_in.post("/sessions/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Continue the unfinished interview" in page
    assert f'href="/session/{first}/' in page or f"/session/{first}" in page
    assert "GraphQL federation." in page
    assert 'name="force_new" value="1"' in page
    assert count_rows(InterviewSession) == 1
    forced = logged_in.post("/sessions/new", data={**form, "force_new": "1"})
    assert forced.status_code == 302
    assert count_rows(InterviewSession) == 2


def test_uploaded_pdf_cv_creates_session(logged_in):
    """A PDF uploaded with the create form becomes the session's CV."""
    response = logged_in.post(
        "/sessions/new",
        data={
            "resume_file": (io.BytesIO(text_pdf()), "cv.pdf"),
            "job_description": SAMPLE_JD,
            "question_count": "3",
        },
        content_type="multipart/form-data",
        headers=JSON,
    )
    assert response.status_code == 201


def test_questions_not_repeated_across_sessions(logged_in):
    """A user's second and third interviews for the same job ask new questions."""
    seen: set[str] = set()
    for _ in range(3):
        data = create(logged_in, force_new="1").get_json()["data"]
        detail = logged_in.get(f"/session/{data['id']}", headers=JSON).get_json()["data"]
        texts = {q["text"] for q in detail["questions"]}
        assert not texts & seen
        seen |= texts


def test_chinese_session_plans_chinese_questions(logged_in):
    """language=zh plans questions written in Chinese."""
    jd = (
        "岗位职责：负责后端Java服务开发。"
        "任职要求：精通Java、Spring Boot、MySQL和Redis，熟悉分布式系统和高并发。"
    ) * 2
    data = create(logged_in, language="zh", job_description=jd).get_json()["data"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["current_question"]["text"])


def limited_app(per_ip: str, global_limit: str):
    """An app with session-creation limits switched on, and a signed-in client factory."""
    app = build_app(
        RATELIMIT_ENABLED=True,
        SESSION_CREATE_LIMIT_PER_IP=per_ip,
        SESSION_CREATE_LIMIT_GLOBAL=global_limit,
    )
    return app


def signed_in_client(app, ip: str):
    """A client from one IP address, signed in as the limits user."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    client.post("/auth/login", data={"email": "limits@example.com", "password": "password123"})
    return client


def test_rate_limit_per_ip(user):
    """The per-IP limit gives 429 with Retry-After; another IP is unaffected."""
    app = limited_app("2 per minute", "100 per minute")
    with app.app_context():
        prepare_schema(app)
        make_user(email="limits@example.com")
        first = signed_in_client(app, "10.0.0.1")
        assert [create(first, force_new="1").status_code for _ in range(3)] == [201, 201, 429]
        limited = create(first, force_new="1")
        assert limited.headers.get("Retry-After") and limited.get_json()["code"] == 429
        assert create(signed_in_client(app, "10.0.0.2"), force_new="1").status_code == 201


def test_rate_limit_global(user):
    """The global limit is shared by every IP address."""
    app = limited_app("100 per minute", "2 per minute")
    with app.app_context():
        prepare_schema(app)
        make_user(email="limits@example.com")
        first, second = signed_in_client(app, "10.0.0.1"), signed_in_client(app, "10.0.0.2")
        assert create(first, force_new="1").status_code == 201
        assert create(second, force_new="1").status_code == 201
        assert create(second, force_new="1").status_code == 429
        assert create(first, force_new="1").status_code == 429


def test_history_lists_sessions_with_trend(logged_in, user):
    """The history page lists each session; evaluated ones feed the trend chart."""
    make_session(user)
    page = logged_in.get("/sessions")
    assert page.status_code == 200 and b"Backend Engineer" in page.data
    listing = logged_in.get("/sessions", headers=JSON).get_json()["data"]
    assert len(listing) == 1 and listing[0]["status"] == "CREATED"


def test_unicode_digit_resume_id_is_not_a_crash(logged_in):
    """A resume_id of "²" is treated as no saved CV, not a server error."""
    response = create(logged_in, resume_id="²")
    assert response.status_code == 201


def test_history_reads_sessions_scores_and_invites_in_one_query(app, logged_in, user):
    """The history page's sessions, their scores and which ones are kept for a recruiter come
    from one SELECT besides the account's; the scores are the reports' (a session without a
    report has none)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Report

    evaluated = make_session(user, answers=["An answer."] * 3)
    make_session(user)
    db.session.add(Report(session_id=evaluated.id, overall_score=73))
    db.session.commit()
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    listing = logged_in.get("/sessions", headers=JSON).get_json()["data"]
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = logged_in.get("/sessions")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert {item["id"]: item["overall_score"] for item in listing} == {
        evaluated.id: 73,
        evaluated.id + 1: None,
    }
    assert page.status_code == 200 and b"73" in page.data
    page_reads = [s for s in statements if not s.startswith("SELECT users.")]
    assert len(page_reads) == 1, [s[:60] for s in page_reads]


def test_an_over_size_upload_on_the_form_is_the_apps_own_page(app, logged_in):
    """The create form names the configured limit, its file input carries it for the browser's
    check, and a 413 from the form is the app's page with a way back, not a bare error."""
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    form = logged_in.get("/sessions/new").get_data(as_text=True)
    assert "up to 100 KB" in form and 'data-max-bytes="102400"' in form
    response = logged_in.post(
        "/sessions/new",
        data={
            "job_description": SAMPLE_JD,
            "resume_file": (io.BytesIO(b"x" * 200_000), "cv.txt"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Uploads are limited to 100 KB." in page and 'class="button' in page


def test_the_form_shows_every_field_error_together(logged_in):
    """A count out of range, a short job description and no CV are all reported at once, and
    the JSON message names each of them."""
    form = {"job_description": "too short", "question_count": "99", "resume_text": ""}
    response = logged_in.post("/sessions/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count('class="flash flash-danger"') == 3
    assert "too short" in page  # what was typed stays in the form
    message = create(logged_in, **form).get_json()["message"]
    page_errors = [
        line.split(">", 1)[1].split("<", 1)[0]
        for line in page.splitlines()
        if 'class="flash flash-danger"' in line
    ]
    assert all(error in message for error in page_errors)
    assert count_rows(InterviewSession) == 0


def test_history_trend_has_dates_and_rows_have_times(logged_in, user):
    """Under the trend each point's date is written; each row says the day and the time."""
    from datetime import datetime

    from app.extensions import db
    from app.models import Report

    for day, score in ((3, 55), (9, 72)):
        session = make_session(user, answers=["An answer."] * 3)
        session.created_at = datetime(2026, 11, day, 14, 30)
        db.session.add(Report(session_id=session.id, overall_score=score))
    db.session.commit()
    page = logged_in.get("/sessions").get_data(as_text=True)
    trend = re.search(r'<svg class="chart trend".*?</svg>', page, re.S).group(0)
    assert re.findall(r'class="axis date[^"]*">([^<]+)<', trend) == ["Nov 03", "Nov 09"]
    assert "2026-11-03 14:30" in page and "2026-11-09 14:30" in page
