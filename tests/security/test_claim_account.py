"""An invite makes a password-less account for its email; its candidate can claim it by setting
a password from their own invite link — but a link proves only that its holder has the invite
(the recruiter who made it holds it too), so it claims only an account whose every invite came
from that link's recruiter, and never one that already has a password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Invite, User, utcnow
from tests.conftest import JSON
from tests.recruiter.conftest import make_recruiter, start_invite
from tests.security.conftest import invite_through_api

EMAIL = "sam@example.com"
NEW_PASSWORD = {"password": "my-own-password", "confirm_password": "my-own-password"}


def account() -> User:
    """The invited email's account."""
    db.session.expire_all()
    return db.session.scalars(sa.select(User).where(User.email == EMAIL)).one()


@pytest.fixture
def invite_link(app: Flask) -> Callable[[str], str]:
    """Makes a fresh invite to EMAIL from a named recruiter (created on first use); the path
    of its link."""
    keys: dict[str, str] = {}

    def make(recruiter: str) -> str:
        if recruiter not in keys:
            keys[recruiter] = make_recruiter(f"{recruiter}@example.com")[1]
        data = invite_through_api(app.test_client(), keys[recruiter], "Sam", EMAIL)
        return urlsplit(data["invite_link"]).path

    return make


def claim(app: Flask, link: str, form: dict | None = None, client=None):
    """Post the set-a-password form of an invite page."""
    return (client or app.test_client()).post(link + "/password", data=form or NEW_PASSWORD)


def test_registering_an_invited_email_says_how_to_claim_it(app, invite_link):
    """The 409 on the register page tells an invited person to use their invite link."""
    invite_link("acme")
    response = app.test_client().post(
        "/auth/register",
        data={"email": EMAIL, "password": "whatever-1", "confirm_password": "whatever-1"},
    )
    assert response.status_code == 409
    assert "set a password from your invite link" in response.get_data(as_text=True)


def test_the_invited_candidate_claims_the_account_from_the_link(app, invite_link):
    """The invite page offers a password; setting it signs in account-wide, and the email and
    password sign in from then on."""
    link = invite_link("acme")
    candidate = start_invite(app, "http://localhost" + link)
    assert 'action="' + link + '/password"' in candidate.client.get(link).get_data(as_text=True)
    response = claim(app, link, client=candidate.client)
    assert response.status_code == 302
    assert candidate.client.get("/account/tokens", headers=JSON).status_code == 200
    assert account().check_password("my-own-password")
    browser = app.test_client()
    signed = browser.post("/auth/login", data={"email": EMAIL, "password": "my-own-password"})
    assert signed.status_code == 302
    sessions = browser.get("/sessions", headers=JSON).get_json()["data"]
    assert [item["id"] for item in sessions] == [candidate.session_id]


def test_a_link_cannot_claim_an_account_another_recruiter_also_invited(app, invite_link):
    """Recruiter B's link cannot give a password to an account holding recruiter A's
    interview: that would open A's interview to whoever holds B's link (B itself)."""
    first = invite_link("acme")
    start_invite(app, "http://localhost" + first)
    rival = invite_link("rival")
    page = app.test_client().get(rival).get_data(as_text=True)
    assert "/password" not in page
    response = claim(app, rival)
    assert response.status_code == 409
    assert "more than one" in response.get_data(as_text=True)
    assert account().password_hash is None
    assert claim(app, first).status_code == 409  # nor A's: B's invite is in the account too


def test_a_link_never_replaces_an_existing_password(app, invite_link):
    """Once claimed (or for a real account), a link sets nothing: the owner signs in."""
    link = invite_link("acme")
    assert claim(app, link).status_code == 302
    again = claim(app, link, {"password": "taken-over-1", "confirm_password": "taken-over-1"})
    assert again.status_code == 409
    assert account().check_password("my-own-password")
    assert not account().check_password("taken-over-1")


def test_an_expired_link_claims_nothing(app, invite_link):
    """An expired invite's link is gone (410), for setting a password too."""
    link = invite_link("acme")
    invite = db.session.scalars(sa.select(Invite)).one()
    invite.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert claim(app, link).status_code == 410
    assert account().password_hash is None


@pytest.mark.parametrize(
    "form",
    [
        {"password": "short", "confirm_password": "short"},
        {"password": "long-enough-1", "confirm_password": "long-enough-2"},
        {"password": "", "confirm_password": ""},
    ],
)
def test_a_weak_or_mistyped_password_is_refused(app, invite_link, form):
    """The same rules as registering: 8+ characters, typed twice alike."""
    link = invite_link("acme")
    response = claim(app, link, form)
    assert response.status_code == 400
    assert account().password_hash is None


def test_claiming_ends_the_links_other_sign_ins(app, invite_link):
    """Browsers signed in through the link before the claim are signed out: from now on the
    account opens with its password."""
    link = invite_link("acme")
    earlier = start_invite(app, "http://localhost" + link)
    assert claim(app, link).status_code == 302
    assert earlier.client.get(f"/session/{earlier.session_id}", headers=JSON).status_code == 401
    restart = app.test_client().post(link + "/start")
    assert restart.status_code == 302 and "/auth/login" in restart.headers["Location"]


def test_claiming_needs_the_forms_csrf_token(app, invite_link):
    """The password form is a normal form: without its token it is refused."""
    link = invite_link("acme")
    app.config["WTF_CSRF_ENABLED"] = True
    assert claim(app, link).status_code == 400
    assert account().password_hash is None
