"""The reach of a sign-in through an invite link, over every route of the app.

Two recruiters invite the same email address; the candidate took the first recruiter's interview
(with a CV). Whoever holds the second recruiter's link — that recruiter included — signs in to the
shared invite-only account through it, and must reach that one interview and nothing else: not the
first interview, not the account's CVs or history, and not an API token that would carry the
account's whole reach. A token already issued to such an account reaches nothing either.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.access import ACCOUNT, ENDPOINT_ACCESS, INVITED, PUBLIC, SCOPED_SIGN_IN
from app.extensions import db
from app.models import ApiToken, InterviewSession, Invite, Resume, User
from tests.conftest import JSON
from tests.recruiter.conftest import (
    Candidate,
    answer_all,
    finish,
    make_recruiter,
    start_invite,
)
from tests.security.conftest import invite_through_api
from tests.support.sessions import SAMPLE_CV, make_recording
from tests.support.users import issue_token, login, make_user

SHARED_EMAIL = "shared-candidate@example.com"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass
class SharedAccount:
    """The invite-only account two recruiters invited, seen through the second link."""

    user: User
    first: Candidate  # the real candidate's browser, signed in through recruiter A's link
    scoped: Candidate  # a browser signed in through recruiter B's link
    first_response_id: int
    first_invite_token: str
    keys: dict[str, str]  # recruiter API keys of "a" and "b"
    resume_id: int
    token_id: int
    leftover_token: str  # a personal token the account was given before tokens were refused


@pytest.fixture
def shared(app: Flask) -> SharedAccount:
    """Recruiters A and B invite one address; the candidate takes A's interview with a CV, then
    B's link is opened in another browser."""
    keys = {who: make_recruiter(f"recruiter-{who}@example.com")[1] for who in ("a", "b")}
    client = app.test_client()
    invited = {who: invite_through_api(client, keys[who], "Sam", SHARED_EMAIL) for who in keys}
    upload = (io.BytesIO(SAMPLE_CV.encode()), "cv.txt")
    first = start_invite(app, invited["a"]["invite_link"], resume_file=upload)
    answer_all(first)
    finish(first)
    scoped = start_invite(app, invited["b"]["invite_link"])
    user = db.session.scalar(sa.select(User).where(User.email == SHARED_EMAIL))
    leftover = issue_token(user, "minted through a link")
    token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))
    resume_id = db.session.scalar(sa.select(Resume.id).where(Resume.user_id == user.id))
    assert resume_id is not None and token_id is not None
    return SharedAccount(
        user=user, first=first, scoped=scoped, first_response_id=invited["a"]["response_id"],
        first_invite_token=urlsplit(invited["a"]["invite_link"]).path.rsplit("/", 1)[-1],
        keys=keys, resume_id=resume_id, token_id=token_id, leftover_token=leftover,
    )  # fmt: skip


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """Every (endpoint, rule, method) the app serves."""
    return sorted(
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - IGNORED_METHODS
    )


def url_for_rule(rule: str, session_id: int, shared: SharedAccount) -> str:
    """The rule's path with the shared account's own ids (so only the scope can refuse it)."""
    values = {
        "session_id": session_id,
        "resume_id": shared.resume_id,
        "token_id": shared.token_id,
        "question_id": 1,  # the scope refuses before the question is looked up
        "recording_id": 1,  # likewise
        "token": shared.first_invite_token,
        "filename": "css/app.css",
    }
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule)


def test_every_route_has_a_scope_decision(app):
    """Each route the app serves is classified PUBLIC, INVITED or ACCOUNT — a new route fails
    here until someone decides who may reach it — and the table names no route that is gone."""
    served = {endpoint for endpoint, _, _ in routes(app)}
    assert served - ENDPOINT_ACCESS.keys() == set(), "routes without a scope decision"
    assert ENDPOINT_ACCESS.keys() - served == set(), "decisions for routes that do not exist"
    assert set(ENDPOINT_ACCESS.values()) <= {PUBLIC, INVITED, ACCOUNT}
    for rule in app.url_map.iter_rules():
        if ENDPOINT_ACCESS[rule.endpoint] == INVITED:
            assert "session_id" in rule.arguments, f"{rule.rule} names no session to scope by"


def refused_everywhere(app: Flask, client: FlaskClient, session_id: int, shared, headers=None):
    """Send every non-public route with the account's own ids; return what was let through."""
    let_through = []
    for endpoint, rule, method in routes(app):
        access = ENDPOINT_ACCESS[endpoint]
        if access == PUBLIC:
            continue
        url = url_for_rule(rule, session_id, shared)
        response = client.open(url, method=method, headers={**JSON, **(headers or {})})
        expected = 404 if access == INVITED else 403
        body = response.get_json() or {}
        if response.status_code != expected or body.get("data") is not None:
            let_through.append((method, url, response.status_code))
        elif access == ACCOUNT and body.get("message") != SCOPED_SIGN_IN:
            let_through.append((method, url, body.get("message")))
    return let_through


def test_an_invite_sign_in_reaches_no_route_beyond_its_interview(app, shared):
    """Over every route: account pages answer 403 and the account's other interview 404, even
    though each id belongs to the signed-in account."""
    first = shared.first.session_id
    assert refused_everywhere(app, shared.scoped.client, first, shared) == []
    assert ApiToken.query.filter_by(user_id=shared.user.id).count() == 1  # the leftover only


