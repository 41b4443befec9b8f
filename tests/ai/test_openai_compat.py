"""The OpenAI-compatible provider (OpenRouter, local servers) against a fake chat endpoint."""

from __future__ import annotations

import json
import time
from email.utils import formatdate

import pytest

from app.ai.errors import (
    ContextOverflow,
    InvalidOutput,
    RateLimited,
    Rejected,
    TimedOut,
    Unavailable,
)
from app.ai.prompts import render_prompt
from app.ai.providers import OpenAICompatProvider, ProviderRequest
from app.ai.providers.base import parse_retry_after
from app.ai.schemas import TASK_OUTPUTS
from tests.ai.samples import REQUESTS
from tests.support.fake_servers import Reply, openai_error, openai_reply, sample_follow_up


def request_for(task: str) -> ProviderRequest:
    """The provider request the router would send for a sample of `task`."""
    payload = REQUESTS[task]()
    prompt = render_prompt(task, payload)
    return ProviderRequest(payload, prompt.system, prompt.user, prompt.schema)


@pytest.fixture
def openrouter(openrouter_server):
    """OpenRouter configured as the app configures it, pointed at the fake."""
    return OpenAICompatProvider.openrouter(
        {
            "OPENROUTER_API_KEY": "or-key",
            "OPENROUTER_MODEL": "vendor/model-x",
            "OPENROUTER_BASE_URL": openrouter_server.base_url,
            "PUBLIC_BASE_URL": "https://coach.example",
        }
    )


@pytest.fixture
def compat(compat_server):
    """A keyless local server (Ollama-style)."""
    return OpenAICompatProvider.openai_compatible(
        {"OPENAI_COMPAT_BASE_URL": compat_server.base_url, "OPENAI_COMPAT_MODEL": "llama3.1"}
    )


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
def test_openrouter_answers_each_task_with_key_headers_and_schema(
    openrouter, openrouter_server, task
):
    """One POST to /chat/completions with the Bearer key, app headers and a json_schema format."""
    answer = openrouter.generate(task, request_for(task), timeout=5)
    TASK_OUTPUTS[task].model_validate(answer)
    (sent,) = openrouter_server.received
    assert sent.path == "/api/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer or-key"
    assert sent.headers["http-referer"] == "https://coach.example"
    assert sent.headers["x-title"] == "Interview Coach"
    assert sent.body["model"] == "vendor/model-x"
    fmt = sent.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == task
    assert fmt["json_schema"]["schema"]["title"] == TASK_OUTPUTS[task].__name__
    assert "$ref" not in json.dumps(fmt["json_schema"]["schema"])
    roles = [m["role"] for m in sent.body["messages"]]
    assert roles == ["system", "user"]


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
def test_a_keyless_local_server_answers_each_task(compat, compat_server, task):
    """openai_compatible sends no Authorization header when no key is set."""
    answer = compat.generate(task, request_for(task), timeout=5)
    TASK_OUTPUTS[task].model_validate(answer)
    (sent,) = compat_server.received
    assert sent.path == "/v1/chat/completions"
    assert "authorization" not in sent.headers
    assert sent.body["model"] == "llama3.1"


def test_a_refused_json_schema_falls_back_to_json_object_and_is_remembered(
    openrouter, openrouter_server
):
    """A 400 for json_schema retries the call as json_object carrying the schema (a grammar on
    llama.cpp's server), with the schema in the prompt too; later calls start there."""
    openrouter_server.queue(openai_error(400, "response_format json_schema is not supported"))
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    formats = [r.body.get("response_format", {}).get("type") for r in openrouter_server.received]
    assert formats == ["json_schema", "json_object", "json_object"]
    second = openrouter_server.received[1].body
    assert second["response_format"]["schema"]["title"] == "FollowUpQuestion"
    system = second["messages"][0]["content"]
    assert "JSON Schema" in system and "FollowUpQuestion" in system


def test_llama_cpps_500_wrapping_a_format_validation_error_is_a_refused_format(
    compat, compat_server
):
    """llama.cpp's Python server answers `json_schema` with a 500 wrapping the request's
    validation error (seen against the real server): the next mode is tried, not a failure."""
    compat_server.queue(
        Reply(
            {
                "error": {
                    "message": "1 validation error: {'type': 'literal_error', 'loc': ('body', "
                    "'response_format', 'type'), 'msg': \"Input should be 'text' or "
                    "'json_object'\", 'input': 'json_schema'}",
                    "type": "internal_server_error",
                }
            },
            status=500,
        )
    )
    compat.generate("follow_up", request_for("follow_up"), timeout=5)
    formats = [r.body.get("response_format", {}).get("type") for r in compat_server.received]
    assert formats == ["json_schema", "json_object"]


