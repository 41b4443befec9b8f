"""The recruiter API's authorization matrix — every endpoint × (no key, a personal token, a
revoked key, the owner's key, another recruiter's key) — and the link-only pages: an invite or a
shared report opens only with an unforged, unexpired token."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from app.extensions import db
from app.recruiter.signing import sign_report_link
from tests.security.html import active_content
from tests.support.sessions import SAMPLE_JD
from tests.support.users import issue_token, make_user

# Endpoints that authenticate with a recruiter API key (or a link token) instead of a login.
RECRUITER_ENDPOINTS = {
    "recruiter.create_plan",
    "recruiter.list_plans",
    "recruiter.show_plan",
    "recruiter.invite",
    "recruiter.report",
    "recruiter.report_pdf",
    "recruiter.show_webhook_secret",
    "recruiter.links.invite",
    "recruiter.links.start",
    "recruiter.links.claim",
    "recruiter.links.shared_report",
    "recruiter.links.shared_report_pdf",
    "recruiter.links.recording",
}
KEY_ROLES = ["none", "personal", "revoked", "owner", "rival"]


@dataclass
class Hiring:
    """Two recruiters; the first has a plan with an invite."""

    keys: dict[str, str | None]
    plan_id: int
    response_id: int
    invite_token: str


@pytest.fixture
def hiring(app: Flask) -> Hiring:
    """Recruiter A (owner) with a plan and an invite; recruiter B (rival) with a plan of theirs."""
    owner = make_user("recruiter-a@example.com", fast_hash=True)
    rival = make_user("recruiter-b@example.com", fast_hash=True)
    keys = {
        "none": None,
        "personal": issue_token(owner, "laptop"),
        "revoked": issue_token(owner, "old", kind="recruiter", revoked=True),
        "owner": issue_token(owner, "ats", kind="recruiter"),
        "rival": issue_token(rival, "ats", kind="recruiter"),
    }
    client = app.test_client()
    plan = {
        "name": "Backend Q3",
        "job_role": "Backend Engineer",
        "job_description": SAMPLE_JD,
        "question_count": 3,
    }
    for who in ("rival", "owner"):
        created = client.post("/ai-interviews", json=plan, headers={"X-API-Key": keys[who]})
        assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["ai_interview_id"]
    invited = client.post(
        "/ai-interviews/invite",
        headers={"X-API-Key": keys["owner"]},
        json={
            "ai_interview_id": plan_id,
            "candidate_name": "Casey",
            "candidate_email": "casey@example.com",
            "custom_field_id": "ats-42",
        },
    )
    assert invited.status_code == 201, invited.get_json()
    data = invited.get_json()
    return Hiring(keys, plan_id, data["response_id"], data["invite_link"].rsplit("/", 1)[-1])


@dataclass(frozen=True)
class ApiRoute:
    """A recruiter endpoint and the owner's status (a rival gets 404, or their own data)."""

    method: str
    path: str
    owner: int
    rival: int = 404

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


API_MATRIX = [
    ApiRoute("GET", "/ai-interviews", 200, 200),
    ApiRoute("POST", "/ai-interviews", 201, 201),
    ApiRoute("GET", "/ai-interviews/{plan}", 200),
    ApiRoute("POST", "/ai-interviews/invite", 201),
    ApiRoute("GET", "/ai-interviews/report/{response}", 200),
    ApiRoute("GET", "/ai-interviews/report?custom_field_id=ats-42", 200),
    ApiRoute("GET", "/ai-interviews/report/{response}/pdf", 400),  # not completed yet
    ApiRoute("GET", "/ai-interviews/webhook-secret", 200, 200),
]


def body_for(route: ApiRoute, hiring: Hiring) -> dict | None:
    """The JSON body a POST needs."""
    if route.path == "/ai-interviews":
        return {"name": "Another", "job_role": "SRE", "job_description": SAMPLE_JD}
    if route.path == "/ai-interviews/invite":
        return {
            "ai_interview_id": hiring.plan_id,
            "candidate_name": "Dana",
            "candidate_email": "dana@example.com",
        }
    return None


@pytest.mark.parametrize("role", KEY_ROLES)
@pytest.mark.parametrize("route", API_MATRIX, ids=str)
def test_recruiter_api_answers_each_key_as_expected(app, hiring, route, role):
    """No key, a personal token or a revoked key: 401. Another recruiter's key: 404 for the owner's
    things (never a hint they exist). The owner's key: the real answer."""
    key = hiring.keys[role]
    headers = {"X-API-Key": key} if key else {}
    path = route.path.format(plan=hiring.plan_id, response=hiring.response_id)
    response = app.test_client().open(
        path, method=route.method, json=body_for(route, hiring), headers=headers
    )
    expected = {
        "none": 401,
        "personal": 401,
        "revoked": 401,
        "owner": route.owner,
        "rival": route.rival,
    }[role]
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if expected in (401, 404):
        assert set(response.get_json()) == {"error"}
        assert "casey" not in response.get_data(as_text=True).lower()


