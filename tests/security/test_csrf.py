"""CSRF: every state-changing form carries a token, and every cookie-authenticated POST without
a valid one is refused with nothing changed; bearer-token requests (not ambient) need none."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.security import CSRF_EXEMPT_BLUEPRINTS
from tests.conftest import JSON, csrf_token_from
from tests.security.conftest import World
from tests.security.html import read_page
from tests.security.test_authorization import MATRIX

CSRF_MESSAGE = "security token"


@pytest.fixture
def app_overrides() -> dict:
    """This module's app checks CSRF tokens, like production."""
    return {"WTF_CSRF_ENABLED": True}


def signed_in(app: Flask, email: str):
    """A client signed in through the real form, token and all; returns (client, token)."""
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": "password123", "csrf_token": token}
    )
    assert response.status_code == 302
    return client, csrf_token_from(client.get("/resumes").get_data(as_text=True))


def snapshot() -> dict[str, list]:
    """Every row of every table, to prove a refused request changed nothing."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {
            table.name: sorted(map(repr, connection.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def post_rules(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, rule) for every POST route outside the API-key blueprints."""
    return sorted(
        (rule.endpoint, rule.rule)
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and rule.endpoint.rpartition(".")[0] not in CSRF_EXEMPT_BLUEPRINTS
    )


def fill(rule: str, world: World) -> str:
    """A rule's URL with the owner's ids (or a harmless placeholder) in its arguments."""
    ids = {
        "session_id": world.open.id,
        "resume_id": world.resume.id,
        "token_id": world.spare_token_id,
        "question_id": world.open.main_questions[0].id,
        "recording_id": world.recording_id,
    }
    url = rule
    for name, value in ids.items():
        url = url.replace(f"<int:{name}>", str(value))
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        url = url[:start] + "placeholder" + url[end + 1 :]
    return url


def test_every_post_route_refuses_a_missing_token(app, world):
    """Signed in by cookie, a POST to any route without a token is a 400 and changes nothing."""
    client, _ = signed_in(app, world.owner.email)
    before = snapshot()
    rules = post_rules(app)
    assert len(rules) >= 10
    for endpoint, rule in rules:
        response = client.post(fill(rule, world), data={"answer": "x", "name": "x"}, headers=JSON)
        assert response.status_code == 400, (endpoint, response.status_code)
        assert CSRF_MESSAGE in response.get_json()["message"], endpoint
    assert snapshot() == before


@pytest.mark.parametrize("route", [r for r in MATRIX if r.method == "POST"], ids=str)
def test_a_token_from_another_session_is_refused_and_the_right_one_works(app, world, route):
    """A token stolen from another browser session fails; the page's own token succeeds."""
    client, token = signed_in(app, world.owner.email)
    _, foreign_token = signed_in(app, world.other.email)
    before = snapshot()
    refused = client.post(
        route.url(world), data={**route.form(world), "csrf_token": foreign_token}, headers=JSON
    )
    assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_json()["message"]
    assert snapshot() == before
    accepted = client.post(
        route.url(world), data={**route.form(world), "csrf_token": token}, headers=JSON
    )
    assert accepted.status_code == route.owner, accepted.get_data(as_text=True)[:300]


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/logout"])
def test_account_forms_need_a_token_too(app, world, path):
    """Sign-in, registration and sign-out refuse a post without a token (login CSRF)."""
    response = app.test_client().post(
        path,
        data={
            "email": "owner@example.com",
            "password": "password123",
            "confirm_password": "password123",
        },
        headers=JSON,
    )
    assert response.status_code == 400 and CSRF_MESSAGE in response.get_json()["message"]


def test_bearer_requests_need_no_token(app, world):
    """A bearer token is not an ambient credential: curl can post without a CSRF token."""
    response = app.test_client().post(
        "/resumes",
        data={"resume_text": "Pasted by curl. " * 10},
        headers={**JSON, "Authorization": f"Bearer {world.bearer}"},
    )
    assert response.status_code == 201


def test_every_post_form_on_every_page_carries_a_token(app, world):
    """Each page's POST forms include the csrf_token field, so users never hit the 400."""
    client, _ = signed_in(app, world.owner.email)
    pages = [
        "/sessions",
        "/sessions/new",
        f"/session/{world.open.id}",
        f"/session/{world.open.id}/interview",
        f"/session/{world.finished.id}/interview",
        f"/session/{world.evaluated.id}/feedback",
        f"/session/{world.evaluated.id}/report",
        "/resumes",
        f"/resumes/{world.resume.id}",
        "/account/tokens",
    ]
    forms = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for form in read_page(response.get_data(as_text=True)).forms:
            if form.method == "post":
                forms += 1
                assert "csrf_token" in form.fields, (path, form.action)
    anonymous = app.test_client()
    for path in ("/auth/login", "/auth/register"):
        for form in read_page(anonymous.get(path).get_data(as_text=True)).forms:
            assert form.method != "post" or "csrf_token" in form.fields, path
    assert forms >= 10
