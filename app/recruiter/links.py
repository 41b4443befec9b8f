"""Absolute links handed to recruiters and candidates.

Links leave the app (in JSON, in signed webhooks, in emails a recruiter sends), so they are
absolute, and anyone can send any `Host` header: a candidate completing with `Host: evil.example`
must not put evil.example into the recruiter's webhook, where an integration fetching `pdf_link`
would send its API key. So the base of a link is, in order:

1. `PUBLIC_BASE_URL` — the address people actually reach, behind any proxy;
2. the request's host when `TRUSTED_HOSTS` is set (Flask answers 400 to any other Host, so a
   request that got this far came to a trusted name);
3. the request's host as given only when `TRUST_REQUEST_HOST` is on (development and tests).

Otherwise — production with neither setting — building a link raises `LinkBaseMissing`: the
recruiter API refuses every request with a message naming the setting, and webhooks are recorded
as undelivered with that reason until the base is configured and they are redelivered.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import current_app, has_request_context, url_for

from app.errors import AppError

log = logging.getLogger(__name__)

LINK_BASE_MISSING = (
    "This server cannot build links: set PUBLIC_BASE_URL (or TRUSTED_HOSTS) in its configuration."
)
OUTSIDE_REQUEST_BASE_MISSING = (
    "Links built outside a request (webhook redelivery) need PUBLIC_BASE_URL to be set."
)


class LinkBaseMissing(AppError):
    """Production has no trusted base for absolute links (a configuration fault, hence 500)."""

    status = 500


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of an endpoint, on a base no request header can change."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    require_link_base()
    return url_for(endpoint, _external=True, **values)


def require_link_base() -> None:
    """Raise `LinkBaseMissing` unless absolute links can be built from a trusted base."""
    config = current_app.config
    if config.get("PUBLIC_BASE_URL") or config.get("TRUST_REQUEST_HOST"):
        return
    if has_request_context() and config.get("TRUSTED_HOSTS"):
        return
    log.error("Absolute link refused: neither PUBLIC_BASE_URL nor TRUSTED_HOSTS is set")
    raise LinkBaseMissing(LINK_BASE_MISSING)


def url_context() -> AbstractContextManager[Any]:
    """A request context to build URLs in, when there is none (a CLI command or a worker)."""
    if has_request_context():
        return nullcontext()
    config = current_app.config
    if not (config.get("PUBLIC_BASE_URL") or config.get("TRUST_REQUEST_HOST")):
        # No request means no host TRUSTED_HOSTS could vouch for: only the base will do.
        raise LinkBaseMissing(OUTSIDE_REQUEST_BASE_MISSING)
    # Only the path is used when PUBLIC_BASE_URL is set (whose host TRUSTED_HOSTS, if set, must
    # trust: the configuration checks it); without it, in development, localhost is all we know.
    base = config.get("PUBLIC_BASE_URL") or "http://localhost"
    return current_app.test_request_context("/", base_url=base)