def test_a_plain_500_is_not_read_as_a_refused_format(compat, compat_server):
    """Only the wrapped validation error about response_format steps the format down."""
    compat_server.queue(openai_error(500, "CUDA out of memory while decoding response_format"))
    with pytest.raises(Unavailable):
        compat.generate("follow_up", request_for("follow_up"), timeout=5)
    assert len(compat_server.received) == 1


def test_a_schema_sent_as_a_grammar_has_no_unrolled_upper_bounds(compat, compat_server):
    """llama.cpp writes a maxLength of 2,000 as 2,000 nested grammar rules, which brought the
    real server down: the schema inside json_object drops maxLength and maxItems (the app
    checks them itself when it reads the reply), keeping everything else."""
    compat_server.queue(openai_error(400, "response_format json_schema is not supported"))
    compat.generate("evaluate_answers", request_for("evaluate_answers"), timeout=5)
    sent = compat_server.received[1].body["response_format"]["schema"]
    text = json.dumps(sent)
    assert "maxLength" not in text and "maxItems" not in text
    assert "properties" in text and "required" in text
    first = json.dumps(compat_server.received[0].body["response_format"]["json_schema"])
    assert "maxLength" in first  # json_schema mode keeps the whole schema


def test_a_server_refusing_a_schema_in_json_object_gets_bare_json_object(
    openrouter, openrouter_server
):
    """json_schema refused, then the schema inside json_object refused: bare json_object (the
    schema stays in the prompt), remembered for the task."""
    openrouter_server.queue(
        openai_error(400, "response_format json_schema is not supported"),
        openai_error(400, "response_format.schema: extra fields not permitted"),
    )
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    formats = [r.body.get("response_format") for r in openrouter_server.received[2:]]
    assert formats == [{"type": "json_object"}] * 2
    assert "FollowUpQuestion" in openrouter_server.received[3].body["messages"][0]["content"]


def test_a_model_refusing_both_formats_gets_plain_text_and_extraction(
    openrouter, openrouter_server
):
    """After json_schema and json_object (with and without a schema) are refused, plain text
    with the JSON extracted works."""
    chatty = f"Here you go:\n```json\n{json.dumps(sample_follow_up())}\n```\nGood luck!"
    openrouter_server.queue(
        openai_error(400, "response_format json_schema is not supported by this model"),
        openai_error(422, "json_object: unsupported response format"),
        openai_error(422, "json_object: unsupported response format"),
        openai_reply(chatty),
    )
    answer = openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert answer == sample_follow_up()
    assert "response_format" not in openrouter_server.received[3].body


def test_a_request_refused_in_every_mode_is_rejected(openrouter, openrouter_server):
    """Format refusals in every mode, then a plain 400: Rejected with the server's words, not
    retryable."""
    openrouter_server.queue(
        openai_error(400, "response_format is not supported"),
        openai_error(400, "json_object: unsupported format"),
        openai_error(400, "json_object: unsupported format"),
        openai_error(400, "temperature must be at most 1"),
    )
    with pytest.raises(Rejected, match="temperature") as caught:
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert not caught.value.retryable
    assert len(openrouter_server.received) == 4


def test_a_400_that_is_not_about_the_format_keeps_the_format(openrouter, openrouter_server):
    """A context overflow is a ContextOverflow at once; the next call still asks for json_schema."""
    openrouter_server.queue(
        openai_error(400, "This model's maximum context length is 4096 tokens"),
        openai_error(400, "invalid value for temperature"),
    )
    with pytest.raises(ContextOverflow):
        openrouter.generate("evaluate_answers", request_for("evaluate_answers"), timeout=5)
    with pytest.raises(Rejected, match="temperature"):
        openrouter.generate("evaluate_answers", request_for("evaluate_answers"), timeout=5)
    openrouter.generate("evaluate_answers", request_for("evaluate_answers"), timeout=5)
    formats = [r.body["response_format"]["type"] for r in openrouter_server.received]
    assert formats == ["json_schema"] * 3


