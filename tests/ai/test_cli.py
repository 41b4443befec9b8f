"""`flask ai check`: each configured provider, its model, and whether it answers."""

from __future__ import annotations

import importlib
import json

import pytest

from app.ai import tasks
from app.ai.cli import PROBES, ai_cli
from app.ai.schemas import FollowUpQuestion
from app.extensions import db
from tests.ai.samples import follow_up_request
from tests.support.fake_servers import gemini_error, openai_error, sample_follow_up
from tests.support.router import restore_router

TASKS = list(PROBES)


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


def test_check_runs_every_task_against_each_provider(
    app, ai_runner, offline_answers, gemini_server, openrouter_server
):
    """A working Gemini passes all four tasks; OpenRouter with a bad key fails; exit non-zero."""
    app.config.update(
        AI_PROVIDERS="gemini,openrouter,offline",
        GEMINI_API_KEY="g-key",
        GEMINI_MODEL="gemini-test",
        GEMINI_BASE_URL=gemini_server.url,
        OPENROUTER_API_KEY="bad",
        OPENROUTER_MODEL="vendor/model-x",
        OPENROUTER_BASE_URL=openrouter_server.base_url,
    )
    openrouter_server.key = "good"
    result = ai_runner.invoke(args=["ai", "check", "--timeout", "5"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. gemini") and "gemini-test" in lines[0]
    for line, task in zip(lines[1:5], TASKS, strict=True):
        assert task in line and " ok (" in line and " ms)" in line
    assert lines[5].startswith("2. openrouter")
    assert all("FAILED Rejected: HTTP 401" in line for line in lines[6:10])
    assert lines[10].startswith("3. offline") and all(" ok (" in x for x in lines[11:15])
    assert "OPENAI_COMPAT_BASE_URL" in result.output
    assert "configured providers failed: openrouter" in result.output
    assert len(gemini_server.received) == 4 and len(openrouter_server.received) == 4


def test_check_names_a_missing_model(app, ai_runner, gemini_server):
    """A retired Gemini model is reported by name and the command fails."""
    app.config.update(
        AI_PROVIDERS="gemini",
        GEMINI_API_KEY="g-key",
        GEMINI_MODEL="gemini-2.5-flash",
        GEMINI_BASE_URL=gemini_server.url,
    )
    result = ai_runner.invoke(args=["ai", "check"])
    assert result.exit_code == 1
    assert "model 'gemini-2.5-flash' not found at provider gemini" in result.output
    assert len(gemini_server.received) == 1  # the other tasks would fail the same way


def test_check_fails_when_no_provider_answers(app, ai_runner, openrouter_server):
    """A provider that is down fails every task with its own error, and the command exits 1."""
    app.config.update(
        AI_PROVIDERS="openrouter",
        OPENROUTER_API_KEY="k",
        OPENROUTER_BASE_URL=openrouter_server.base_url,
    )
    openrouter_server.queue(*[openai_error(503, "down")] * 4)
    result = ai_runner.invoke(args=["ai", "check", "--timeout", "5"])
    assert result.exit_code == 1
    assert result.output.count("FAILED Unavailable: HTTP 503: down") == 4


def test_a_compat_url_without_a_model_is_a_configuration_error(app, ai_runner, compat_server):
    """OPENAI_COMPAT_BASE_URL without OPENAI_COMPAT_MODEL: a clear error, no request."""
    app.config.update(
        AI_PROVIDERS="openai_compatible,offline", OPENAI_COMPAT_BASE_URL=compat_server.base_url
    )
    result = ai_runner.invoke(args=["ai", "check"])
    assert result.exit_code == 1
    assert "OPENAI_COMPAT_MODEL is not set" in result.output
    assert compat_server.received == []


def test_usage_reports_tokens_latency_and_failures_per_task(app, ai_runner, gemini_server):
    """Calls made through the tasks land in ai_calls; usage sums them per task and provider."""
    app.config.update(
        AI_PROVIDERS="gemini,offline",
        GEMINI_API_KEY="g-key",
        GEMINI_MODEL="gemini-test",
        GEMINI_BASE_URL=gemini_server.url,
    )
    restore_router(app)
    gemini_server.queue(gemini_error(400, "bad request"))
    tasks.write_follow_up(follow_up_request())  # Gemini refuses: offline answers
    tasks.write_follow_up(follow_up_request())
    db.session.commit()
    result = ai_runner.invoke(args=["ai", "usage", "--json"])
    rows = {(r["task"], r["provider"]): r for r in json.loads(result.output)}
    gemini = rows[("follow_up", "gemini")]
    assert gemini["calls"] == 2 and gemini["failures"] == 1
    assert gemini["prompt_tokens"] == 10 and gemini["output_tokens"] == 10
    assert gemini["model"] == "gemini-test" and gemini["p95_ms"] >= gemini["p50_ms"] >= 0
    assert rows[("follow_up", "offline")]["calls"] == 1
    table = ai_runner.invoke(args=["ai", "usage"]).output
    assert "follow_up" in table and "gemini-test" in table
    later = ai_runner.invoke(args=["ai", "usage", "--since", "2999-01-01"]).output
    assert "no AI calls recorded" in later
