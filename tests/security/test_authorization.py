"""The authorization matrix: every route × (anonymous, owner, other user, admin, bearer token,
revoked token) → the status each should get. A new route fails `test_every_route_is_in_the_matrix`
until someone decides who may use it."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask

from app.extensions import db
from app.models import InterviewSession
from tests.conftest import JSON
from tests.fixtures.audio import make_wav
from tests.security.conftest import World
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD
from tests.support.users import login

ROLES = ["anonymous", "owner", "other", "admin", "bearer", "revoked"]


def current_question_id(world: World) -> int:
    """The question the open session is waiting for."""
    session = db.session.get_one(InterviewSession, world.open.id)
    return next(q.id for q in session.questions if q.answered_at is None)


@dataclass(frozen=True)
class Route:
    """A route, the owner's status, and the status for someone else's account (other or admin)."""

    method: str
    path: str  # {open} {finished} {evaluated} {evaluated_q} {resume} {token} {recording}
    owner: int
    foreign: int
    form: Callable[[World], dict] = field(default=lambda world: {})

    def url(self, world: World) -> str:
        """The path with the world's ids filled in."""
        return self.path.format(
            open=world.open.id,
            finished=world.finished.id,
            evaluated=world.evaluated.id,
            evaluated_q=world.evaluated.main_questions[0].id,
            resume=world.resume.id,
            token=world.spare_token_id,
            recording=world.recording_id,
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


NEW_SESSION = {
    "resume_text": SAMPLE_CV,
    "job_description": SAMPLE_JD,
    "question_count": "3",
    "force_new": "1",
}
MATRIX = [
    Route("GET", "/sessions", 200, 200),
    Route("GET", "/sessions/new", 200, 200),
    Route("POST", "/sessions/new", 201, 201, lambda w: NEW_SESSION),
    Route("GET", "/sessions/unfinished?resume_id={resume}", 200, 404),
    Route("GET", "/session/{open}", 200, 404),
    Route("GET", "/session/{open}/interview", 200, 404),
    Route(
        "POST",
        "/session/{open}/answer",
        200,
        404,
        lambda w: {"question_id": current_question_id(w), "answer": "An index on the key."},
    ),
    Route(
        "POST",
        "/session/{open}/draft",
        204,
        404,
        lambda w: {"question_id": current_question_id(w), "answer": "half a thought"},
    ),
    # Voice input is off in the test config: the owner hears so (501); nobody else learns more.
    Route(
        "POST",
        "/session/{open}/transcribe",
        501,
        404,
        lambda w: {
            "question_id": current_question_id(w),
            "audio": (io.BytesIO(make_wav(1)), "a.wav"),
        },
    ),
    # A kept recording: played and deleted by its owner only.
    Route("GET", "/session/{open}/recordings/{recording}", 200, 404),
    Route("POST", "/session/{open}/recordings/{recording}/delete", 200, 404),
    Route("POST", "/session/{open}/recordings/delete", 200, 404),
    Route("POST", "/session/{open}/delete", 200, 404),
    Route("POST", "/session/{open}/plan", 202, 404),
    Route("POST", "/session/{finished}/complete", 200, 404),
    Route("GET", "/session/{finished}/status", 200, 404),
    Route("GET", "/session/{evaluated}/feedback", 200, 404),
    Route("GET", "/session/{evaluated}/report", 200, 404),
    Route("GET", "/session/{evaluated}/report.pdf", 200, 404),
    Route(
        "POST",
        "/session/{evaluated}/questions/{evaluated_q}/attempts",
        201,
        404,
        lambda w: {"answer": "A B-tree keeps keys sorted, so lookups take O(log n)."},
    ),
    Route("GET", "/drills", 200, 200),
    # Someone else has nothing evaluated, so nothing to drill: their own 409, never the owner's.
    Route("POST", "/drills/start", 201, 409),
    Route("GET", "/resumes", 200, 200),
    Route("POST", "/resumes", 201, 201, lambda w: {"resume_text": SAMPLE_CV + "\nv2"}),
    Route("GET", "/resumes/{resume}", 200, 404),
    Route("POST", "/resumes/{resume}/delete", 200, 404),
    Route("GET", "/account/password", 200, 200),
    Route("GET", "/account/tokens", 200, 200),
    Route("POST", "/account/tokens", 201, 201, lambda w: {"name": "ci"}),
    Route("POST", "/account/tokens/{token}/revoke", 200, 404),
]

# Open to everyone: the landing page, health check, sign-in pages, static files, signing out.
PUBLIC_ENDPOINTS = {
    "static",
    "main.index",
    "main.health",
    "main.favicon",
    "auth.login",
    "auth.register",
    "auth.logout",
}


def expected(route: Route, role: str) -> int:
    """The status a role should get."""
    if role in ("anonymous", "revoked"):
        return 401
    if role in ("owner", "bearer"):
        return route.owner
    return route.foreign


def request_as(app: Flask, world: World, role: str, route: Route):
    """Send the route's request as the role, asking for JSON."""
    client = app.test_client()
    headers = dict(JSON)
    if role in ("owner", "other", "admin"):
        login(
            client, {"owner": world.owner, "other": world.other, "admin": world.admin}[role].email
        )
    elif role == "bearer":
        headers["Authorization"] = f"Bearer {world.bearer}"
    elif role == "revoked":
        headers["Authorization"] = f"Bearer {world.revoked}"
    return client.open(
        route.url(world), method=route.method, data=route.form(world), headers=headers
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", MATRIX, ids=str)
def test_route_answers_each_role_as_expected(app, world, route, role):
    """Each role gets exactly its status; someone else's things are refused, never shown."""
    response = request_as(app, world, role, route)
    assert response.status_code == expected(route, role), response.get_data(as_text=True)[:300]
    if response.status_code in (401, 403, 404):
        body = response.get_json()
        assert body["data"] is None and body["code"] == response.status_code
        assert SAMPLE_CV[:30] not in response.get_data(as_text=True)


@pytest.mark.parametrize("route", [r for r in MATRIX if r.method == "GET"], ids=str)
def test_a_signed_out_browser_is_sent_to_sign_in(app, world, route):
    """Browsers (HTML) without a session are redirected to the sign-in page, coming back after."""
    response = app.test_client().get(route.url(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_other_users_lists_never_show_the_owners_things(app, world):
    """Lists are per account: another user sees none of the owner's sessions, CVs or tokens."""
    client = app.test_client()
    login(client, world.other.email)
    assert client.get("/sessions", headers=JSON).get_json()["data"] == []
    assert client.get("/resumes", headers=JSON).get_json()["data"] == []
    assert client.get("/account/tokens", headers=JSON).get_json()["data"] == []


def test_refused_changes_change_nothing(app, world):
    """A refused answer, draft or delete on someone else's session leaves it untouched."""
    before = [(q.id, q.answer_text, q.draft_text) for q in world.open.questions]
    for role in ("other", "admin", "revoked", "anonymous"):
        for route in MATRIX:
            if route.method == "POST" and "{open}" in route.path:
                assert request_as(app, world, role, route).status_code in (401, 404)
    db.session.expire_all()
    session = db.session.get(InterviewSession, world.open.id)
    assert session is not None
    assert [(q.id, q.answer_text, q.draft_text) for q in session.questions] == before


def test_every_route_is_in_the_matrix(app):
    """Every URL rule is public, API-key only, or has a row here — none slips through untested."""
    adapter = app.url_map.bind("localhost")
    covered = {
        adapter.match(
            r.path.split("?")[0].format(
                open=1, finished=1, evaluated=1, evaluated_q=1, resume=1, token=1, recording=1
            ),
            method=r.method,
        )[0]
        for r in MATRIX
    }
    from tests.security.test_recruiter_access import RECRUITER_ENDPOINTS

    unclassified = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in covered | PUBLIC_ENDPOINTS | RECRUITER_ENDPOINTS
    }
    assert not unclassified, f"routes missing from the authorization matrix: {sorted(unclassified)}"


MISSING_ID = 987_654


@pytest.mark.parametrize("role", ["other", "admin"])
@pytest.mark.parametrize("route", [r for r in MATRIX if "{" in r.path], ids=str)
def test_someone_elses_thing_answers_exactly_as_a_missing_one(app, world, route, role):
    """A foreign id and an id that does not exist get the same status and body: a caller cannot
    learn which ids exist."""
    foreign = request_as(app, world, role, route)
    missing_route = Route(
        route.method,
        route.path.format(**dict.fromkeys(("open", "finished", "evaluated", "evaluated_q"),
                                          MISSING_ID),
                          resume=MISSING_ID, token=MISSING_ID, recording=MISSING_ID),
        route.owner,
        route.foreign,
        route.form,
    )  # fmt: skip
    missing = request_as(app, world, role, missing_route)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()


@pytest.mark.parametrize("role", ["owner", "bearer"])
@pytest.mark.parametrize("route", [r for r in MATRIX if r.method == "GET"], ids=str)
def test_signed_in_pages_are_never_cached(app, world, route, role):
    """Whatever a signed-in user is shown is marked `no-store`, so a shared computer's browser
    cache or a proxy keeps no copy of a CV, report or token list."""
    response = request_as(app, world, role, route)
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_html_pages_of_a_signed_in_browser_are_never_cached(app, world):
    """The browser's HTML pages too (the session page, the report), not only JSON."""
    client = app.test_client()
    login(client, world.owner.email)
    for path in ("/sessions", f"/session/{world.evaluated.id}/report", "/resumes"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response.headers.get("Cache-Control", ""), path
