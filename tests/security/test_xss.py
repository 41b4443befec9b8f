"""XSS: hostile text from the candidate (CV, job, answers, names) and from the model (questions,
grades, Markdown feedback, links) is shown as text on every page and in the PDF — never run."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader

from app.ai.providers.base import Provider, ProviderRequest
from app.extensions import db
from app.models import InterviewSession
from tests.conftest import JSON
from tests.security.conftest import invite_through_api
from tests.security.html import active_content
from tests.support.router import install_router
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD
from tests.support.users import issue_token, make_user

PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '"><svg onload=alert("xss-3")>',
    "'><iframe src=javascript:alert('xss-4')></iframe>",
    '[click me](javascript:alert("xss-5"))',
    "<a href=\"javascript:alert('xss-6')\">xss-6</a>",
    '![pic](javascript:alert("xss-7"))',
    '<<script>script>alert("xss-8")<</script>/script>',
    '<details open ontoggle=alert("xss-9")>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "[xss-10](JaVaScRiPt:alert(10)) <javascript:alert(11)>",
    "{{ 7*191 }} {% if 1 %}ssti{% endif %}",
]
HOSTILE = " ".join(PAYLOADS)
SHORT = '<img src=x onerror=alert("n")>'  # fits name and title fields


class HostileModel(Provider):
    """A model whose every string is an injection attempt, in valid schema shape."""

    name, model = "hostile", "hostile-1"

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Answer the task with payloads where text goes."""
        payload = request.payload
        if task == "plan_questions":
            return {"questions": [self.question(n) for n in range(payload.count)]}
        if task == "follow_up":
            return {
                "question": f"Follow-up {PAYLOADS[1]} {PAYLOADS[4]}?",
                "reason": PAYLOADS[0],
                "key_points": [PAYLOADS[2], PAYLOADS[5]],
            }
        if task == "evaluate_answers":
            return {
                "evaluations": [
                    {
                        "question_id": item.question_id,
                        "score": 55,
                        "feedback": HOSTILE,
                        "covered_points": [PAYLOADS[0]],
                        "missed_points": [PAYLOADS[3], PAYLOADS[6]],
                    }
                    for item in payload.items
                ]
            }
        return {
            "overall_feedback": HOSTILE,
            "strengths": PAYLOADS[:3],
            "weaknesses": PAYLOADS[3:6],
            "cv_improvements": "\n\n".join(f"{n}. {p}" for n, p in enumerate(PAYLOADS, 1)),
            "improvement_plan": [
                {
                    "topic": PAYLOADS[0],
                    "action": PAYLOADS[4],
                    "resources": [
                        "javascript:alert('plan')",
                        PAYLOADS[5],
                        "https://docs.example/ok",
                    ],
                },
            ],
            "candidate_summary": HOSTILE,
            "recommendation": "Consider",
        }

    @staticmethod
    def question(n: int) -> dict[str, Any]:
        """A planned question full of payloads."""
        return {
            "text": f"Q{n} {PAYLOADS[n % len(PAYLOADS)]} How do B-tree indexes work?",
            "category": SHORT,
            "skill": "PostgreSQL",
            "kind": "technical" if n else "behavioral",
            "difficulty": "medium",
            "reference_answer": HOSTILE,
            "key_points": [PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], "balanced tree lookups"],
        }


@pytest.fixture
def hostile_app(app: Flask) -> Flask:
    """The app with the hostile model as its only AI provider."""
    install_router(app, HostileModel())
    return app


def hostile_interview(client) -> int:
    """A user named with a payload runs a whole interview full of payloads; returns its id."""
    assert (
        client.post(
            "/auth/register",
            data={
                "email": "mallory@example.com",
                "name": SHORT,
                "password": "password123",
                "confirm_password": "password123",
            },
        ).status_code
        == 302
    )
    client.post("/account/tokens", data={"name": SHORT})
    resume = client.post(
        "/resumes",
        headers=JSON,
        data={"title": SHORT, "resume_text": SAMPLE_CV + "\n" + HOSTILE},
    ).get_json()["data"]
    created = client.post(
        "/sessions/new",
        headers=JSON,
        data={
            "resume_id": resume["id"],
            "job_title": SHORT,
            "company_name": PAYLOADS[2][:200],
            "job_description": SAMPLE_JD + "\n" + HOSTILE,
            "question_count": "3",
        },
    ).get_json()["data"]
    question = created["current_question"]
    n = 0
    while question is not None:
        mode = "code" if n == 1 else "default"
        result = client.post(
            f"/session/{created['id']}/answer",
            headers=JSON,
            data={
                "question_id": question["id"],
                "answer_mode": mode,
                "answer": f"{PAYLOADS[n % len(PAYLOADS)]} {HOSTILE} B-tree lookups in O(log n)",
            },
        ).get_json()["data"]
        question, n = result["next_question"], n + 1
    client.post(f"/session/{created['id']}/draft", data={"question_id": "0", "answer": HOSTILE})
    return created["id"]


def pages_of(session_id: int, resume_id: int) -> list[str]:
    """Every page a user can open about their things."""
    return [
        "/sessions",
        "/sessions/new",
        f"/sessions/new?resume_id={resume_id}",
        f"/session/{session_id}",
        f"/session/{session_id}/interview",
        f"/session/{session_id}/feedback",
        f"/session/{session_id}/report",
        "/resumes",
        f"/resumes/{resume_id}",
        "/account/tokens",
    ]


