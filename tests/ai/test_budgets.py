"""Prompts budgeted in tokens against each provider's context window: an evaluation that would
not fit is split into batches that do (the rules are never cut), and a prompt too long for one
provider moves on to the next without a call."""

from __future__ import annotations

import pytest

from app.ai import tasks
from app.ai.errors import AllProvidersFailed, ContextOverflow, Rejected
from app.ai.prompts import DATA_RULE
from app.ai.providers import GeminiProvider, OpenAICompatProvider
from app.ai.providers.base import estimate_tokens
from app.ai.router import Router, RouterSettings, TaskSettings
from app.ai.schemas import EvaluationBatch
from tests.ai.samples import evaluate_request
from tests.ai.test_gemini import request_for
from tests.support.fake_servers import FakeOpenAI, openai_error
from tests.support.router import install_router

LONG_ANSWER = "I would partition by tenant, cache the hot reads and watch p99 latency. " * 30


@pytest.fixture
def small_server():
    """A server with a 6,000-token context that serves one model."""
    server = FakeOpenAI("/v1", models={"small-llm"}, context_limit=6_000).start()
    yield server
    server.stop()


def test_an_evaluation_too_big_for_the_window_is_split_with_the_rules_intact(app, small_server):
    """Eight long answers against a 6k window: several calls, each within it, all graded."""
    provider = OpenAICompatProvider.openai_compatible(
        {
            "OPENAI_COMPAT_BASE_URL": small_server.base_url,
            "OPENAI_COMPAT_MODEL": "small-llm",
            "OPENAI_COMPAT_API": "openai",
            "AI_CONTEXT_TOKENS": "openai_compatible=6000",
        }
    )
    settings = RouterSettings(
        tasks={"evaluate_answers": TaskSettings(5.0, max_output_tokens=1_600, thinking_budget=0)}
    )
    install_router(app, provider, settings=settings)
    req = evaluate_request(*[LONG_ANSWER] * 8)
    result = tasks.evaluate_answers(req)
    assert [e.question_id for e in result.value.evaluations] == [i.question_id for i in req.items]
    assert result.provider == "openai_compatible" and not result.fallback_used
    assert 2 <= len(small_server.received) <= 8
    for sent in small_server.received:
        assert DATA_RULE in sent.body["messages"][0]["content"]
        assert sent.body["max_tokens"] == 1_600


class SchemaBlindServer(FakeOpenAI):
    """A server that enforces no response format, so the schema has to travel in the prompt."""

    def refusal(self, received):
        body = received.body if isinstance(received.body, dict) else {}
        if "response_format" in body and body["response_format"].get("type") != "json_object":
            return openai_error(400, "response_format json_schema is not supported")
        if body.get("response_format", {}).get("schema"):
            return openai_error(400, "response_format json_object with a schema is not supported")
        return super().refusal(received)


def test_batches_leave_room_for_the_schema_a_server_needs_in_the_prompt(app):
    """Where the schema is sent in the system message, the batches are cut smaller to make room
    for it, so no batch reaches the server over its window (a 400 would lose the batch)."""
    server = SchemaBlindServer("/v1", models={"small-llm"}, context_limit=6_200).start()
    try:
        provider = OpenAICompatProvider(
            name="openai_compatible",
            base_url=server.base_url,
            model="small-llm",
            context_tokens=6_200,  # four of these answers fit it, but not beside the schema
            api="openai",
        )
        settings = RouterSettings(
            tasks={
                "evaluate_answers": TaskSettings(5.0, max_output_tokens=2_400, thinking_budget=0)
            }
        )
        install_router(app, provider, settings=settings)
        overhead = provider.prompt_overhead_tokens("evaluate_answers", EvaluationBatch)
        assert overhead > 300  # the schema's text is counted before the server is ever asked
        result = tasks.evaluate_answers(evaluate_request(*[LONG_ANSWER] * 6))
        assert not result.fallback_used
        graded = [r for r in server.received if r.body["response_format"]["type"] == "json_object"]
        graded = [r for r in graded if "schema" not in r.body["response_format"]]
        assert len(graded) >= 2
        for sent in graded:
            assert "JSON Schema" in sent.body["messages"][0]["content"]
            prompt = sum(estimate_tokens(m["content"]) for m in sent.body["messages"])
            assert prompt + sent.body["max_tokens"] <= server.context_limit
    finally:
        server.stop()


def test_a_prompt_that_cannot_fit_is_refused_without_a_call(small_server):
    """The router's estimate stops a call the server would answer with a 400."""
    provider = OpenAICompatProvider(
        name="openai_compatible",
        base_url=small_server.base_url,
        model="small-llm",
        context_tokens=1_000,
        api="openai",
    )
    router = Router([provider], RouterSettings())
    with pytest.raises(AllProvidersFailed) as caught:
        router.run("evaluate_answers", evaluate_request(LONG_ANSWER * 3), EvaluationBatch)
    assert isinstance(caught.value.failures[0][1], ContextOverflow)
    assert small_server.received == []


def test_gemini_context_overflow_and_bad_key_are_told_apart(gemini_server):
    """The strict fake's 400s: a long prompt is ContextOverflow, a wrong key a plain Rejected."""
    gemini_server.key, gemini_server.context_limit = "right", 50
    long_prompt = GeminiProvider(
        api_key="right", model="gemini-3.8-flash", base_url=gemini_server.url
    )
    with pytest.raises(ContextOverflow):
        long_prompt.generate("follow_up", request_for("follow_up"), timeout=5)
    wrong = GeminiProvider(api_key="wrong", model="gemini-3.8-flash", base_url=gemini_server.url)
    with pytest.raises(Rejected, match="API key not valid") as caught:
        wrong.generate("follow_up", request_for("follow_up"), timeout=5)
    assert not isinstance(caught.value, ContextOverflow)
    long_prompt.close()
    wrong.close()
