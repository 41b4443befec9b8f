"""Replies as real servers send them: reasoning blocks and fields, prose around JSON, empty
replies, every Gemini finish reason, 429 with RetryInfo, and a cut-off reply asked again."""

from __future__ import annotations

import pytest

from app.ai.errors import (
    EmptyReply,
    ModelNotFound,
    OutputTruncated,
    RateLimited,
    Rejected,
)
from app.ai.providers import GeminiProvider, OpenAICompatProvider
from app.ai.providers.base import estimate_tokens, parse_json_reply
from app.ai.router import Router, RouterSettings, TaskSettings
from app.ai.schemas import FollowUpQuestion
from tests.ai.samples import follow_up_request
from tests.ai.test_gemini import request_for
from tests.support.fake_servers import (
    FakeOllama,
    Reply,
    gemini_empty,
    gemini_reply,
    gemini_retry_info,
    openai_reasoning_reply,
    openai_reply,
    openai_think_reply,
    sample_follow_up,
)


@pytest.fixture
def gemini(gemini_server):
    """Gemini against the fake."""
    provider = GeminiProvider(api_key="g-key", model="gemini-3.8-flash", base_url=gemini_server.url)
    yield provider
    provider.close()


@pytest.fixture
def ollama_server():
    """An Ollama-shaped fake."""
    server = FakeOllama(models={"qwen3:8b"}).start()
    yield server
    server.stop()


@pytest.fixture
def compat(compat_server):
    """A local OpenAI-compatible server (not Ollama: it has no /api/version)."""
    return OpenAICompatProvider.openai_compatible(
        {"OPENAI_COMPAT_BASE_URL": compat_server.base_url, "OPENAI_COMPAT_MODEL": "qwen3"}
    )


def test_think_blocks_and_prose_with_braces_around_the_json(compat, compat_server):
    """<think>{...}</think> and braces in the prose do not hide the answer."""
    compat_server.queue(openai_think_reply(sample_follow_up()))
    assert compat.generate("follow_up", request_for("follow_up"), timeout=5) == sample_follow_up()


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_an_answer_left_in_the_reasoning_field_is_found(compat, compat_server, field):
    """Empty content with the JSON in reasoning/reasoning_content is read from there."""
    compat_server.queue(openai_reasoning_reply(sample_follow_up(), field=field))
    assert compat.generate("follow_up", request_for("follow_up"), timeout=5) == sample_follow_up()


def test_an_empty_reply_is_retryable_not_repaired(compat, compat_server):
    """Empty content and no reasoning: EmptyReply, which the router retries as it is."""
    compat_server.queue(openai_reply(""))
    with pytest.raises(EmptyReply) as caught:
        compat.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retryable


@pytest.mark.parametrize("finish", ["STOP", "OTHER", "MALFORMED_FUNCTION_CALL"])
def test_gemini_stopping_without_text_is_retryable(gemini, gemini_server, finish):
    """An empty candidate (STOP, OTHER, MALFORMED_FUNCTION_CALL) is EmptyReply, retryable."""
    gemini_server.queue(gemini_empty(finish))
    with pytest.raises(EmptyReply):
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)


def test_gemini_safety_is_rejected(gemini, gemini_server):
    """SAFETY is not worth asking again."""
    gemini_server.queue(gemini_empty("SAFETY"))
    with pytest.raises(Rejected):
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)


def test_gemini_429_retry_info_sets_the_wait(gemini, gemini_server):
    """RetryInfo's retryDelay "7s" becomes retry_after=7."""
    gemini_server.queue(gemini_retry_info(7))
    with pytest.raises(RateLimited) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retry_after == 7.0


def test_a_cut_off_reply_is_asked_again_with_twice_the_room(gemini, gemini_server):
    """MAX_TOKENS: the same prompt again with double the output cap, then the answer is used."""
    gemini_server.queue(gemini_reply('{"question": "Wh', finish_reason="MAX_TOKENS"))
    settings = RouterSettings(
        tasks={"follow_up": TaskSettings(5.0, max_output_tokens=512, thinking_budget=0)}
    )
    result = Router([gemini], settings).run("follow_up", follow_up_request(), FollowUpQuestion)
    assert result.provider == "gemini"
    caps = [r.body["generationConfig"]["maxOutputTokens"] for r in gemini_server.received]
    assert caps == [512, 1024]
    assert "previous reply" not in gemini_server.received[1].text()


def test_a_truncated_reply_is_its_own_error(gemini, gemini_server):
    """The provider says the reply was cut off, distinct from malformed output."""
    gemini_server.queue(gemini_reply('{"question": "Wh', finish_reason="MAX_TOKENS"))
    with pytest.raises(OutputTruncated):
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)


def test_the_largest_matching_object_wins_over_stray_braces():
    """Prose with {placeholders} before the real object still yields the object."""
    text = 'Fill {question} and {reason}. Answer: {"question": "Why?", "reason": "r"} ok {x}'
    assert parse_json_reply(text, FollowUpQuestion)["question"] == "Why?"


def test_chinese_is_counted_at_a_token_per_character():
    """The estimate is conservative for Chinese: one token per CJK character."""
    assert estimate_tokens("你好世界" * 100) == 400
    assert estimate_tokens("a" * 300) == 100


def test_ollama_is_detected_only_once_it_answers(ollama_server):
    """/api/version unanswered: this call uses /v1 and nothing is cached; once it answers,
    /api/chat with num_ctx is used."""
    provider = OpenAICompatProvider.openai_compatible(
        {"OPENAI_COMPAT_BASE_URL": ollama_server.base_url, "OPENAI_COMPAT_MODEL": "qwen3:8b"}
    )
    real = ollama_server.get_reply
    ollama_server.get_reply = lambda received: Reply("", status=200, delay=10)
    provider.generate("follow_up", request_for("follow_up"), timeout=0.5)
    assert ollama_server.received[-1].path == "/v1/chat/completions"
    ollama_server.get_reply = real
    provider.generate("follow_up", request_for("follow_up"), timeout=5)
    assert ollama_server.received[-1].path == "/api/chat"
    assert ollama_server.received[-1].body["options"]["num_ctx"] >= 1024


def test_an_unknown_ollama_model_is_named(ollama_server):
    """Ollama's 404 "model not found, try pulling it first" is ModelNotFound with the name."""
    provider = OpenAICompatProvider.openai_compatible(
        {
            "OPENAI_COMPAT_BASE_URL": ollama_server.base_url,
            "OPENAI_COMPAT_MODEL": "llama9",
            "OPENAI_COMPAT_API": "ollama",
        }
    )
    with pytest.raises(ModelNotFound, match="model 'llama9' not found at provider openai_compat"):
        provider.generate("follow_up", request_for("follow_up"), timeout=5)


def test_an_unknown_openai_compatible_model_is_named(compat_server):
    """A 404 model_not_found from a vLLM-style server is ModelNotFound, not retryable."""
    compat_server.models = {"served-model"}
    provider = OpenAICompatProvider.openai_compatible(
        {"OPENAI_COMPAT_BASE_URL": compat_server.base_url, "OPENAI_COMPAT_MODEL": "default"}
    )
    with pytest.raises(ModelNotFound) as caught:
        provider.generate("follow_up", request_for("follow_up"), timeout=5)
    assert not caught.value.retryable and "'default'" in caught.value.message
