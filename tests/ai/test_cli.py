"""`flask ai check`: each configured provider, its model, and whether it answers."""

from __future__ import annotations

import importlib

import pytest

from app.ai.cli import ai_cli
from app.ai.schemas import FollowUpQuestion
from tests.ai.fakes import openai_error, sample_follow_up


@pytest.fixture
def ai_runner(app, runner):
    """The CLI runner with the `ai` group available on the app."""
    if "ai" not in app.cli.commands:
        app.cli.add_command(ai_cli)
    return runner


@pytest.fixture
def offline_answers(monkeypatch):
    """The built-in interviewer's follow-up function, standing in until it is installed."""
    module = importlib.import_module("app.ai.offline")
    if not hasattr(module, "write_follow_up"):
        answer = FollowUpQuestion(**sample_follow_up())
        monkeypatch.setattr(module, "write_follow_up", lambda req: answer, raising=False)


def test_check_lists_each_provider_with_its_model_and_answer(
    app, ai_runner, offline_answers, gemini_server, openrouter_server
):
    """A working Gemini, an OpenRouter with a bad key and offline are each reported in order."""
    app.config.update(
        AI_PROVIDERS="gemini,openrouter,offline",
        GEMINI_API_KEY="g-key",
        GEMINI_MODEL="gemini-test",
        GEMINI_BASE_URL=gemini_server.url,
        OPENROUTER_API_KEY="bad",
        OPENROUTER_MODEL="vendor/model-x",
        OPENROUTER_BASE_URL=openrouter_server.base_url,
    )
    openrouter_server.queue(openai_error(401, "invalid key"))
    result = ai_runner.invoke(args=["ai", "check", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. gemini") and "gemini-test" in lines[0]
    assert "answers" in lines[0]
    assert "openrouter" in lines[1] and "FAILED Rejected: HTTP 401" in lines[1]
    assert "offline" in lines[2] and "built-in" in lines[2] and "answers" in lines[2]
    assert "openai_compatible" in result.output and "OPENAI_COMPAT_BASE_URL" in result.output
    assert len(gemini_server.received) == 1 and len(openrouter_server.received) == 1


def test_check_fails_when_no_provider_answers(app, ai_runner, openrouter_server):
    """If nothing answers, the command says so and exits non-zero."""
    app.config.update(
        AI_PROVIDERS="openrouter",
        OPENROUTER_API_KEY="k",
        OPENROUTER_BASE_URL=openrouter_server.base_url,
    )
    openrouter_server.queue(openai_error(503, "down"))
    result = ai_runner.invoke(args=["ai", "check", "--timeout", "5"])
    assert result.exit_code == 1
    assert "FAILED Unavailable" in result.output and "no AI provider answered" in result.output
