"""Fixtures for the AI layer: fake provider servers on 127.0.0.1 and a guard against the network."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from tests.support.fake_servers import FakeGemini, FakeOpenAI

_real_connect = socket.socket.connect


def _local_only_connect(self: socket.socket, address) -> None:
    """Refuse any connection that would leave this machine."""
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise ConnectionRefusedError(f"tests may not reach {host}")
    _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test in this package reaches the network, whatever a provider is configured with."""
    monkeypatch.setattr(socket.socket, "connect", _local_only_connect)


@pytest.fixture
def gemini_server() -> Iterator[FakeGemini]:
    """A fake Gemini API."""
    server = FakeGemini().start()
    yield server
    server.stop()


@pytest.fixture
def openrouter_server() -> Iterator[FakeOpenAI]:
    """A fake OpenRouter (OpenAI-compatible, under /api/v1)."""
    server = FakeOpenAI("/api/v1").start()
    yield server
    server.stop()


@pytest.fixture
def compat_server() -> Iterator[FakeOpenAI]:
    """A fake local OpenAI-compatible server (under /v1, like Ollama or vLLM)."""
    server = FakeOpenAI("/v1").start()
    yield server
    server.stop()