def test_a_refused_format_is_remembered_only_for_that_task(openrouter, openrouter_server):
    """json_object after a refusal for follow_up; the plan task still asks for json_schema."""
    openrouter_server.queue(openai_error(400, "response_format json_schema is not supported"))
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    openrouter.generate("plan_questions", request_for("plan_questions"), timeout=5)
    formats = [r.body["response_format"]["type"] for r in openrouter_server.received]
    assert formats == ["json_schema", "json_object", "json_schema"]


def test_openrouter_requires_backends_to_honour_the_format(openrouter, openrouter_server):
    """With a response_format, OpenRouter is told provider.require_parameters=true."""
    openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert openrouter_server.received[0].body["provider"] == {"require_parameters": True}


def test_an_error_inside_a_200_body_is_a_retryable_failure(openrouter, openrouter_server):
    """OpenRouter can answer 200 with {"error": ...}; that is Unavailable, not success."""
    openrouter_server.queue(Reply({"error": {"code": 502, "message": "upstream died"}}))
    with pytest.raises(Unavailable) as caught:
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retryable


def test_a_rate_limit_inside_a_200_body_is_rate_limited(openrouter, openrouter_server):
    """An error body with code 429 is RateLimited."""
    openrouter_server.queue(Reply({"error": {"code": 429, "message": "slow down"}}))
    with pytest.raises(RateLimited):
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)


def test_429_honours_retry_after(openrouter, openrouter_server):
    """HTTP 429 with Retry-After: 3 becomes RateLimited(retry_after=3)."""
    openrouter_server.queue(openai_error(429, "rate", headers={"Retry-After": "3"}))
    with pytest.raises(RateLimited) as caught:
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert caught.value.retry_after == 3.0


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, Rejected),
        (403, Rejected),
        (404, Rejected),
        (408, TimedOut),
        (500, Unavailable),
        (502, Unavailable),
        (503, Unavailable),
    ],
)
def test_status_codes_map_to_the_app_errors(openrouter, openrouter_server, status, error):
    """Each HTTP status becomes the app error that decides retry versus fallback."""
    openrouter_server.queue(openai_error(status, "nope"))
    with pytest.raises(error):
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert len(openrouter_server.received) == 1


def test_a_hang_times_out(openrouter, openrouter_server):
    """A server that does not answer within the timeout raises TimedOut promptly."""
    openrouter_server.queue(Reply(openai_reply(sample_follow_up()).body, delay=3))
    started = time.monotonic()
    with pytest.raises(TimedOut):
        openrouter.generate("follow_up", request_for("follow_up"), timeout=0.3)
    assert time.monotonic() - started < 2


def test_connection_refused_is_unavailable():
    """Nothing listening is a retryable Unavailable."""
    provider = OpenAICompatProvider(
        name="openai_compatible", base_url="http://127.0.0.1:9", model="m"
    )
    with pytest.raises(Unavailable):
        provider.generate("follow_up", request_for("follow_up"), timeout=2)


def test_openrouter_without_a_key_sends_nothing(openrouter_server):
    """OpenRouter needs OPENROUTER_API_KEY; without one no request is made."""
    provider = OpenAICompatProvider.openrouter({"OPENROUTER_BASE_URL": openrouter_server.base_url})
    with pytest.raises(Rejected):
        provider.generate("follow_up", request_for("follow_up"), timeout=2)
    assert openrouter_server.received == []


def test_prose_without_json_is_invalid_output(openrouter, openrouter_server):
    """A reply with no JSON object raises InvalidOutput and keeps the text for repair."""
    openrouter_server.queue(openai_reply("I would rather not answer in JSON."))
    with pytest.raises(InvalidOutput) as caught:
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)
    assert "rather not" in caught.value.raw


def test_a_reply_cut_by_the_length_limit_is_invalid_output(openrouter, openrouter_server):
    """finish_reason=length means the JSON is incomplete."""
    openrouter_server.queue(openai_reply('{"question": "Wh', finish_reason="length"))
    with pytest.raises(InvalidOutput):
        openrouter.generate("follow_up", request_for("follow_up"), timeout=5)


def test_retry_after_accepts_seconds_and_http_dates():
    """Retry-After is either delta-seconds or an HTTP date."""
    now = 1_700_000_000.0
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=lambda: now) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
