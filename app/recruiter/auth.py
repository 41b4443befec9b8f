"""API-key authentication and the per-key rate limit of the recruiter API.

A key is sent as `X-API-Key: <key>` or `Authorization: Bearer <key>`. Only recruiter-kind tokens
count; a personal API token is refused like any wrong key. The limit (`RECRUITER_API_LIMIT`) is
counted per key — by the SHA-256 of what was presented — and shared by every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, request

from app.errors import AppError
from app.extensions import db, limiter
from app.models import ApiToken, TokenKind, User, utcnow
from app.models.user import hash_token
from app.recruiter.links import require_link_base
from app.security import bearer_secret, find_active_token
from app.throttle import invalid_credential

F = TypeVar("F", bound=Callable[..., Any])


class Unauthorized(AppError):
    """No API key, or one that is wrong or revoked."""

    status = 401


def presented_key() -> str | None:
    """The API key the request carries, from X-API-Key or a bearer header."""
    return request.headers.get("X-API-Key", "").strip() or bearer_secret()


def rate_limit_key() -> str:
    """The rate-limit bucket: one per key presented (its hash; the key itself is never stored)."""
    return "recruiter-key:" + hash_token(presented_key() or "")


def authenticate() -> ApiToken:
    """The active recruiter key of this request, or 401."""
    secret = presented_key()
    if not secret:
        raise Unauthorized("API key required: send it as X-API-Key or Authorization: Bearer.")
    token = find_active_token(secret, TokenKind.RECRUITER)
    if token is None:
        invalid_credential(Unauthorized("Invalid or revoked API key."))
    token.last_used_at = utcnow()
    db.session.commit()  # the key's last use is kept whatever the request does next
    return token


api_rate_limit = limiter.shared_limit(
    lambda: current_app.config["RECRUITER_API_LIMIT"],
    scope="recruiter-api",
    key_func=rate_limit_key,
)


def api_key_required(view: F) -> F:
    """Authenticate the key first, then count the request against that key's limit."""
    limited = api_rate_limit(view)

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.api_key = authenticate()
        # Fail before any write when links (in its answers and webhooks) cannot be built.
        require_link_base()
        return limited(*args, **kwargs)

    return cast(F, wrapper)


def current_recruiter() -> User:
    """The owner of the key that authenticated this request."""
    return g.api_key.user
