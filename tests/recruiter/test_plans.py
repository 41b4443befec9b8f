"""Interview plans: create with or without skills, validation, listing, isolation."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import InterviewPlan
from tests.conftest import count_rows
from tests.support.sessions import SAMPLE_JD

PLAN_FIELDS = {
    "ai_interview_id": int, "name": str, "job_role": str, "job_description": str,
    "must_haves": list, "nice_to_haves": list, "question_count": int, "language": str,
    "notification_url": (str, type(None)), "created_at": str,
}  # fmt: skip


def test_create_plan_derives_skills_from_the_job_description(api):
    """Without skills, must-haves come from requirements and nice-to-haves from "nice to have"."""
    plan = api.create_plan()
    assert set(plan) == set(PLAN_FIELDS)
    assert all(isinstance(plan[k], t) for k, t in PLAN_FIELDS.items())
    assert {"Python", "PostgreSQL", "Redis", "Kafka"} <= set(plan["must_haves"])
    assert {"AWS", "Go"} <= set(plan["nice_to_haves"])
    assert not set(plan["must_haves"]) & set(plan["nice_to_haves"])
    assert plan["question_count"] == 3 and plan["language"] == "en"
    assert plan["name"] == "Backend hiring Q3" and plan["job_role"] == "Backend Engineer"


def test_given_skills_are_kept(api):
    """Skills the recruiter names are used as given (deduplicated), not re-derived."""
    plan = api.create_plan(must_haves=["Go", "gRPC", "Go"], nice_to_haves="Rust, WebAssembly")
    assert plan["must_haves"] == ["Go", "gRPC"]
    assert plan["nice_to_haves"] == ["Rust", "WebAssembly"]


def test_defaults_and_chinese_job_description(api):
    """question_count defaults to 8; language follows a Chinese job description."""
    jd = (
        "岗位职责：负责后端Java服务开发。"
        "任职要求：精通Java、Spring Boot、MySQL和Redis，熟悉分布式系统和高并发。"
    ) * 2
    response = api.post(
        "/ai-interviews", {"name": "后端", "job_role": "Java工程师", "job_description": jd}
    )
    plan = response.get_json()
    assert response.status_code == 201
    assert plan["question_count"] == 8 and plan["language"] == "zh"
    assert "Java" in plan["must_haves"]


BASE = {"name": "Plan", "job_role": "Engineer", "job_description": SAMPLE_JD}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": None}, "name is required"),
        ({"name": "  "}, "name is required"),
        ({"job_role": None}, "job_role is required"),
        ({"job_description": "too short"}, "job_description must be 50"),
        ({"job_description": "x" * 10_001}, "job_description must be at most"),
        ({"question_count": 2}, "question_count must be between 3 and 20"),
        ({"question_count": 21}, "question_count must be between 3 and 20"),
        ({"question_count": "many"}, "question_count must be a whole number"),
        ({"question_count": True}, "question_count must be a whole number"),
        ({"language": "fr"}, 'language must be "en" or "zh"'),
        ({"must_haves": [1, 2]}, "must_haves must be a list of strings"),
        ({"nice_to_haves": {"a": 1}}, "nice_to_haves must be a list of strings"),
        ({"notification_url": "ftp://example.com/hook"}, "notification_url must be an http"),
        ({"notification_url": "not a url"}, "notification_url must be an http"),
        ({"name": ["list"]}, "name must be a string"),
    ],
)
def test_invalid_plans_are_400(api, change, message):
    """Each invalid field is refused with a message naming it, and nothing is stored."""
    response = api.post("/ai-interviews", {**BASE, **change})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(message)
    assert count_rows(InterviewPlan) == 0


@pytest.mark.parametrize("body", [None, [], "text"])
def test_body_must_be_a_json_object(api, body):
    """A missing or non-object body is a 400, not a crash."""
    sent = {"data": ""} if body is None else {"json": body}
    response = api.client.post("/ai-interviews", headers={"X-API-Key": api.key}, **sent)
    assert response.status_code == 400
    assert response.get_json() == {"error": "The request body must be a JSON object."}


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9000/hook", "http://localhost/hook", "http://10.1.2.3/x",
            "http://[::1]/x", "http://169.254.169.254/latest/meta-data"],
)  # fmt: skip
def test_private_webhook_targets_are_refused(app, api, url):
    """Unless allowed by config, a notification_url may not point into the server's network."""
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    response = api.post("/ai-interviews", {**BASE, "notification_url": url})
    assert response.status_code == 400 and "public address" in response.get_json()["error"]


def test_public_webhook_target_is_kept(app, api):
    """A public https URL is stored on the plan (no lookup is made when creating it)."""
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    plan = api.create_plan(notification_url="https://hooks.example.com/interviews")
    assert plan["notification_url"] == "https://hooks.example.com/interviews"


def test_list_and_get_plans(api):
    """The list is newest first; one plan reads back the same as it was created."""
    first = api.create_plan(name="First")
    second = api.create_plan(name="Second")
    listed = api.get("/ai-interviews").get_json()
    assert [p["ai_interview_id"] for p in listed] == [
        second["ai_interview_id"],
        first["ai_interview_id"],
    ]
    one = api.get(f"/ai-interviews/{first['ai_interview_id']}")
    assert one.status_code == 200 and one.get_json() == first


def test_recruiters_never_see_each_others_plans(api, other_api):
    """Another recruiter's plan is absent from the list and 404 when asked for by id."""
    mine = api.create_plan()
    theirs = other_api.create_plan(name="Theirs")
    assert [p["name"] for p in api.get("/ai-interviews").get_json()] == [mine["name"]]
    response = api.get(f"/ai-interviews/{theirs['ai_interview_id']}")
    assert response.status_code == 404 and response.get_json() == {
        "error": "AI interview not found"
    }
    assert api.get("/ai-interviews/999").status_code == 404


def test_plan_json_keeps_owner(api, recruiter):
    """The plan belongs to the key's owner."""
    plan = api.create_plan()
    assert db.session.get(InterviewPlan, plan["ai_interview_id"]).owner_id == recruiter[0].id


def test_only_the_omitted_group_is_derived(api):
    """Naming must-haves only: nice-to-haves are still read from the job description."""
    plan = api.create_plan(must_haves=["Python"])
    assert plan["must_haves"] == ["Python"]
    assert {"AWS", "Go"} <= set(plan["nice_to_haves"])