def test_an_invite_only_accounts_token_reaches_nothing(app, shared):
    """A personal token of an invite-only account (as the link used to mint) carries no reach:
    not the interviews, not the account pages — on every route."""
    bearer = {"Authorization": f"Bearer {shared.leftover_token}"}
    client = app.test_client()
    for session_id in (shared.first.session_id, shared.scoped.session_id):
        assert refused_everywhere(app, client, session_id, shared, bearer) == []


def test_a_bearer_header_never_widens_a_scoped_sign_in(app, shared):
    """A scoped browser that also sends a token (its account's, or a full account's) still
    reaches only what the link opened."""
    other = make_user("someone@example.com", fast_hash=True)
    for secret in (shared.leftover_token, issue_token(other, "laptop")):
        bearer = {"Authorization": f"Bearer {secret}"}
        client = shared.scoped.client
        assert refused_everywhere(app, client, shared.first.session_id, shared, bearer) == []


def test_an_invite_sign_in_cannot_mint_a_token(app, shared):
    """The reported attack: the link's sign-in posts to /account/tokens with the page's CSRF
    token. The page is not reachable, the post is refused, and no token is made."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = shared.scoped.client
    page = client.get("/account/tokens")
    assert page.status_code == 302
    assert page.headers["Location"] == f"/session/{shared.scoped.session_id}"
    interview_page = client.get(page.headers["Location"]).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', interview_page)
    assert csrf is not None
    posted = client.post(
        "/account/tokens", data={"name": "ci", "csrf_token": csrf.group(1)}, headers=JSON
    )
    assert posted.status_code == 403 and posted.get_json()["message"] == SCOPED_SIGN_IN
    assert ApiToken.query.filter_by(user_id=shared.user.id).count() == 1


def test_the_links_own_interview_is_fully_usable(app, shared, tmp_path):
    """Every page of the link's own interview opens, its recordings too: the scope narrows, it
    does not break."""
    client = shared.scoped.client
    session = db.session.get_one(InterviewSession, shared.scoped.session_id)
    app.config["RECORDINGS_DIR"] = str(tmp_path)
    recording = make_recording(session, session.questions[0], tmp_path)
    for endpoint, rule, method in routes(app):
        if ENDPOINT_ACCESS[endpoint] == INVITED and method == "GET":
            url = url_for_rule(rule, session.id, shared)
            url = url.replace("/recordings/1", f"/recordings/{recording.id}")
            status = client.get(url, headers=JSON).status_code
            # Unfinished, its feedback and report are not ready (400), but nothing is refused.
            assert status not in (401, 403, 404), (url, status)


def test_a_scoped_browser_sees_only_its_interview_in_the_nav(app, shared):
    """The nav offers the interview, never account pages the sign-in cannot open; the landing
    page goes straight to the interview."""
    client = shared.scoped.client
    html = client.get(f"/session/{shared.scoped.session_id}").get_data(as_text=True)
    assert f'href="/session/{shared.scoped.session_id}"' in html
    for account_page in ("/sessions", "/resumes", "/account/tokens", "/sessions/new"):
        assert f'href="{account_page}"' not in html
    home = client.get("/")
    assert home.headers["Location"] == f"/session/{shared.scoped.session_id}"


def test_a_browser_sent_to_an_account_page_is_taken_back_with_the_reason(app, shared):
    """A browser following an old bookmark is taken to its interview and told why."""
    client = shared.scoped.client
    response = client.get("/resumes", follow_redirects=True)
    assert response.status_code == 200
    assert "opens only that interview" in response.get_data(as_text=True)


def test_the_recruiter_api_takes_neither_a_personal_token_nor_a_link_token(app, shared):
    """Invite-related API paths need a recruiter key: a personal token (the leftover one, or a
    full account's) or an invite link's token is refused, and B's key does not open A's invite."""
    person = make_user("person@example.com", fast_hash=True)
    response_id = shared.first_response_id
    paths = [f"/ai-interviews/report/{response_id}", f"/ai-interviews/report/{response_id}/pdf"]
    secrets = [shared.leftover_token, issue_token(person, "cli"), shared.first_invite_token]
    for path in paths:
        for secret in secrets:
            for header in ({"X-API-Key": secret}, {"Authorization": f"Bearer {secret}"}):
                assert app.test_client().get(path, headers=header).status_code == 401
        rival = app.test_client().get(path, headers={"X-API-Key": shared.keys["b"]})
        assert rival.status_code == 404


def test_a_password_sign_in_in_the_same_browser_has_its_full_reach(app, shared):
    """Signing in with a password (here another account) drops the link's scope."""
    make_user("full@example.com", fast_hash=True)
    client = shared.scoped.client
    login(client, "full@example.com")
    assert client.get("/account/tokens", headers=JSON).status_code == 200
    assert client.get("/sessions", headers=JSON).status_code == 200


def test_the_invite_still_reads_started_for_its_recruiter(app, shared):
    """The scope changes nothing recruiters see: B's invite is Started, A's Completed."""
    statuses = sorted(db.session.scalars(sa.select(Invite.status)))
    assert statuses == ["Completed", "Started"]
