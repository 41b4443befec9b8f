"""Secrets derived from SECRET_KEY: signed report and recording links, webhook signatures.

Report links carry `{"r": <response_id>}` signed with itsdangerous (salt "recruiter-report-link")
and a timestamp; they are accepted for `REPORT_LINK_TTL_S` seconds (default 24 hours). Anyone with
the link can read that one report, so the link is all that is shared — no key, no account.

Recording links carry `{"i": <response_id>, "r": <recording id>}` (salt "recruiter-recording-link")
and are accepted for `RECORDING_LINK_TTL_S` seconds (default one hour): they serve one recording
of that invite's interview, and a report fetched later hands out fresh ones.

Webhook secret: every recruiter API key has one, derived rather than stored:
``hex(HMAC-SHA256(SECRET_KEY, "recruiter-webhook:<api key id>"))``. A delivery carries
``X-Signature: sha256=<hex HMAC-SHA256(webhook secret, raw request body)>``; the receiver
recomputes it over the bytes it received and compares in constant time. Revoking the key retires
its secret; changing SECRET_KEY changes every secret.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired

from app.errors import AppError, Forbidden, NotFound
from app.models import ApiToken
from app.security import signer

REPORT_LINK_SALT = "recruiter-report-link"  # noqa: S105 - a namespace, not a secret
RECORDING_LINK_SALT = "recruiter-recording-link"  # noqa: S105 - a namespace, not a secret
WEBHOOK_SECRET_LABEL = "recruiter-webhook:"  # noqa: S105 - a label, not a secret


class LinkExpired(AppError):
    """A signed link past its lifetime."""

    status = 410


def sign_report_link(response_id: int) -> str:
    """A token naming one report, valid for REPORT_LINK_TTL_S from now."""
    return str(signer(REPORT_LINK_SALT).dumps({"r": response_id}))


def read_report_link(token: str) -> int:
    """The response id a token names; 410 when it has expired, 404 when it was tampered with."""
    max_age = int(current_app.config["REPORT_LINK_TTL_S"])
    try:
        payload = signer(REPORT_LINK_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired("This report link has expired. Ask for a new one.") from None
    except BadSignature:
        raise NotFound("This report link is not valid.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise NotFound("This report link is not valid.")
    return int(payload["r"])


def sign_recording_link(response_id: int, recording_id: int) -> str:
    """A token naming one recording of one invite's interview, valid for RECORDING_LINK_TTL_S."""
    return str(signer(RECORDING_LINK_SALT).dumps({"i": response_id, "r": recording_id}))


def read_recording_link(token: str) -> tuple[int, int]:
    """(response id, recording id) a token names; 403 when it has expired, 404 when it was
    tampered with."""
    max_age = int(current_app.config["RECORDING_LINK_TTL_S"])
    try:
        payload = signer(RECORDING_LINK_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise Forbidden("This recording link has expired. Fetch the report again.") from None
    except BadSignature:
        raise NotFound("This recording link is not valid.") from None
    ids = (payload.get("i"), payload.get("r")) if isinstance(payload, dict) else (None, None)
    if not all(isinstance(value, int) for value in ids):
        raise NotFound("This recording link is not valid.")
    return int(ids[0]), int(ids[1])  # type: ignore[arg-type]


def webhook_secret(api_key: ApiToken) -> str:
    """The webhook signing secret of one API key (see the module docstring)."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    message = f"{WEBHOOK_SECRET_LABEL}{api_key.id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes) -> str:
    """The X-Signature value for a body: `sha256=<hex digest>`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
