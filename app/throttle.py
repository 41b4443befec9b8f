"""Failed credentials are counted, and past a limit refused for a while (429 with Retry-After).

Only failures count, so a correct password or key is never used up by other people's mistakes.
Sign-ins are counted per account from one address (`LOGIN_LIMIT`), per account from everywhere
(`LOGIN_ACCOUNT_LIMIT`) and per address over every account (`LOGIN_IP_LIMIT`): someone guessing one
account from an office's shared address locks only that account there, not a colleague's correct
password. Invalid API keys and bearer tokens are counted per address
(`INVALID_CREDENTIAL_LIMIT`). The counters live in the rate limiter's storage (memory or Redis),
keyed by a hash of the email, never the email itself.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import NoReturn

from flask import Flask, current_app
from flask_limiter.util import get_remote_address
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from app.errors import AppError
from app.extensions import limiter

log = logging.getLogger(__name__)

TOO_MANY_SIGN_INS = "Too many failed sign-ins. Wait a moment and try again."
TOO_MANY_INVALID = "Too many invalid API keys or tokens from this address. Wait and try again."


class TooManyAttempts(AppError):
    """Credentials refused for a while after repeated failures."""

    status = 429

    def __init__(self, message: str, retry_after_s: int):
        super().__init__(message)
        self.retry_after = str(retry_after_s)


# A counter: (the config key naming its limit, the identifiers it is counted by).
Counter = tuple[str, tuple[str, ...]]


def counting() -> bool:
    """Limits can be turned off (RATELIMIT_ENABLED), as tests do unless they test a limit."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


# Where failures are counted while the shared storage (Redis) cannot be reached: this process's
# memory, as the rate limits themselves fall back to, so a Redis outage degrades the limits to
# per-process ones instead of lifting them.
_in_memory_storage = MemoryStorage()
_in_memory = FixedWindowRateLimiter(_in_memory_storage)


def forget_in_memory_counts() -> None:
    """Clear the counts kept in memory during an outage (tests start each case from none)."""
    _in_memory_storage.reset()


def wait_seconds(counters: list[Counter], strategy: RateLimiter) -> int | None:
    """Seconds until every counter is below its limit again; None when none is at its limit."""
    waits = []
    for config_key, identifiers in counters:
        item = parse(current_app.config[config_key])
        if not strategy.test(item, *identifiers):
            reset_at = strategy.get_window_stats(item, *identifiers).reset_time
            waits.append(max(1, math.ceil(reset_at - time.time())))
    return max(waits) if waits else None


def record(counters: list[Counter], strategy: RateLimiter) -> None:
    """Count one failure on every counter."""
    for config_key, identifiers in counters:
        strategy.hit(parse(current_app.config[config_key]), *identifiers)


def guarded(action, counters: list[Counter]):
    """Run a counter action on the limiter's storage; when that storage cannot be reached, on
    this process's memory instead (logged), so sign-ins neither fail nor go uncounted."""
    if not counting():
        return None
    try:
        return action(counters, limiter.limiter)
    except storage_errors() as error:
        log.warning("Rate-limit storage unavailable, counting failures in memory: %s", error)
        return action(counters, _in_memory)


def storage_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable limiter storage raises (Redis' own errors, or limits' wrapper)."""
    backend = limiter.storage.base_exceptions  # one class or a tuple, depending on the storage
    return (
        StorageError,
        ConnectionError,
        TimeoutError,
        *(backend if isinstance(backend, tuple) else (backend,)),
    )


def sign_in_counters(email: str) -> list[Counter]:
    """The counters a sign-in to this email is held to."""
    address = get_remote_address() or "unknown"
    # Emails compare case-insensitively, as accounts do.
    account = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
    return [
        ("LOGIN_LIMIT", ("sign-in-failures", address, account)),
        ("LOGIN_ACCOUNT_LIMIT", ("sign-in-failures-account", account)),
        ("LOGIN_IP_LIMIT", ("sign-in-failures-address", address)),
    ]


def check_sign_in(email: str) -> None:
    """Refuse a sign-in attempt (before the password is checked) while a counter is full."""
    wait = guarded(wait_seconds, sign_in_counters(email))
    if wait is not None:
        raise TooManyAttempts(TOO_MANY_SIGN_INS, wait)


def sign_in_failed(email: str) -> None:
    """Count a failed sign-in."""
    guarded(record, sign_in_counters(email))


def invalid_credential(refusal: AppError) -> NoReturn:
    """Count an invalid API key or bearer token from this address and raise the refusal — or,
    once the address has sent too many, a 429 with Retry-After instead."""
    counters: list[Counter] = [
        ("INVALID_CREDENTIAL_LIMIT", ("invalid-credentials", get_remote_address() or "unknown"))
    ]
    wait = guarded(wait_seconds, counters)
    if wait is not None:
        raise TooManyAttempts(TOO_MANY_INVALID, wait)
    guarded(record, counters)
    raise refusal


# Limits the limiter's own before-request check would count on every route; with none of them
# set, only routes decorated with a limit have anything to count, and they count it themselves.
APP_WIDE_LIMIT_KEYS = (
    "RATELIMIT_DEFAULT",
    "RATELIMIT_APPLICATION",
    "RATELIMIT_META",
    "RATELIMIT_IN_MEMORY_FALLBACK",
)


def check_limits_only_where_set(app: Flask) -> None:
    """Drop the limiter's per-request check when no app-wide limit is configured.

    Each route with a limit (`@limiter.limit`, `shared_limit`) checks it in its own decorator, so
    the before-request check only ever applies default, application-wide or meta limits. With
    none set it counts nothing, yet costs every request (pages, `/healthz`) the limit lookup.
    """
    if any(app.config.get(key) for key in APP_WIDE_LIMIT_KEYS):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [
        hook for hook in hooks if hook != limiter._check_request_limit
    ]
