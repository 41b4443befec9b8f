"""The rate limiter checks limits on the routes that have them, and nowhere else."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import limiter
from app.throttle import APP_WIDE_LIMIT_KEYS, check_limits_only_where_set
from tests.conftest import build_app


def test_pages_without_limits_skip_the_limiter_check_but_limited_routes_still_refuse():
    """With no app-wide limit set, the per-request limiter hook is gone, and the login form
    (a route with its own limit) still answers 429 past it."""
    app = build_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT="2 per minute")
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    with app.app_context():
        from tests.conftest import prepare_schema

        prepare_schema(app)
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        statuses = [
            client.post(
                "/auth/login",
                data={"email": "x@example.com", "password": "bad"},
                headers={"Accept": "application/json"},
            ).status_code
            for _ in range(3)
        ]
    assert statuses == [401, 401, 429]


@pytest.mark.parametrize("key", APP_WIDE_LIMIT_KEYS)
def test_an_app_wide_limit_keeps_the_per_request_check(key):
    """A default, application-wide, meta or fallback limit is counted on every request, so the
    limiter's own hook stays."""
    app = Flask(__name__)
    app.config[key] = "100 per minute"
    app.before_request(limiter._check_request_limit)
    check_limits_only_where_set(app)
    assert app.before_request_funcs[None] == [limiter._check_request_limit]
