"""Reading the recruiter API's JSON bodies: each helper returns a clean value or raises a 400.

The messages name the field, because the reader is a developer wiring up a script.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request

from app.errors import ValidationFailed


def json_body() -> dict[str, Any]:
    """The request's JSON object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    return body


def text(body: dict[str, Any], name: str, *, max_len: int, required: bool = True) -> str | None:
    """A string field, stripped; None when optional and absent or blank."""
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # ids sent as numbers are still ids
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be a string.")
    value = value.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    if len(value) > max_len:
        raise ValidationFailed(f"{name} must be at most {max_len} characters.")
    return value


def integer(body: dict[str, Any], name: str, *, low: int, high: int, default: int) -> int:
    """A whole number within [low, high]; the default when absent."""
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, str) and is_ascii_digits(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"{name} must be a whole number.")
    if not low <= value <= high:
        raise ValidationFailed(f"{name} must be between {low} and {high}.")
    return value


def is_ascii_digits(value: Any) -> bool:
    """A string of 0-9 only ("²" and other Unicode digits are not numbers `int` accepts)."""
    return isinstance(value, str) and value.strip().isascii() and value.strip().isdigit()


def identifier(body: dict[str, Any], name: str) -> int:
    """A required positive integer id."""
    value = body.get(name)
    if isinstance(value, str) and is_ascii_digits(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed(f"{name} is required and must be a positive integer.")
    return value


def skills(body: dict[str, Any], name: str) -> list[str] | None:
    """A list of skill names (a comma-separated string is accepted); None when absent."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationFailed(f"{name} must be a list of strings.")
    names = list(dict.fromkeys(" ".join(item.split()) for item in value if item.strip()))
    if len(names) > 30 or any(len(item) > 80 for item in names):
        raise ValidationFailed(f"{name} takes at most 30 skills of at most 80 characters each.")
    return names


def webhook_url(body: dict[str, Any], name: str) -> str | None:
    """An http(s) URL that may receive webhooks; None when absent."""
    value = text(body, name, max_len=2000, required=False)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(f"{name} must be an http or https URL.")
    if not current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", False) and is_private_host(
        parts.hostname
    ):
        raise ValidationFailed(f"{name} must be a public address, not a private or local one.")
    return value


def is_private_host(host: str) -> bool:
    """Whether a host name is literally local or a non-public IP (names are checked on delivery)."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if not address.is_global or address in NAT64_LOCAL:
        return True
    return any(not v4.is_global for v4 in embedded_ipv4(address))


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052) and the
# deprecated IPv4-compatible form (RFC 4291). A gateway or stack translating them would connect to
# that IPv4 address, so it is the one that must be public.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local-use, never global
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address reaches through a translation form: mapped
    (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), IPv4-compatible (::a.b.c.d), 6to4 (2002::/16)
    and Teredo (2001::/32, server and client). None for a plain address."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in NAT64 or address in IPV4_COMPATIBLE:
        found.append(low32)
    return [v4 for v4 in found if v4 is not None]


def expiry(body: dict[str, Any], name: str) -> datetime | None:
    """An ISO 8601 date (valid to the end of that day, UTC) or datetime, as naive UTC; only
    future moments are accepted."""
    raw = text(body, name, max_len=40, required=False)
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            moment = datetime.combine(date.fromisoformat(raw), time.max)
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            f"{name} must be an ISO 8601 date (2025-12-31) or datetime (2025-12-31T18:00:00Z)."
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if moment <= datetime.now(UTC).replace(tzinfo=None):
        raise ValidationFailed(f"{name} must be in the future.")
    return moment
