"""Accounts and API tokens, and signing a test client in through the real form."""

from __future__ import annotations

from functools import cache

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import ApiToken, User, utcnow

PASSWORD = "password123"


@cache
def fast_password_hash(password: str) -> str:
    """One cheap hash per password: scrypt (the app's default) costs ~90 ms per user and per
    sign-in, and some suites sign in hundreds of times. The app checks any werkzeug format."""
    return generate_password_hash(password, method="pbkdf2:sha256:1")


def make_user(
    email: str = "user@example.com",
    password: str = PASSWORD,
    *,
    fast_hash: bool = False,
    **fields,
) -> User:
    """A committed account with a known password.

    By default the password is set as the app sets it (the slow hash, which also ends earlier
    sign-ins); with `fast_hash` it is stored with a cheap hash and the session version is left
    alone, for suites that make and sign in many accounts.
    """
    user = User(email=email, name=fields.pop("name", "Test User"), **fields)
    if fast_hash:
        user.password_hash = fast_password_hash(password)
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def issue_token(user: User, name: str, *, kind: str = "personal", revoked: bool = False) -> str:
    """A token for the user (committed); returns the secret."""
    token, secret = ApiToken.issue(user, name, kind=kind)
    if revoked:
        token.revoked_at = utcnow()
    db.session.add(token)
    db.session.commit()
    return secret


def login(client, email: str, password: str = PASSWORD) -> None:
    """Sign a test client in through the form (CSRF is off in the testing app)."""
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
