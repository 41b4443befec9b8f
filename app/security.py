"""Request authentication by bearer token, CSRF policy, security headers, and signed tokens.

A personal API token sent as `Authorization: Bearer <token>` authenticates a request on its own;
because a header is not an ambient credential (a browser never adds it by itself), such requests
skip the CSRF check that every cookie-authenticated form post must pass.
"""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, redirect, request, url_for
from flask import session as flask_session
from itsdangerous import URLSafeTimedSerializer

from app.errors import AppError, error_response
from app.extensions import csrf, db, login_manager
from app.models import ApiToken, PlainUser, TokenKind, User, utcnow
from app.models.user import hash_token
from app.responses import wants_json
from app.sessions.services import (
    StateRead,
    keep_page_session,
    keep_page_state,
    page_session_read,
    take_new_state,
)
from app.throttle import invalid_credential

# Blueprints that authenticate with their own API keys and never use cookies.
CSRF_EXEMPT_BLUEPRINTS = {"recruiter"}

LAST_USED_RESOLUTION = timedelta(minutes=1)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def bearer_secret() -> str | None:
    """The token in `Authorization: Bearer …`, if the request carries one."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return None


def find_active_token(secret: str, kind: str) -> ApiToken | None:
    """The unrevoked token of this kind whose hash matches the secret."""
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret), ApiToken.kind == kind)
    )
    if token is None or not token.is_active:
        return None
    return token


def authenticate_bearer() -> None:
    """Before each request: resolve a personal bearer token, refusing bad ones with 401."""
    g.bearer_user = None
    if request.blueprint in CSRF_EXEMPT_BLUEPRINTS:
        return
    secret = bearer_secret()
    if secret is None:
        return
    token = find_active_token(secret, TokenKind.PERSONAL)
    if token is None:
        invalid_credential(AppError("Invalid or revoked API token.", 401))
    now = utcnow()
    # Recorded at minute resolution: a script's every request need not be a database write.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    g.bearer_user = token.user


def enforce_csrf() -> None:
    """Check the CSRF token on state-changing requests that rely on the session cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if g.get("bearer_user") is not None or request.blueprint in CSRF_EXEMPT_BLUEPRINTS:
        return
    csrf.protect()


def set_security_headers(response: Response) -> Response:
    """Headers that keep pages from being framed, sniffed or fed third-party code."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # The interview page records spoken answers, from this origin only.
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(self), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "no-store" not in headers.get("Cache-Control", "") and signed_in_page():
        # A CV, a report or a token list must not linger in a shared browser's cache or a proxy.
        headers["Cache-Control"] = "no-store"
    return response


def signed_in_page() -> bool:
    """Whether this response was made for a signed-in user (static files are the same for all).

    Read from the session and the bearer token, without loading the user: an error response
    (say, a database that went away) must not need the database to get its headers."""
    if request.endpoint == "static":
        return False
    return "_user_id" in flask_session or g.get("bearer_user") is not None


def signer(salt: str) -> URLSafeTimedSerializer:
    """Signs and reads timed tokens with SECRET_KEY (report and recording links, measured
    delivery); each kind has its own `salt`, so a token of one kind is never accepted as another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def epoch_seconds() -> float:
    """The current time, as sign-in ids record it."""
    return time.time()


# Every signed-in request loads its user: a statement built once skips composing it and
# computing its cache key each time, as `Session.get` does.
USER_BY_ID = sa.select(User).where(User.id == sa.bindparam("user_id"))


@login_manager.user_loader
def load_user(sign_in_id: str) -> User | PlainUser | None:
    """Flask-Login's cookie loader; a bearer token, when present, wins.

    The cookie names a sign-in (`User.sign_in_id`): it opens the account only while the account's
    session version is unchanged (no sign-out or new password since) and for at most
    REMEMBER_COOKIE_DURATION after signing in, whatever the browser does with the cookie."""
    if g.get("bearer_user") is not None:
        return g.bearer_user
    parts = sign_in_id.split(":")
    if len(parts) != 4 or not all(part.isascii() and part.isdigit() for part in parts[:3]):
        return None  # an id from before sign-ins were versioned, or a broken one
    user_id, version, issued_at = (int(part) for part in parts[:3])
    if epoch_seconds() - issued_at > sign_in_lifetime().total_seconds():
        return None
    user = read_user(user_id)
    if user is None or user.session_version != version:
        return None
    return user


def read_user(user_id: int) -> User | PlainUser | None:
    """The user by id; on a page marked `read_with_user`, with its session in the same query
    (kept for `get_owned_session`), which spares the page a second query. A page marked with a
    `StateRead` gets the user as plain values (`PlainUser`) with its state's rows (kept for
    `kept_page_state`): a view served from a kept page builds no ORM object at all."""
    read = page_session_read(current_app.view_functions.get(request.endpoint or ""))
    session_id = (request.view_args or {}).get("session_id")
    if (
        isinstance(read, StateRead)
        and read.new_state is not None
        and isinstance(session_id, int)
        and take_new_state(user_id, session_id)
    ):
        read = read.new_state  # a first view of a new state: it renders from the objects
    if isinstance(read, StateRead) and not read.for_session:
        session_id = None  # the user's own page (history): read by the user alone
    elif read is None or not isinstance(session_id, int):
        return db.session.execute(USER_BY_ID, {"user_id": user_id}).scalar_one_or_none()
    if isinstance(read, StateRead):
        found = read.read(user_id, session_id)
        if found is None:
            return None
        user, rows = found
        keep_page_state(read, user, session_id, rows)
        return user
    assert session_id is not None  # only a `StateRead` reads without a session id
    params = {"user_id": user_id, "session_id": session_id}
    row = db.session.execute(read.with_user, params).unique().first()
    if row is None:
        return None
    user, session = row
    keep_page_session(read, user, session_id, session)
    return user


def sign_in_lifetime() -> timedelta:
    """How long any sign-in lasts at most: the remember-me duration."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=int(duration))


@login_manager.request_loader
def load_user_from_request(_request: object) -> User | None:
    """A request without a cookie session may still carry a valid bearer token."""
    return g.get("bearer_user")


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Scripts get a 401; browsers are sent to sign in and brought back afterwards."""
    if wants_json() or bearer_secret() is not None:
        return error_response(401, "Authentication required.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))  # type: ignore[return-value]


def register_security(app: Flask) -> None:
    """Wire bearer auth, the CSRF policy and the headers into the request cycle."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # enforce_csrf decides, after bearer auth
    app.before_request(authenticate_bearer)
    app.before_request(enforce_csrf)
    app.after_request(set_security_headers)
