"""App-wide behaviour: configuration, security headers, error pages in HTML and JSON, admin CLI."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import create_app
from app.config import engine_options
from app.extensions import db, end_database_session
from tests.conftest import JSON


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    """APP_ENV=production with no (or the default) SECRET_KEY raises: nothing starts."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "dev-only-secret-change-me")
    with pytest.raises(RuntimeError):
        create_app("production")


def test_production_cookies_are_secure(monkeypatch):
    """Production sets Secure, HttpOnly and SameSite on session and remember cookies."""
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_database_pool_holds_a_connection_per_worker_thread(monkeypatch, tmp_path):
    """A file or server database gets a pool sized for the worker threads (overflow connections
    are closed on return, so a small pool reconnects on every request), pinged on checkout when
    each checkout is pinged; a SQLite file waits
    30 s for its write lock; in-memory SQLite keeps its single connection;
    explicit engine options win."""
    monkeypatch.setenv("DATABASE_POOL_SIZE", "16")
    url = f"sqlite:///{tmp_path / 'pool.sqlite3'}"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "pool_size": 16,
        "max_overflow": 20,
        "connect_args": {"timeout": 30.0},  # writers queue for SQLite's one write lock
    }
    with app.app_context():
        from app.extensions import db

        assert db.engine.pool.size() == 16
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    assert engine_options("postgresql+psycopg://db/app")["pool_pre_ping"] is True
    memory = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert memory.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}
    chosen = {"connect_args": {"timeout": 30}}
    overrides = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": chosen}
    assert create_app("testing", overrides=overrides).config["SQLALCHEMY_ENGINE_OPTIONS"] == chosen


def test_security_headers_on_every_page(client):
    """Pages forbid framing, sniffing and third-party scripts."""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no third-party origin allowed
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_in_html_and_json(client):
    """A missing page is a friendly 404 page, or the JSON envelope."""
    page = client.get("/no-such-page")
    assert page.status_code == 404 and b"Not found" in page.data
    body = client.get("/no-such-page", headers=JSON).get_json()
    assert body == {"code": 404, "message": body["message"], "data": None}


def test_users_cli_creates_and_lists(runner):
    """`flask users create` makes an admin that `flask users list` shows."""
    result = runner.invoke(
        args=["users", "create", "admin@example.com", "--admin", "--password", "password123"]
    )
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"])
    assert "admin@example.com" in listing.output and "admin" in listing.output


def test_shell_context_has_db_and_models(app):
    """`flask shell` starts with db, sa and the models."""
    context = {}
    for processor in app.shell_context_processors:
        context.update(processor())
    assert {"db", "sa", "User", "Resume", "ApiToken"} <= set(context)


def test_teardown_discards_a_session_whose_connection_was_cut(app, monkeypatch, caplog):
    """The end of a request closes the session; when the close fails because the database cut
    the connection, the session is invalidated and released instead of the error escaping."""
    db.session.execute(sa.text("SELECT 1"))  # a read left open, as a page leaves it
    close = Session.close
    failures = []

    def cut_once(self: Session) -> None:
        if not failures:
            failures.append(self)
            raise DBAPIError("ROLLBACK", None, Exception("server closed the connection"))
        close(self)

    monkeypatch.setattr(Session, "close", cut_once)
    end_database_session()
    assert failures and not db.session.registry.has()
    assert "database connection lost" in caplog.text
