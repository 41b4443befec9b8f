"""Ids too large for the id columns (beyond 2^31 - 1 for PostgreSQL, 2^63 for SQLite) never reach
the database: in a URL they match no route (404), in a form, query or JSON body they are a 400 —
never a 500. Every route with an `<int:…>` part is found from the URL map, so a new one is
covered without being listed."""

from __future__ import annotations

import pytest
from flask import Flask

from app.requests import DatabaseId
from tests.conftest import JSON
from tests.support.sessions import SAMPLE_JD
from tests.support.users import issue_token, login

HUGE = [2**31, 2**63, 10**30]


def int_routes(app: Flask) -> list[tuple[str, str, list[str]]]:
    """(rule, method, names of its int parts) for every route with an `<int:…>` part."""
    found = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, DatabaseId)]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if ints:
                found.append((rule.rule, method, ints))
    return found


@pytest.fixture
def visitor(app: Flask, world):
    """A client signed in as the owner and carrying a recruiter key: whatever a route checks,
    it gets as far as the id."""
    key = issue_token(world.owner, "ats", kind="recruiter")
    client = app.test_client()
    login(client, world.owner.email)
    return client, {"X-API-Key": key, **JSON}


def test_every_int_route_is_found(app: Flask):
    """The enumeration sees the routes the report named (nine answered 500) and more."""
    rules = {rule for rule, _, _ in int_routes(app)}
    assert len(rules) >= 9
    assert {"/session/<int:session_id>/report.pdf", "/ai-interviews/<int:ai_interview_id>"} <= rules


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_id_in_any_url_is_a_404(app: Flask, visitor, value):
    """Every route with an int part answers 404 to an id beyond the column, whatever its method."""
    client, headers = visitor
    for rule, method, names in int_routes(app):
        path = rule
        for name in names:
            path = path.replace(f"<int:{name}>", str(value))
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_resume_id_in_a_form_or_query_is_a_400(visitor, value):
    """resume_id on the new interview form and the unfinished lookup."""
    client, headers = visitor
    created = client.post(
        "/sessions/new",
        data={"resume_id": str(value), "job_description": SAMPLE_JD},
        headers=headers,
    )
    assert created.status_code == 400, created.get_json()
    assert "resume_id" in created.get_json()["message"]
    lookup = client.get(f"/sessions/unfinished?resume_id={value}", headers=headers)
    assert lookup.status_code == 400, lookup.get_json()


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_question_id_is_a_400(world, visitor, value):
    """question_id on the answer and draft forms."""
    client, headers = visitor
    base = f"/session/{world.open.id}"
    for path in (f"{base}/answer", f"{base}/draft"):
        form = {"question_id": str(value), "answer": "An answer of some length."}
        response = client.post(path, data=form, headers=headers)
        assert response.status_code == 400, (path, response.get_json())


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_id_in_the_recruiter_api_is_a_400(visitor, value):
    """ai_interview_id in an invite's JSON body (as a number or a string), response_id in the
    report query."""
    client, headers = visitor
    for sent in (value, str(value)):
        body = {"ai_interview_id": sent, "candidate_name": "C", "candidate_email": "c@example.com"}
        response = client.post("/ai-interviews/invite", json=body, headers=headers)
        assert response.status_code == 400, response.get_json()
        assert "ai_interview_id" in response.get_json()["error"]
    report = client.get(f"/ai-interviews/report?response_id={value}", headers=headers)
    assert report.status_code == 400 and "response_id" in report.get_json()["error"]