def test_payloads_are_inert_on_every_page(hostile_app):
    """No page runs anything the candidate or the model wrote; the payloads show as text."""
    client = hostile_app.test_client()
    session_id = hostile_interview(client)
    before = client.get(f"/session/{session_id}/interview").get_data(as_text=True)
    assert active_content(before) == []  # the finished page, with insights about the last answer
    assert client.post(f"/session/{session_id}/complete", headers=JSON).status_code == 200
    resume_id = db.session.get_one(InterviewSession, session_id).resume_id
    shown = 0
    for path in pages_of(session_id, resume_id):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert active_content(html) == [], path
        assert "1337" not in html and html.count("ssti") == html.count("%}ssti"), path  # no SSTI
        shown += html.count("&lt;script&gt;") + html.count("&#34;xss-") + html.count("xss-")
    assert shown > 20  # the payloads were displayed, escaped, not silently dropped


def test_a_refilled_form_after_an_error_is_inert(hostile_app):
    """The create form refilled after a validation error keeps the text, escaped."""
    client = hostile_app.test_client()
    make_user("eve@example.com", fast_hash=True)
    client.post("/auth/login", data={"email": "eve@example.com", "password": "password123"})
    response = client.post(
        "/sessions/new",
        data={
            "resume_text": HOSTILE,
            "job_title": SHORT,
            "job_description": "too short " + PAYLOADS[0],
        },
    )
    assert response.status_code == 400
    assert active_content(response.get_data(as_text=True)) == []
    assert "&lt;script&gt;" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/auth/login?next=" + '"><script>alert(1)</script>',
        "/auth/login?next=javascript:alert(1)",
        "/no-such-page/<script>alert(1)</script>",
        "/sessions/unfinished?resume_id=<script>",
    ],
)
def test_reflected_input_is_inert(app, path):
    """Query strings and paths echoed into pages (hidden fields, error pages) are escaped."""
    make_user("eve@example.com", fast_hash=True)
    client = app.test_client()
    if not path.startswith("/auth"):
        client.post("/auth/login", data={"email": "eve@example.com", "password": "password123"})
    response = client.get(path)
    assert active_content(response.get_data(as_text=True)) == []


def pdf_actions(data: bytes) -> list[str]:
    """Every action in the PDF: link targets, open actions, document JavaScript."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    root = reader.trailer["/Root"]
    if "/OpenAction" in root or "/AA" in root:
        found.append("document action")
    if "/Names" in root and "/JavaScript" in root["/Names"]:
        found.append("document JavaScript")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                action = action.get_object()
                found.append(f"{action.get('/S')} {action.get('/URI', action.get('/JS', ''))}")
    return found


def test_payloads_are_plain_text_in_the_pdf(hostile_app):
    """The PDF shows the payloads literally and holds no script, launch or javascript: link."""
    client = hostile_app.test_client()
    session_id = hostile_interview(client)
    client.post(f"/session/{session_id}/complete", headers=JSON)
    response = client.get(f"/session/{session_id}/report.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    for action in pdf_actions(response.data):
        assert re.fullmatch(r"/URI https?://\S+|/GoTo.*", action), action
    assert b"/JavaScript" not in response.data and b"/Launch" not in response.data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "<script>" in text and "onerror=" in text  # drawn as characters, not parsed
    assert "&lt;" not in text and "&amp;" not in text  # and not double-escaped either


def test_a_hostile_candidate_cannot_script_the_recruiters_report(hostile_app):
    """A candidate invited by a recruiter answers with payloads: the signed report page the
    recruiter opens, and its PDF, show them as text."""
    key = issue_token(make_user("hr@example.com", fast_hash=True), "ats", kind="recruiter")
    api = hostile_app.test_client()
    invite = invite_through_api(api, key, "Mallory", "mallory@example.com")
    candidate = hostile_app.test_client()
    token = invite["invite_link"].rsplit("/", 1)[-1]
    started = candidate.post(f"/invite/{token}/start", data={"resume_text": HOSTILE * 3})
    session_id = int(started.headers["Location"].split("/")[2])
    question = candidate.get(f"/session/{session_id}/interview", headers=JSON).get_json()
    question = question["data"]["current_question"]
    while question is not None:
        result = candidate.post(
            f"/session/{session_id}/answer",
            headers=JSON,
            data={"question_id": question["id"], "answer": f"{HOSTILE} B-tree lookups in O(log n)"},
        )
        question = result.get_json()["data"]["next_question"]
    assert candidate.post(f"/session/{session_id}/complete", headers=JSON).status_code == 200
    report = api.get(
        f"/ai-interviews/report/{invite['response_id']}", headers={"X-API-Key": key}
    ).get_json()
    path = report["report_link"].split("://", 1)[1].split("/", 1)[1]
    page = api.get("/" + path)
    assert page.status_code == 200
    assert active_content(page.get_data(as_text=True)) == []
    assert "&lt;script&gt;" in page.get_data(as_text=True)
    pdf = api.get(f"/ai-interviews/report/{invite['response_id']}/pdf", headers={"X-API-Key": key})
    assert pdf.status_code == 200
    for action in pdf_actions(pdf.data):
        assert re.fullmatch(r"/URI https?://\S+|/GoTo.*", action), action
