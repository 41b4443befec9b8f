"""Webhooks: when an invited candidate's interview is evaluated, tell the recruiter.

`interview_evaluated` (sent by the feedback package after the evaluation is committed) marks the
invite Completed and, when the plan has a `notification_url`, POSTs the completed report JSON
there (plus `interview_recording_expires_at` when it links recordings: the links last
RECORDING_LINK_TTL_S and the API's report hands out fresh ones). The body is built and signed
when the evaluation is stored — `X-Signature: sha256=<hex>`, HMAC-SHA256 of the exact body
bytes with the owner's webhook secret (see `signing`) — and handed to a job on the queue
(`deliver_webhook`), so a slow or broken receiver never holds up the candidate's page and pending
deliveries survive a restart of every process.

Each attempt (status code or error) is a `webhook_deliveries` row, the record of what was sent.
A 2xx answer is delivered and never sent again; anything else is retried by the queue up to
`WEBHOOK_MAX_ATTEMPTS` times, `WEBHOOK_BACKOFF_BASE_S × 2^(attempt−1)` seconds apart (capped at
`WEBHOOK_BACKOFF_MAX_S`); each POST times out after `WEBHOOK_TIMEOUT_S`. Redirects are not
followed. Unless `WEBHOOK_ALLOW_PRIVATE_TARGETS` is set, a host that resolves to a private or
local address is refused, so a plan cannot make the server probe its own network; the name is
looked up once per attempt and the POST goes to the address that was checked (no second lookup
to rebind).
`flask webhooks pending` / `flask webhooks redeliver` list and resend (in the foreground) what
never arrived, e.g. once a broken receiver is fixed after its attempts ran out.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import certifi
import sqlalchemy as sa
import urllib3
from flask import Flask, current_app
from huey.exceptions import RetryTask

from app.extensions import db
from app.jobs import enqueue, job
from app.models import (
    ApiToken,
    InterviewPlan,
    InterviewSession,
    Invite,
    InviteStatus,
    TokenKind,
    WebhookDelivery,
)
from app.recruiter.invites import invite_plan
from app.recruiter.links import LinkBaseMissing, url_context
from app.recruiter.payload import is_private_host
from app.recruiter.reports import settle_status, webhook_report
from app.recruiter.signing import signature_header, webhook_secret
from app.signals import interview_evaluated

log = logging.getLogger(__name__)

USER_AGENT = "InterviewCoach-Webhook/1"
DELIVERY_JOB = "deliver_webhook"


@dataclass(frozen=True)
class Delivery:
    """One report on its way to one receiver: the exact bytes and their signature."""

    invite_id: int
    url: str
    body: bytes
    signature: str


def signing_key(owner_id: int, plan: InterviewPlan | None = None) -> ApiToken | None:
    """The key whose secret signs a webhook: the key that created the plan while it is active,
    else the owner's oldest active recruiter key."""
    if plan is not None and plan.api_token_id is not None:
        key = db.session.get(ApiToken, plan.api_token_id)
        if key is not None and key.is_active:
            return key
    return db.session.scalar(
        sa.select(ApiToken)
        .where(
            ApiToken.user_id == owner_id,
            ApiToken.kind == TokenKind.RECRUITER,
            ApiToken.revoked_at.is_(None),
        )
        .order_by(ApiToken.created_at, ApiToken.id)
        .limit(1)
    )


def encode(report: dict[str, Any]) -> bytes:
    """The body as sent and signed."""
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def prepare(invite: Invite, url: str, attempt: int = 1) -> Delivery | None:
    """The signed delivery of an invite's completed report; None (recorded as attempt number
    `attempt`) without a key."""
    key = signing_key(invite.owner_id, invite_plan(invite))
    if key is None:
        record(invite.id, url, attempt, None, "No active API key to sign the webhook with.", False)
        return None
    try:
        with url_context():
            body = encode(webhook_report(invite))
    except LinkBaseMissing as missing:
        # Nothing goes out with links on a guessed host; `flask webhooks pending` shows why.
        record(invite.id, url, attempt, None, missing.message, False)
        return None
    return Delivery(invite.id, url, body, signature_header(webhook_secret(key), body))


