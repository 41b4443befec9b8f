"""Fixtures for the fault suite: a fake OpenAI-compatible server that breaks on command, per task.

The app's router is replaced (the injection point `app.ai.tasks` documents) by one over the real
`OpenAICompatProvider` pointed at the fake, with short timeouts and sleeps skipped, so every fault
travels the real HTTP path: requests → provider error mapping → router retries → the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.ai.providers import OfflineProvider, OpenAICompatProvider
from app.ai.router import Router, RouterSettings
from app.config import config_for
from app.extensions import db
from tests.ai.conftest import no_network  # noqa: F401 - no test here may leave the machine
from tests.conftest import build_app, empty_tables, prepare_schema
from tests.security.conftest import forget_identity_per_request
from tests.support.fake_servers import (
    SCHEMA_TITLES,
    FakeOpenAI,
    Received,
    Reply,
    openai_error,
    openai_reply,
)
from tests.support.router import install_router

TASK_SCHEMAS = {
    "plan_questions": "QuestionPlan",
    "follow_up": "FollowUpQuestion",
    "evaluate_answers": "EvaluationBatch",
    "summarize_interview": "InterviewSummary",
}
_SCHEMA = re.compile(r'"title":\s*"(' + "|".join(SCHEMA_TITLES) + r')"')
TIMEOUT_S = 0.3

# Each way a provider fails, as it arrives over the wire.
FAULTS = {
    "timeout": lambda: Reply(openai_reply({}).body, delay=TIMEOUT_S * 5),
    "429": lambda: openai_error(429, "Rate limit reached", headers={"Retry-After": "1"}),
    "5xx": lambda: openai_error(503, "upstream overloaded"),
    "garbage": lambda: openai_reply("<html><body>502 Bad Gateway</body></html> {{{"),
    "schema-invalid": lambda: openai_reply(
        {"questions": "none", "question": ["?"], "evaluations": {}, "strengths": 5}
    ),
}


class FaultyOpenAI(FakeOpenAI):
    """A fake chat-completions server that answers validly unless a task is told to fail."""

    def __init__(self) -> None:
        super().__init__("/v1")
        self.failing: dict[str, str] = {}  # schema title -> fault name
        self.calls: dict[str, int] = {}

    def break_task(self, task: str, fault: str) -> None:
        """Make every call for `task` fail in the given way, until `heal`."""
        self.failing[TASK_SCHEMAS[task]] = fault

    def heal(self) -> None:
        """Answer every task validly again."""
        self.failing.clear()

    def default_reply(self, received: Received) -> Reply:
        """The fault for this task, if one is set; otherwise the fake's valid answer."""
        match = _SCHEMA.search(received.text())
        title = match.group(1) if match else ""
        self.calls[title] = self.calls.get(title, 0) + 1
        fault = self.failing.get(title)
        return FAULTS[fault]() if fault else super().default_reply(received)


@pytest.fixture
def provider_server() -> Iterator[FaultyOpenAI]:
    """The fake provider on 127.0.0.1."""
    server = FaultyOpenAI().start()
    yield server
    server.stop()


def route_through(app: Flask, server: FaultyOpenAI, *, with_offline: bool) -> Router:
    """Route the app's AI through the fake (then the offline interviewer, when asked)."""
    remote = OpenAICompatProvider(
        name="openai_compatible", base_url=server.base_url, model="fake-llm-1"
    )
    providers = [remote, OfflineProvider()] if with_offline else [remote]
    settings = RouterSettings(
        timeout_s=TIMEOUT_S,
        max_attempts=2,
        deadline_s=10,
        backoff_base_s=0.01,
        backoff_max_s=0.02,
        cooldown_s=0,
        cooldown_failures=99,
    )
    return install_router(app, *providers, settings=settings)


@pytest.fixture
def remote_only(app: Flask, provider_server: FaultyOpenAI) -> FaultyOpenAI:
    """The app's only AI is the fake remote provider: its failures reach the user."""
    route_through(app, provider_server, with_offline=False)
    return provider_server


@pytest.fixture
def with_fallback(app: Flask, provider_server: FaultyOpenAI) -> FaultyOpenAI:
    """The fake remote provider first, the offline interviewer behind it."""
    route_through(app, provider_server, with_offline=True)
    return provider_server


@pytest.fixture
def durable_app(tmp_path: Path) -> Iterator[Flask]:
    """An app over a database that outlives its connections: PostgreSQL when configured, else a
    SQLite file (an in-memory SQLite would vanish with its connection). No follow-ups."""
    url = config_for("testing").SQLALCHEMY_DATABASE_URI
    if not url.startswith("postgresql"):
        url = f"sqlite:///{tmp_path / 'durable.sqlite3'}"
    application = build_app(SQLALCHEMY_DATABASE_URI=url, FOLLOW_UPS_PER_QUESTION=0)
    forget_identity_per_request(application)
    with application.app_context():
        prepare_schema(application)
        yield application
        db.session.remove()
        if url.startswith("postgresql"):
            empty_tables()
