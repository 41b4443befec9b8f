"""Accounts: register, sign in and out, wrong passwords, safe redirects, CSRF, rate limits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.conftest import JSON, build_app, csrf_token_from, prepare_schema
from tests.support.users import make_user


def test_register_signs_in_and_hashes_password(client):
    """A new account is created, signed in, and the password is not stored in clear."""
    response = client.post(
        "/auth/register",
        data={
            "email": "New@Example.com",
            "password": "s3cret-pass",
            "confirm_password": "s3cret-pass",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.com"))
    assert user is not None and "s3cret-pass" not in (user.password_hash or "")
    assert client.get("/resumes").status_code == 200


def test_register_rejects_mismatch_and_duplicates(client, user):
    """Mismatched confirmation and a taken email are refused with reasons."""
    mismatch = client.post(
        "/auth/register",
        data={"email": "a@example.com", "password": "password123", "confirm_password": "nope12345"},
        headers=JSON,
    )
    assert mismatch.status_code == 400 and "match" in mismatch.get_json()["message"]
    taken = client.post(
        "/auth/register",
        data={"email": user.email, "password": "password123", "confirm_password": "password123"},
        headers=JSON,
    )
    assert taken.status_code == 409


def test_login_logout_and_wrong_password(client, auth, user):
    """Right password signs in; wrong one is 401; logout ends the session."""
    assert auth.login(password="wrong-password").status_code == 401
    assert auth.login().status_code == 302
    assert client.get("/resumes").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/resumes").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/resumes", "/resumes"),
        ("https://evil.example/phish", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_followed_only_when_local(client, user, target, expected):
    """`next` can only lead to a path on this site."""
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": "password123"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_csrf_token_is_required_when_enabled(user):
    """With CSRF on, a form post without the token is refused and one with it succeeds."""
    app = build_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        prepare_schema(app)
        make_user(email="csrf@example.com")
        client = app.test_client()
        refused = client.post(
            "/auth/login", data={"email": "csrf@example.com", "password": "password123"}
        )
        assert refused.status_code == 400
        assert b"security token" in refused.data
        token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
        accepted = client.post(
            "/auth/login",
            data={"email": "csrf@example.com", "password": "password123", "csrf_token": token},
        )
        assert accepted.status_code == 302


def test_login_attempts_are_rate_limited(user):
    """After the limit, further attempts get 429 with Retry-After."""
    app = build_app(
        RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per minute", RATELIMIT_STORAGE_URI="memory://"
    )
    with app.app_context():
        prepare_schema(app)
        client = app.test_client()
        statuses = [
            client.post(
                "/auth/login", data={"email": "x@example.com", "password": "bad"}, headers=JSON
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        last = client.post(
            "/auth/login", data={"email": "x@example.com", "password": "bad"}, headers=JSON
        )
        assert last.headers.get("Retry-After")
        assert last.get_json()["code"] == 429