def on_interview_evaluated(sender: Flask, session: InterviewSession, **_: Any) -> None:
    """Mark the session's invite Completed and queue its webhook, if it came from an invite."""
    invite = db.session.scalar(sa.select(Invite).where(Invite.session_id == session.id))
    if invite is None:
        return
    settle_status(invite)
    db.session.commit()  # the evaluation is already committed; this listener owns its own write
    url = invite_plan(invite).notification_url
    if not url:
        return
    first = attempts_recorded(invite.id) + 1
    delivery = prepare(invite, url, first)
    if delivery is not None:
        body = delivery.body.decode("utf-8")
        enqueue(DELIVERY_JOB, invite.id, url, body, delivery.signature, first)


interview_evaluated.connect(on_interview_evaluated)


def attempts_recorded(invite_id: int) -> int:
    """The highest attempt number recorded for an invite (0: never tried)."""
    return (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(WebhookDelivery.attempt), 0)).where(
                WebhookDelivery.invite_id == invite_id
            )
        )
        or 0
    )


def was_delivered(invite_id: int) -> bool:
    """Whether a receiver has already acknowledged the invite's report."""
    return (
        db.session.scalar(
            sa.select(WebhookDelivery.id)
            .where(WebhookDelivery.invite_id == invite_id, WebhookDelivery.delivered.is_(True))
            .limit(1)
        )
        is not None
    )


def delivery_subject(invite_id: int, url: str, *_: object) -> str:
    """A delivery as an operator needs it: the invite and where it goes (not its body)."""
    return f"invite {invite_id} to {url}"


@job(DELIVERY_JOB, subject=delivery_subject)
def deliver_report(invite_id: int, url: str, body: str, signature: str, first_attempt: int) -> None:
    """One attempt to POST the signed body built when the interview was evaluated (every retry
    sends the same bytes); a failure that may pass is retried by the queue after `backoff_s`,
    until WEBHOOK_MAX_ATTEMPTS attempts from `first_attempt`."""
    if db.session.get(Invite, invite_id) is None or was_delivered(invite_id):
        return  # deleted, or delivered by an earlier run: never twice
    attempt = attempts_recorded(invite_id) + 1
    delivery = Delivery(invite_id, url, body.encode("utf-8"), signature)
    status, error, retry = post_once(delivery, attempt)
    record(invite_id, url, attempt, status, error, error is None)
    made = attempt - first_attempt + 1
    if error is None:
        return
    if not retry or made >= max(1, int(current_app.config["WEBHOOK_MAX_ATTEMPTS"])):
        log.warning("Webhook for invite %s not delivered to %s", invite_id, url)
        return
    raise RetryTask(f"attempt {attempt}: {error}", delay=backoff_s(made))


@dataclass(frozen=True)
class Pending:
    """A completed invite whose report never reached its plan's notification URL."""

    invite: Invite
    url: str
    attempts: int  # recorded so far
    last_error: str | None


def pending_deliveries(invite_id: int | None = None) -> list[Pending]:
    """Completed invites with a notification URL and no delivered attempt, oldest first (one
    invite when `invite_id` is given)."""
    delivered = sa.select(WebhookDelivery.invite_id).where(WebhookDelivery.delivered.is_(True))
    query = (
        sa.select(Invite, InterviewPlan.notification_url)
        .join(InterviewPlan, InterviewPlan.id == Invite.plan_id)
        .where(
            Invite.status == InviteStatus.COMPLETED,
            sa.func.coalesce(InterviewPlan.notification_url, "") != "",
            Invite.id.not_in(delivered),
        )
        .order_by(Invite.completed_at, Invite.id)
    )
    if invite_id is not None:
        query = query.where(Invite.id == invite_id)
    pending = []
    for invite, url in db.session.execute(query):
        last = db.session.scalar(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.invite_id == invite.id)
            .order_by(WebhookDelivery.attempt.desc(), WebhookDelivery.id.desc())
            .limit(1)
        )
        pending.append(
            Pending(invite, str(url), last.attempt if last else 0, last.error if last else None)
        )
    return pending


