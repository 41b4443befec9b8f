"""Signing out ends the sign-in on the server: a copied session or remember-me cookie stops
working, every sign-in (and its remember-me cookie) is distinct, a new password ends every
sign-in, and no sign-in outlives REMEMBER_COOKIE_DURATION."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import security
from app.extensions import db
from app.models import User
from tests.conftest import JSON
from tests.security.conftest import ANSWERS
from tests.support.sessions import make_session
from tests.support.users import login, make_user

REMEMBER = "remember_token"
SESSION = "session"


def copy_cookie(source: FlaskClient, name: str, app: Flask) -> FlaskClient:
    """A fresh browser holding only a copy of one of the source browser's cookies."""
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    thief = app.test_client()
    thief.set_cookie(name, cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    """Whether the browser's cookies still open an account page."""
    status = client.get("/sessions", headers=JSON).status_code
    assert status in (200, 401)
    return status == 200


def sign_in(app: Flask, remember: bool = False) -> FlaskClient:
    """A browser signed in as the user (optionally remembered)."""
    client = app.test_client()
    data = {"email": "user@example.com", "password": "password123"}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302
    return client


@pytest.fixture
def user(app: Flask) -> User:
    """The account the browsers sign in to."""
    return make_user("user@example.com", fast_hash=True)


@pytest.mark.parametrize("cookie", [SESSION, REMEMBER])
def test_a_copied_cookie_stops_working_after_sign_out(app, user, cookie):
    """Someone who copied the session (or remember-me) cookie is signed out with its owner."""
    browser = sign_in(app, remember=True)
    thief = copy_cookie(browser, cookie, app)
    assert signed_in(thief)
    assert browser.post("/auth/logout").status_code == 302
    assert not signed_in(thief)


def test_every_sign_in_gets_its_own_remember_me_cookie(app, user):
    """Two sign-ins of one account never share a remember-me value."""
    first = sign_in(app, remember=True).get_cookie(REMEMBER)
    second = sign_in(app, remember=True).get_cookie(REMEMBER)
    assert first is not None and second is not None
    assert first.value != second.value


def test_the_remember_me_cookie_lasts_the_configured_duration(app, user):
    """Fourteen days by default (it was a year), as the cookie's expiry says."""
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)
    cookie = sign_in(app, remember=True).get_cookie(REMEMBER)
    assert cookie is not None and cookie.expires is not None
    lifetime = cookie.expires - datetime.now(UTC)
    assert timedelta(days=13, hours=23) < lifetime <= timedelta(days=14)


@pytest.mark.parametrize("cookie", [SESSION, REMEMBER])
def test_no_sign_in_outlives_the_duration_on_the_server(app, user, monkeypatch, cookie):
    """A cookie kept past its expiry (a copy, or a browser ignoring it) is refused."""
    browser = sign_in(app, remember=True)
    thief = copy_cookie(browser, cookie, app)
    later = security.epoch_seconds() + timedelta(days=14, minutes=1).total_seconds()
    monkeypatch.setattr(security, "epoch_seconds", lambda: later)
    assert not signed_in(thief)


def test_a_new_password_ends_every_sign_in(app, user):
    """Changing the password signs out every browser that had the old sign-in."""
    browsers = [sign_in(app), sign_in(app, remember=True)]
    copies = [copy_cookie(browsers[1], REMEMBER, app)]
    account = db.session.get_one(User, user.id)
    account.set_password("a-brand-new-password")
    db.session.commit()
    assert not any(signed_in(client) for client in browsers + copies)


def test_signing_out_one_browser_signs_out_the_others(app, user):
    """The server cannot tell a copy from another device, so sign-out ends every sign-in."""
    laptop, phone = sign_in(app), sign_in(app, remember=True)
    assert laptop.post("/auth/logout").status_code == 302
    assert not signed_in(phone)
    assert signed_in(sign_in(app))  # signing in again works at once


