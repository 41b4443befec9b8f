"""Absolute links handed to recruiters and candidates.

Links leave the app (in JSON, in webhooks, in emails a recruiter sends), so they are absolute:
`PUBLIC_BASE_URL` when it is set — the address people actually reach behind a proxy — else the
host of the current request.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of an endpoint."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def url_context() -> AbstractContextManager[Any]:
    """A request context to build URLs in, when there is none (a CLI command or a worker)."""
    if has_request_context():
        return nullcontext()
    # Only the path is used when PUBLIC_BASE_URL is set; without it, localhost is all we know.
    return current_app.test_request_context("/", base_url="http://localhost")