def redeliver(item: Pending) -> bool:
    """Send an undelivered report again: rebuilt from the stored evaluation, signed with the
    plan's current key, to the plan's current URL, with the usual retries."""
    delivery = prepare(item.invite, item.url, attempt=item.attempts + 1)
    return delivery is not None and deliver(delivery, first_attempt=item.attempts + 1)


def backoff_s(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    config = current_app.config
    base = float(config.get("WEBHOOK_BACKOFF_BASE_S", 5.0))
    return min(float(config.get("WEBHOOK_BACKOFF_MAX_S", 60.0)), base * 2 ** (attempt - 1))


def deliver(delivery: Delivery, first_attempt: int = 1) -> bool:
    """POST until a 2xx answer or the attempts run out, recording every attempt (numbered from
    `first_attempt`, so a redelivery continues the invite's history)."""
    attempts = max(1, int(current_app.config["WEBHOOK_MAX_ATTEMPTS"]))
    for n in range(1, attempts + 1):
        attempt = first_attempt + n - 1
        status, error, retry = post_once(delivery, attempt)
        ok = error is None
        record(delivery.invite_id, delivery.url, attempt, status, error, ok)
        if ok:
            return True
        if not retry:
            break
        if n < attempts:
            time.sleep(backoff_s(n))
    log.warning("Webhook for invite %s not delivered to %s", delivery.invite_id, delivery.url)
    return False


def post_once(delivery: Delivery, attempt: int) -> tuple[int | None, str | None, bool]:
    """One POST: (status code, error or None when delivered, whether a retry may help)."""
    address, refused, retryable = vetted_address(delivery.url)
    if address is None:
        return None, refused, retryable
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Signature": delivery.signature,
        "X-Webhook-Event": "interview.completed",
        "X-Webhook-Attempt": str(attempt),
    }
    try:
        status = post_to_address(delivery.url, address, delivery.body, headers)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000], True
    if 200 <= status < 300:
        return status, None, True
    return status, f"HTTP {status}", True


def vetted_address(url: str) -> tuple[str | None, str | None, bool]:
    """The address to connect to, resolved once and checked: (address, None, True), or
    (None, why not, whether trying again later may help — a failed lookup may, a private
    address will not). The POST goes to this very address, so a name that resolves to a
    public address for the check and a private one for the connection (DNS rebinding) cannot
    reach the server's own network."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        found = socket.getaddrinfo(host, parts.port or 80, type=socket.SOCK_STREAM)
    except OSError as exc:
        return None, f"Cannot resolve {host}: {exc}", True
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        return None, f"Cannot resolve {host}: no address", True
    if not current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", False) and (
        is_private_host(host) or any(is_private_host(address) for address in addresses)
    ):
        return None, f"Refused: {host} is a private or local address.", False
    return addresses[0], None, True


def post_to_address(url: str, address: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url`, connecting to `address` (TLS still verifies the URL's host name);
    no redirects followed, no retries here. Returns the status code."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    timeout = urllib3.Timeout(total=float(current_app.config["WEBHOOK_TIMEOUT_S"]))
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, parts.port or 443, timeout=timeout, retries=False,
            server_hostname=host, assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=current_app.config.get("WEBHOOK_CA_BUNDLE") or certifi.where(),
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, parts.port or 80, timeout=timeout, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    with pool:
        response = pool.urlopen(
            "POST", path, body=body, headers={**headers, "Host": parts.netloc},
            redirect=False, assert_same_host=False, preload_content=True,
        )  # fmt: skip
    return int(response.status)


def record(
    invite_id: int, url: str, attempt: int, status: int | None, error: str | None, ok: bool
) -> None:
    """Store one attempt (committed at once: a later crash must not erase the history)."""
    db.session.add(
        WebhookDelivery(
            invite_id=invite_id, url=url, attempt=attempt, status_code=status, error=error,
            delivered=ok,
        )
    )  # fmt: skip
    db.session.commit()  # kept even when the delivery job fails after it