@pytest.mark.parametrize("cookie_user_id", ["1", "1:0", "x:0:0:n", ""])
def test_sign_in_ids_in_the_old_or_a_broken_form_are_refused(app, user, cookie_user_id):
    """A session naming only the user id (as cookies did before) opens nothing."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = cookie_user_id
        flask_session["_fresh"] = True
    assert not signed_in(client)


def test_a_bearer_request_to_sign_out_ends_no_browser_sign_in(app, user):
    """A script's token is not a browser sign-in: its sign-out call leaves browsers alone."""
    from tests.support.users import issue_token

    browser = sign_in(app)
    secret = issue_token(user, "cli")
    response = app.test_client().post(
        "/auth/logout", headers={"Authorization": f"Bearer {secret}", **JSON}
    )
    assert response.status_code == 200
    assert signed_in(browser)


def test_signing_in_again_after_sign_out_works(app, user):
    """Sign out, then sign in: the new sign-in is valid."""
    client = app.test_client()
    login(client, "user@example.com")
    client.post("/auth/logout")
    login(client, "user@example.com")
    assert signed_in(client)


def change_password(client: FlaskClient, current: str, new: str, confirm: str | None = None):
    """Post the change-password form."""
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm_password": confirm or new},
        headers=JSON,
    )


def test_changing_the_password_ends_every_other_sign_in(app, user):
    """The account page's password change signs out every other browser and copy, and keeps
    this browser signed in with the new password."""
    here, elsewhere = sign_in(app), sign_in(app, remember=True)
    copied = copy_cookie(elsewhere, REMEMBER, app)
    response = change_password(here, "password123", "a-new-password-1")
    assert response.status_code == 200
    assert signed_in(here)
    assert not signed_in(elsewhere) and not signed_in(copied)
    fresh = app.test_client()
    assert (
        fresh.post(
            "/auth/login", data={"email": "user@example.com", "password": "a-new-password-1"}
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("current", "new", "confirm"),
    [
        ("wrong-password", "a-new-password-1", None),  # not the current password
        ("password123", "short", None),  # too short
        ("password123", "a-new-password-1", "a-new-password-2"),  # mistyped
    ],
)
def test_a_password_change_needs_the_current_password_and_a_valid_new_one(
    app, user, current, new, confirm
):
    """Refused changes change nothing and sign nobody out."""
    here, elsewhere = sign_in(app), sign_in(app)
    assert change_password(here, current, new, confirm).status_code == 400
    assert signed_in(here) and signed_in(elsewhere)
    assert db.session.get_one(User, user.id).check_password("password123")


def test_the_password_page_is_a_form_for_browsers(app, user):
    """The page renders its form; the token page links to it."""
    here = sign_in(app)
    assert 'name="current_password"' in here.get("/account/password").get_data(as_text=True)
    assert 'href="/account/password"' in here.get("/account/tokens").get_data(as_text=True)


@pytest.mark.parametrize("page", ["interview", "history"])
def test_an_ended_sign_in_gets_no_kept_page(app, user, page):
    """A page kept whole for a sign-in (served from the user read as plain values with the
    page's state) is not served once that sign-in has ended elsewhere: the browser is sent to
    sign in, as for any page."""
    from app.interview.pages import QUESTION_PAGES
    from app.sessions.pages import HISTORY_PAGES

    session = make_session(user, answers=[ANSWERS[0], None, None])
    url = f"/session/{session.id}/interview" if page == "interview" else "/sessions"
    kept = QUESTION_PAGES if page == "interview" else HISTORY_PAGES
    kept.clear()
    laptop, phone = sign_in(app), sign_in(app, remember=True)
    first = phone.get(url)
    assert first.status_code == 200 and len(kept) == 1
    assert phone.get(url).get_data() == first.get_data()  # served from the kept page
    assert laptop.post("/auth/logout").status_code == 302
    ended = phone.get(url)
    assert ended.status_code == 302 and "/auth/login" in ended.headers["Location"]
    assert b"Sign out" not in ended.get_data()
