"""Signing in reveals nothing about which emails have accounts: every attempt costs one password
hash, whether the email is unknown, invite-only (no password) or real."""

from __future__ import annotations

import pytest

from app.auth import services
from app.extensions import db
from app.models import User
from tests.conftest import JSON
from tests.support.users import make_user


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """Record every password-hash check the sign-in makes (and still make it)."""
    seen: list[str] = []
    real = services.check_password_hash

    def counted(stored: str, password: str) -> bool:
        seen.append(stored)
        return real(stored, password)

    monkeypatch.setattr(services, "check_password_hash", counted)
    return seen


def invite_only(email: str) -> User:
    """An account made by an invite: no password."""
    user = User(email=email, name="Invited", password_hash=None)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("nobody@example.com", "password123"),  # no such account
        ("invited@example.com", "password123"),  # an invite-only account
        ("real@example.com", "wrong-password"),  # a real account, wrong password
        ("real@example.com", "password123"),  # the right password
    ],
)
def test_every_sign_in_checks_one_password_hash(app, client, hash_checks, email, password):
    """Unknown and invite-only emails are checked against a dummy hash of the same kind, so they
    take as long as a real account's wrong password; only the right password signs in."""
    make_user("real@example.com", fast_hash=True)
    invite_only("invited@example.com")
    response = client.post("/auth/login", data={"email": email, "password": password}, headers=JSON)
    assert len(hash_checks) == 1
    signed_in = email == "real@example.com" and password == "password123"
    assert response.status_code == (200 if signed_in else 401)


def test_the_dummy_hash_is_as_costly_as_a_real_one(app):
    """The stand-in uses the method new passwords are stored with, not a cheap one."""
    user = User(email="fresh@example.com")
    user.set_password("a-new-password")
    stored_method = (user.password_hash or "").split("$", 1)[0]
    assert services.dummy_password_hash().split("$", 1)[0] == stored_method


def test_an_unknown_email_never_matches_even_the_dummy_password(app, client):
    """Whatever the dummy hash was made from, it opens no account."""
    for password in ("", "dummy", "password123"):
        response = client.post(
            "/auth/login", data={"email": "ghost@example.com", "password": password}, headers=JSON
        )
        assert response.status_code == 401
