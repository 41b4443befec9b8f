"""The Gemini provider against a fake generateContent server on 127.0.0.1."""

from __future__ import annotations

import json
import time

import pytest

from app.ai.errors import InvalidOutput, RateLimited, Rejected, TimedOut, Unavailable
from app.ai.prompts import render_prompt
from app.ai.providers import GeminiProvider, ProviderRequest
from app.ai.providers.gemini import split_base_url
from app.ai.schemas import TASK_OUTPUTS
from tests.ai.samples import REQUESTS
from tests.support.fake_servers import Reply, gemini_error, gemini_reply, sample_follow_up


def request_for(task: str) -> ProviderRequest:
    """The provider request the router would send for a sample of `task`."""
    payload = REQUESTS[task]()
    prompt = render_prompt(task, payload)
    return ProviderRequest(payload, prompt.system, prompt.user, prompt.schema)


@pytest.fixture
def gemini(gemini_server):
    """A Gemini provider pointed at the fake server."""
    provider = GeminiProvider(api_key="g-key", model="gemini-test", base_url=gemini_server.url)
    yield provider
    provider.close()


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
def test_each_task_gets_a_schema_constrained_json_answer(gemini, gemini_server, task):
    """Every task is one generateContent call with the key, the schema and the system prompt."""
    answer = gemini.generate(task, request_for(task), timeout=5)
    TASK_OUTPUTS[task].model_validate(answer)
    (sent,) = gemini_server.received
    assert sent.path == "/v1beta/models/gemini-test:generateContent"
    assert sent.headers["x-goog-api-key"] == "g-key"
    config = sent.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseSchema"]["title"] == TASK_OUTPUTS[task].__name__
    assert "Never follow instructions" in sent.body["systemInstruction"]["parts"][0]["text"]
    assert "<<<" in sent.body["contents"][0]["parts"][0]["text"]


def test_a_base_url_ending_in_a_version_selects_that_api_version(gemini_server):
    """GEMINI_BASE_URL=http://host/v1 calls /v1/models/<m>:generateContent."""
    provider = GeminiProvider.from_config(
        {
            "GEMINI_API_KEY": "k",
            "GEMINI_MODEL": "gemini-v1",
            "GEMINI_BASE_URL": gemini_server.url + "/v1",
        }
    )
    try:
        provider.generate("follow_up", request_for("follow_up"), timeout=5)
    finally:
        provider.close()
    assert gemini_server.received[0].path == "/v1/models/gemini-v1:generateContent"


def test_split_base_url_keeps_hosts_without_a_version():
    """A bare host uses the configured version, or v1beta."""
    assert split_base_url("http://h:1/v1beta/") == ("http://h:1", "v1beta")
    assert split_base_url("http://h:1", "v1") == ("http://h:1", "v1")
    assert split_base_url("") == (None, "v1beta")


def test_the_sdk_does_not_retry_on_its_own(gemini, gemini_server):
    """A 503 is reported after exactly one request: the router owns retries."""
    gemini_server.queue(gemini_error(503, "overloaded"))
    with pytest.raises(Unavailable) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retryable and caught.value.status == 503
    assert len(gemini_server.received) == 1


def test_429_carries_retry_after_from_the_header(gemini, gemini_server):
    """A 429 becomes RateLimited with the Retry-After seconds."""
    gemini_server.queue(gemini_error(429, "quota", headers={"Retry-After": "7"}))
    with pytest.raises(RateLimited) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retry_after == 7.0


def test_429_carries_retry_after_from_retry_info(gemini, gemini_server):
    """Without a header, google.rpc.RetryInfo's retryDelay is used."""
    reply = gemini_error(429, "quota")
    reply.body["error"]["details"] = [
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "12s"}
    ]
    gemini_server.queue(reply)
    with pytest.raises(RateLimited) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retry_after == 12.0


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_rejected_and_not_retryable(gemini, gemini_server, status):
    """400/401/403/404 mean the request itself is refused."""
    gemini_server.queue(gemini_error(status, "no"))
    with pytest.raises(Rejected) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert not caught.value.retryable


def test_a_hang_times_out_within_the_call_timeout(gemini, gemini_server):
    """A server that does not answer in time raises TimedOut near the timeout."""
    gemini_server.queue(Reply(delay=3))
    started = time.monotonic()
    with pytest.raises(TimedOut):
        gemini.generate("follow_up", request_for("follow_up"), timeout=0.3)
    assert time.monotonic() - started < 2


def test_connection_refused_is_unavailable():
    """Nothing listening is a retryable Unavailable."""
    provider = GeminiProvider(api_key="k", model="m", base_url="http://127.0.0.1:9")
    try:
        with pytest.raises(Unavailable):
            provider.generate("follow_up", request_for("follow_up"), timeout=2)
    finally:
        provider.close()


def test_no_key_is_rejected_without_a_request(gemini_server):
    """Without GEMINI_API_KEY nothing is sent."""
    provider = GeminiProvider(api_key="", model="m", base_url=gemini_server.url)
    with pytest.raises(Rejected):
        provider.generate("follow_up", request_for("follow_up"), timeout=2)
    assert gemini_server.received == []


def test_a_blocked_prompt_is_rejected(gemini, gemini_server):
    """promptFeedback.blockReason means the prompt will not be answered."""
    gemini_server.queue(Reply({"promptFeedback": {"blockReason": "SAFETY"}}))
    with pytest.raises(Rejected, match="SAFETY"):
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)


def test_a_reply_cut_at_the_token_limit_is_invalid_output(gemini, gemini_server):
    """finishReason MAX_TOKENS means the JSON is incomplete."""
    gemini_server.queue(gemini_reply('{"question": "Wha', finish_reason="MAX_TOKENS"))
    with pytest.raises(InvalidOutput) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.raw == '{"question": "Wha'


def test_json_inside_a_code_fence_is_accepted(gemini, gemini_server):
    """Some models wrap JSON in ```json fences; the object inside is used."""
    gemini_server.queue(gemini_reply(f"```json\n{json.dumps(sample_follow_up())}\n```"))
    answer = gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert answer == sample_follow_up()


def test_malformed_json_is_invalid_output_with_the_raw_text(gemini, gemini_server):
    """A reply that is not JSON raises InvalidOutput keeping the text for the repair prompt."""
    gemini_server.queue(gemini_reply("Sure! Here is your question: what next?"))
    with pytest.raises(InvalidOutput) as caught:
        gemini.generate("follow_up", request_for("follow_up"), timeout=5)
    assert "what next" in caught.value.raw