def test_a_rivals_lists_hold_none_of_the_owners_plans(app, hiring):
    """Listing plans with another recruiter's key shows only their own."""
    listing = app.test_client().get("/ai-interviews", headers={"X-API-Key": hiring.keys["rival"]})
    assert hiring.plan_id not in [plan["ai_interview_id"] for plan in listing.get_json()]


def test_the_key_also_works_as_a_bearer_token_but_a_personal_token_does_not(app, hiring):
    """`Authorization: Bearer <recruiter key>` works; a personal token there is still refused."""
    client = app.test_client()
    ok = client.get("/ai-interviews", headers={"Authorization": f"Bearer {hiring.keys['owner']}"})
    assert ok.status_code == 200
    refused = client.get(
        "/ai-interviews", headers={"Authorization": f"Bearer {hiring.keys['personal']}"}
    )
    assert refused.status_code == 401


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t + "x",
        lambda t: "x" * len(t),
        lambda t: t[:10],
    ],
    ids=["flipped", "extended", "guessed", "prefix"],
)
def test_an_invite_link_only_opens_with_its_exact_token(app, hiring, mangle):
    """A guessed or altered invite token is a 404: the page and the start button stay shut."""
    client = app.test_client()
    assert client.get(f"/invite/{hiring.invite_token}").status_code == 200
    bad = mangle(hiring.invite_token)
    assert client.get(f"/invite/{bad}").status_code == 404
    assert client.post(f"/invite/{bad}/start").status_code == 404


def test_a_shared_report_link_cannot_be_forged_or_used_after_expiry(app, hiring):
    """A tampered signature is 404; a link past REPORT_LINK_TTL_S is 410 (the interview itself
    need not be finished for the signature check to come first)."""
    client = app.test_client()
    with app.test_request_context():
        token = sign_report_link(hiring.response_id)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/ai-interviews/shared/{forged}").status_code == 404
    assert client.get(f"/ai-interviews/shared/{forged}/pdf").status_code == 404
    with app.test_request_context():
        other = sign_report_link(hiring.response_id + 1000)
    assert client.get(f"/ai-interviews/shared/{other}").status_code == 404
    app.config["REPORT_LINK_TTL_S"] = -1
    assert client.get(f"/ai-interviews/shared/{token}").status_code == 410


def test_recruiter_text_is_inert_on_the_candidates_invite_page(app, hiring):
    """A plan name, role or candidate name with markup shows as text on the invite page."""
    payload = '<script>alert("r")</script><img src=x onerror=alert(2)>'
    client = app.test_client()
    key = {"X-API-Key": hiring.keys["owner"]}
    plan = client.post(
        "/ai-interviews",
        headers=key,
        json={
            "name": payload,
            "job_role": payload,
            "job_description": SAMPLE_JD + payload,
        },
    ).get_json()
    invite = client.post(
        "/ai-interviews/invite",
        headers=key,
        json={
            "ai_interview_id": plan["ai_interview_id"],
            "candidate_name": payload,
            "candidate_email": "zed@example.com",
        },
    ).get_json()
    page = client.get("/invite/" + invite["invite_link"].rsplit("/", 1)[-1])
    assert page.status_code == 200
    assert active_content(page.get_data(as_text=True)) == []
    assert "&lt;script&gt;" in page.get_data(as_text=True)
    db.session.rollback()


def test_nul_characters_in_api_input_never_cause_a_500(app, hiring):
    """A NUL in a JSON field or a query parameter (PostgreSQL cannot store or compare it) is
    accepted or refused with an error message, never a 500."""
    client = app.test_client()
    key = {"X-API-Key": hiring.keys["owner"]}
    plan = client.post(
        "/ai-interviews",
        headers=key,
        json={"name": "Backend\x00Q4", "job_role": "SRE", "job_description": SAMPLE_JD},
    )
    invite = client.post(
        "/ai-interviews/invite",
        headers=key,
        json={
            "ai_interview_id": hiring.plan_id,
            "candidate_name": "Nul\x00l",
            "candidate_email": "nul@example.com",
            "custom_field_id": "x\x00",
        },
    )
    lookup = client.get("/ai-interviews/report?custom_field_id=ats%0042", headers=key)
    for response in (plan, invite, lookup):
        assert response.status_code < 500, response.get_data(as_text=True)[:200]
        if response.status_code >= 400:
            assert set(response.get_json()) == {"error"}
