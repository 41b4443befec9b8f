"""Webhook targets (SSRF): an IPv6 address that carries an IPv4 one — mapped, NAT64,
IPv4-compatible, 6to4, Teredo — is judged by the IPv4 address it reaches, both when a plan's
notification_url is saved and when a receiver's name resolves at delivery."""

from __future__ import annotations

import socket

import pytest
from flask import Flask

from tests.support.sessions import SAMPLE_JD
from tests.support.users import issue_token, make_user

# IPv6 forms that reach a loopback, private or link-local (cloud metadata) IPv4 address.
PRIVATE_BEHIND_IPV6 = [
    "::ffff:127.0.0.1",  # IPv4-mapped
    "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254
    "64:ff9b::a00:5",  # NAT64 to 10.0.0.5
    "64:ff9b:1::a00:5",  # local-use NAT64 (RFC 8215)
    "::127.0.0.1",  # IPv4-compatible
    "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
]
# The same forms around public IPv4 addresses, and plain public IPv6: still allowed.
PUBLIC_BEHIND_IPV6 = ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"]


@pytest.fixture
def recruiter_key(app: Flask) -> str:
    """A recruiter API key, with private webhook targets refused as in production."""
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    return issue_token(make_user("hooks@example.com", fast_hash=True), "ats", kind="recruiter")


def create_plan(app: Flask, key: str, url: str):
    """POST a plan whose notification_url is `url`."""
    body = {
        "name": "Backend",
        "job_role": "Backend Engineer",
        "job_description": SAMPLE_JD,
        "notification_url": url,
    }
    return app.test_client().post("/ai-interviews", json=body, headers={"X-API-Key": key})


@pytest.mark.parametrize("address", PRIVATE_BEHIND_IPV6)
def test_notification_url_on_a_translated_private_address_is_refused(app, recruiter_key, address):
    """A literal IPv6 notification_url that reaches a private IPv4 address is a 400."""
    response = create_plan(app, recruiter_key, f"https://[{address}]:8443/hook")
    assert response.status_code == 400
    assert "public address" in response.get_json()["error"]


@pytest.mark.parametrize("address", PUBLIC_BEHIND_IPV6)
def test_notification_url_on_a_public_address_is_kept(app, recruiter_key, address):
    """The same forms around a public IPv4 address (and plain public IPv6) are accepted."""
    response = create_plan(app, recruiter_key, f"https://[{address}]/hook")
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("address", PRIVATE_BEHIND_IPV6)
def test_a_name_resolving_to_a_translated_private_address_is_not_posted_to(
    app, monkeypatch, address
):
    """At delivery, a receiver's name that resolves to such an address is refused for good."""
    from app.recruiter.webhooks import vetted_address

    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False

    def dns(host, port=None, *args, **kwargs):
        assert host == "rebind.test"
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port or 80, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    found, why, retry = vetted_address("https://rebind.test/hook")
    assert found is None and "private or local" in (why or "") and retry is False
