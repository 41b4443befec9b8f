"""Repeated failed credentials are refused for a while (429 with Retry-After): sign-ins per
account from one address, per account from everywhere and per address; invalid API keys and
bearer tokens per address. Only failures count, so nobody's correct password or key is used up
by someone else's mistakes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from tests.conftest import JSON, _built_apps, build_app, prepare_schema
from tests.security.conftest import forget_identity_per_request
from tests.support.users import issue_token, make_user

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_LIMIT": "3 per minute",
    "LOGIN_ACCOUNT_LIMIT": "5 per minute",
    "LOGIN_IP_LIMIT": "6 per minute",
    "INVALID_CREDENTIAL_LIMIT": "4 per minute",
}


@pytest.fixture
def limited() -> Iterator[Flask]:
    """An app with small limits, fresh counters, and two accounts."""
    app = build_app(**LIMITS)
    forget_identity_per_request(app)
    with app.app_context():
        prepare_schema(app)
        from app.extensions import limiter

        limiter.reset()
        make_user("alice@example.com", fast_hash=True)
        make_user("bob@example.com", fast_hash=True)
        yield app
        db.session.remove()


def sign_in(app: Flask, email: str, password: str, address: str = "203.0.113.7"):
    """One sign-in attempt from an address."""
    client = app.test_client()
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        headers=JSON,
        environ_base={"REMOTE_ADDR": address},
    )


def assert_throttled(response) -> None:
    """A 429 that says when to come back."""
    assert response.status_code == 429, response.get_data(as_text=True)[:200]
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_one_accounts_failures_do_not_lock_out_another_account_on_the_same_address(limited):
    """Someone guessing Alice's password from a shared address does not stop Bob signing in
    from it (the limit used to be per address only)."""
    for _ in range(3):
        assert sign_in(limited, "alice@example.com", "guess").status_code == 401
    assert sign_in(limited, "bob@example.com", "password123").status_code == 200


def test_failures_on_one_account_from_one_address_hold_that_account_there(limited):
    """After LOGIN_LIMIT failures, even the right password waits (the guesser cannot tell)."""
    for _ in range(3):
        assert sign_in(limited, "alice@example.com", "guess").status_code == 401
    assert_throttled(sign_in(limited, "alice@example.com", "password123"))
    assert_throttled(sign_in(limited, "ALICE@example.com ", "guess"))  # same account, any case
    assert sign_in(limited, "alice@example.com", "password123", "198.51.100.9").status_code == 200


def test_failures_spread_over_addresses_hold_the_account_everywhere(limited):
    """Guessing one account from many addresses stops at LOGIN_ACCOUNT_LIMIT."""
    for n in range(5):
        assert sign_in(limited, "alice@example.com", "guess", f"192.0.2.{n}").status_code == 401
    assert_throttled(sign_in(limited, "alice@example.com", "guess", "192.0.2.99"))


def test_one_address_guessing_many_accounts_is_held(limited):
    """Spraying one password over many emails stops at LOGIN_IP_LIMIT."""
    for n in range(6):
        assert sign_in(limited, f"user{n}@example.com", "password123").status_code == 401
    assert_throttled(sign_in(limited, "someone@example.com", "password123"))
    assert sign_in(limited, "bob@example.com", "password123", "198.51.100.9").status_code == 200


def test_successful_sign_ins_never_count(limited):
    """A user signing in many times is never held up."""
    for _ in range(8):
        assert sign_in(limited, "alice@example.com", "password123").status_code == 200


def test_an_html_sign_in_that_is_held_says_so(limited):
    """Browsers get the friendly 429 page with Retry-After, not a 500 or a bare error."""
    for _ in range(3):
        sign_in(limited, "alice@example.com", "guess")
    response = limited.test_client().post(
        "/auth/login",
        data={"email": "alice@example.com", "password": "guess"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert_throttled(response)
    assert "Too many failed sign-ins" in response.get_data(as_text=True)


def bearer_get(app: Flask, secret: str, address: str = "203.0.113.7"):
    """An account page asked for with a bearer token."""
    return app.test_client().get(
        "/sessions",
        headers={"Authorization": f"Bearer {secret}", **JSON},
        environ_base={"REMOTE_ADDR": address},
    )


def api_get(app: Flask, key: str, address: str = "203.0.113.7", header: str = "X-API-Key"):
    """A recruiter API call with a key."""
    value = key if header == "X-API-Key" else f"Bearer {key}"
    return app.test_client().get(
        "/ai-interviews", headers={header: value}, environ_base={"REMOTE_ADDR": address}
    )


@pytest.mark.parametrize("kind", ["bearer", "api-key", "api-key-as-bearer", "revoked"])
def test_repeated_invalid_credentials_are_throttled(limited, kind):
    """Invalid tokens and keys (made-up or revoked) are 401 up to the limit, then 429 with
    Retry-After; another address is not affected."""
    from app.models import User

    alice = db.session.scalar(db.select(User).where(User.email == "alice@example.com"))
    wrong = issue_token(alice, "old", revoked=True) if kind == "revoked" else "icp_made-up"

    def attempt(address: str = "203.0.113.7"):
        if kind in ("bearer", "revoked"):
            return bearer_get(limited, wrong, address)
        header = "X-API-Key" if kind == "api-key" else "Authorization"
        return api_get(limited, wrong, address, header)

    assert [attempt().status_code for _ in range(4)] == [401] * 4
    assert_throttled(attempt())
    assert attempt("198.51.100.9").status_code == 401


def test_valid_credentials_still_work_from_a_throttled_address(limited):
    """A real token or key from an address that sent bad ones still works: a guess of a
    256-bit secret gains nothing from it, and a shared address's integrations keep running."""
    from app.auth.services import create_token
    from app.models import User

    alice = db.session.scalar(db.select(User).where(User.email == "alice@example.com"))
    token = issue_token(alice, "cli")
    _, key = create_token(alice, "ats", "recruiter")
    db.session.commit()
    for _ in range(5):
        bearer_get(limited, "icp_made-up")
    assert bearer_get(limited, token).status_code == 200
    assert api_get(limited, key).status_code == 200
    assert_throttled(api_get(limited, "icr_made-up"))


def test_an_unreachable_limit_store_lets_sign_ins_and_tokens_through(caplog, monkeypatch):
    """With Redis down, failures cannot be counted: sign-ins and token checks still answer
    (logged), instead of every sign-in failing with a 500."""
    # Alembic's logging set-up (the migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("app.throttle"), "disabled", False)
    # Built directly: build_app would reset the (unreachable) Redis counters first.
    app = create_app("testing", {**LIMITS, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"})
    _built_apps.append(app)  # its connections are closed after the test, like build_app's
    forget_identity_per_request(app)
    with app.app_context():
        prepare_schema(app)
        make_user("alice@example.com", fast_hash=True)
        assert sign_in(app, "alice@example.com", "guess").status_code == 401
        assert sign_in(app, "alice@example.com", "password123").status_code == 200
        assert bearer_get(app, "icp_made-up").status_code == 401
        db.session.remove()
    assert "Rate-limit storage unavailable" in caplog.text
