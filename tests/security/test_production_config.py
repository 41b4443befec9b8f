"""Production configuration: refuses weak secrets, sets safe cookies and headers, hides errors."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEV_SECRET_KEY
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.support.users import make_user

STRONG_SECRET = "s3cr3t-" + "x" * 40
HTTPS = "https://coach.example"


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """The environment a production server has (with its own SQLite file)."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.delenv("AI_PROVIDERS", raising=False)
    return monkeypatch


@pytest.fixture
def production_app(production_env):
    """A production app over an empty database, with a route that crashes."""
    app = create_app()
    app.add_url_rule("/crash-for-test", "crash", lambda: 1 / 0)
    with app.app_context():
        db.create_all()
        make_user(email="prod@example.com")
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("secret", [None, "", DEV_SECRET_KEY, "short", "   "])
def test_production_refuses_a_missing_or_default_secret(production_env, secret):
    """Without a real SECRET_KEY the app does not start at all."""
    if secret is None:
        production_env.delenv("SECRET_KEY", raising=False)
    else:
        production_env.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_is_not_debug_and_checks_csrf(production_app):
    """No debugger, no testing shortcuts; CSRF and rate limits are on."""
    config = production_app.config
    assert not production_app.debug and not production_app.testing
    assert config["WTF_CSRF_ENABLED"] is True and config["RATELIMIT_ENABLED"] is True
    assert config["SECRET_KEY"] == STRONG_SECRET


def test_cookies_are_secure_httponly_and_samesite(production_app):
    """The session and remember-me cookies are Secure, HttpOnly and SameSite=Lax."""
    client = production_app.test_client()
    page = client.get("/auth/login", base_url=HTTPS)
    response = client.post(
        "/auth/login",
        data={
            "email": "prod@example.com",
            "password": "password123",
            "remember": "y",
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
        base_url=HTTPS,
        headers={
            "Referer": HTTPS + "/auth/login"
        },  # HTTPS CSRF checks the referrer, as browsers send
    )
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert {"session", "remember_token"} <= cookies.keys()
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]


def test_security_headers_on_pages_errors_and_api(production_app):
    """Every response forbids framing and sniffing, limits scripts to this site; HTTPS adds HSTS."""
    client = production_app.test_client()
    for path in ("/", "/auth/login", "/no-such-page", "/healthz"):
        headers = client.get(path, base_url=HTTPS).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] in (
            "same-origin",
            "strict-origin-when-cross-origin",
            "no-referrer",
        )
        assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_crash_shows_a_friendly_page_without_internals(production_app):
    """An unexpected error is a 500 page that says nothing about the code."""
    client = production_app.test_client()
    response = client.get("/crash-for-test", base_url=HTTPS)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "ZeroDivisionError" not in body and "app/" not in body
    as_json = client.get("/crash-for-test", base_url=HTTPS, headers={"Accept": "application/json"})
    assert as_json.get_json() == {"code": 500, "message": "Internal server error", "data": None}
