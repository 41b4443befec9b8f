"""OpenAI-compatible chat completions over requests: OpenRouter, Ollama, vLLM, LM Studio.

The reply is asked for with ``response_format: json_schema`` (on OpenRouter with
``provider.require_parameters``, so it is never routed to a backend that would ignore the format).
A server that refuses the format itself (a 400/422 whose message is about the response format, not
a context overflow or any other 400) is asked again in the same call with ``json_object`` carrying
the schema (``{"type": "json_object", "schema": …}``, the Anyscale-style JSON mode that
llama-cpp-python's server turns into a grammar, so the reply must match the schema), then with bare
``json_object``, then as plain text; from ``json_object`` on the schema is also in the prompt. The
first mode that works is remembered for that task only. These steps negotiate a format, they are
not retries: the router owns retries.

Ollama is spoken to through its native ``/api/chat`` (see `app.ai.providers.ollama`), whose
``options.num_ctx`` sets the context each prompt needs; its OpenAI-compatible ``/v1`` endpoint
cannot, and its 4,096-token default silently drops the start of a longer prompt: the rules.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from app.ai.errors import (
    AIError,
    ContextOverflow,
    EmptyReply,
    InvalidOutput,
    ModelNotFound,
    OutputTruncated,
    Rejected,
    Unavailable,
)
from app.ai.providers import ollama
from app.ai.providers.base import (
    CallUsage,
    Provider,
    ProviderRequest,
    context_table,
    error_for_status,
    estimate_tokens,
    parse_json_reply,
    parse_retry_after,
    post,
    short,
)

MODES = ("json_schema", "json_object_schema", "json_object", "text")
APP_TITLE = "Interview Coach"
# OpenRouter's id for the Gemini API's default model (see app.ai.providers.gemini).
DEFAULT_OPENROUTER_MODEL = "google/gemini-3.8-flash"
DEFAULT_CONTEXT_TOKENS = {"openrouter": 1_000_000, "openai_compatible": 16_384}
_FORMAT_WORDS = re.compile(
    r"response_format|json_schema|json_object|structured output|guided_json|grammar|"
    r"unsupported.*format|format.*not supported",
    re.I,
)
_CONTEXT_WORDS = re.compile(
    r"context length|context window|context_length_exceeded|maximum context|too many tokens|"
    r"prompt is too long|exceeds? the (?:available )?context|num_ctx",
    re.I,
)
_MODEL_MISSING = re.compile(r"model.*(?:not found|does not exist|not available|unknown)", re.I)


class _FormatRefused(Rejected):
    """The server rejected the request while a response_format was set; try a simpler mode."""


def inline_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema with every ``$ref`` expanded, for servers that cannot follow refs."""
    full = schema.model_json_schema()
    defs = full.pop("$defs", {})

    def expand(node: Any) -> Any:
        """Copy `node` with each reference replaced by its definition."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return expand(defs[ref.rsplit("/", 1)[-1]])
            return {key: expand(value) for key, value in node.items()}
        if isinstance(node, list):
            return [expand(item) for item in node]
        return node

    result: dict[str, Any] = expand(full)
    return result


@lru_cache(maxsize=64)
def schema_instructions(schema: type[BaseModel]) -> str:
    """The schema as the system message states it when the server does not enforce it."""
    text = json.dumps(inline_schema(schema), ensure_ascii=False, separators=(",", ":"))
    return "\nThe JSON object must match this JSON Schema:\n" + text


def _error_message(body: Any, fallback: str) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error or fallback)


def _message_text(message: Mapping[str, Any]) -> str:
    """A message's content as text; some servers send a list of content parts."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def _reasoning_text(message: Mapping[str, Any]) -> str:
    """The model's separate reasoning (vLLM and DeepSeek: reasoning_content; OpenRouter,
    Ollama: reasoning or thinking), where some servers leave the answer when content is empty."""
    for key in ("reasoning_content", "reasoning", "thinking"):
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


# Upper bounds that llama.cpp's schema-to-grammar converter writes out as one nested optional rule
# per character or item: a 2,000-character field became a grammar that brought the server down.
_UNROLLED_BOUNDS = frozenset({"maxLength", "maxItems"})


def grammar_schema(schema: Any) -> Any:
    """The schema as sent to be enforced as a grammar (`json_object` with a schema): without
    length and item-count upper bounds, which the app checks itself when it reads the reply."""
    if isinstance(schema, dict):
        return {k: grammar_schema(v) for k, v in schema.items() if k not in _UNROLLED_BOUNDS}
    if isinstance(schema, list):
        return [grammar_schema(item) for item in schema]
    return schema


def wrapped_format_refusal(status: int, message: str) -> bool:
    """llama.cpp's Python server (llama-cpp-python) answers a `response_format` it does not
    accept with a 500 that wraps the request's validation error ("Input should be 'text' or
    'json_object'"): a refused format, not a server fault, so the next mode is tried."""
    return status == 500 and "validation error" in message and "response_format" in message


def classify_client_error(
    provider: str, model: str, status: int, body: Any, text: str, mode: str
) -> AIError:
    """What a 4xx means: a missing model, a context overflow, a refused format, or a rejection."""
    message = _error_message(body, text)
    error = body.get("error") if isinstance(body, dict) else None
    code = str(error.get("code") or "") if isinstance(error, dict) else ""
    if status == 404 and (code == "model_not_found" or _MODEL_MISSING.search(message)):
        return ModelNotFound(provider, model, short(message))
    too_long = status in (400, 413) and _CONTEXT_WORDS.search(message)
    if code == "context_length_exceeded" or too_long:
        overflow = ContextOverflow(f"HTTP {status}: {short(message)}")
        overflow.status = status
        return overflow
    if (status in (400, 422) or wrapped_format_refusal(status, message)) and (
        mode != "text" and _FORMAT_WORDS.search(message)
    ):
        refused = _FormatRefused(f"HTTP {status}: {short(message)}")
        refused.status = status
        return refused
    return error_for_status(status, message)


def read_choice(choice: Mapping[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON object in a chat-completions choice, or the error saying why there is none."""
    if choice.get("error"):
        raise Unavailable(f"the model failed: {short(_error_message(choice, 'error'))}")
    message = choice.get("message") or {}
    if message.get("refusal"):
        raise Rejected(f"the model refused: {short(str(message['refusal']))}")
    finish = choice.get("finish_reason")
    if finish == "content_filter":
        raise Rejected("the reply was withheld by the content filter")
    text, reasoning = _message_text(message), _reasoning_text(message)
    if finish == "length":
        raise OutputTruncated("the reply was cut off at the output-token limit", raw=text)
    return parse_text_or_reasoning(text, reasoning, schema)


def parse_text_or_reasoning(text: str, reasoning: str, schema: type[BaseModel]) -> dict[str, Any]:
    """Parse the answer; with empty content, look for it in the reasoning the server split off."""
    if text.strip():
        return parse_json_reply(text, schema)
    if reasoning.strip():
        try:
            return parse_json_reply(reasoning, schema)
        except InvalidOutput:
            raise InvalidOutput(
                "the model answered only in its reasoning, with no JSON object",
                raw=reasoning[-4_000:],
            ) from None
    raise EmptyReply("the model finished with an empty reply")


class OpenAICompatProvider(Provider):
    """A chat-completions endpoint; the same class serves `openrouter` and `openai_compatible`."""

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        model: str,
        api_key: str = "",
        key_required: bool = False,
        app_url: str = "",
        context_tokens: int | None = None,
        api: str = "auto",
    ) -> None:
        self.name = name
        self.model = model
        self.base_url = base_url.strip().rstrip("/")
        self.context_tokens = context_tokens or DEFAULT_CONTEXT_TOKENS.get(name, 16_384)
        self._api_key = api_key
        self._key_required = key_required
        self._app_url = app_url or "http://localhost"
        # Per task: index into MODES of the first mode this server accepted for that task.
        self._modes: dict[str, int] = {}
        self._api = api  # "openai", "ollama", or "auto": ask the server once which it is
        self._lock = threading.Lock()

    @classmethod
    def openrouter(cls, config: Mapping[str, Any]) -> OpenAICompatProvider:
        """OpenRouter from OPENROUTER_API_KEY, OPENROUTER_MODEL and OPENROUTER_BASE_URL."""
        return cls(
            name="openrouter",
            base_url=config.get("OPENROUTER_BASE_URL", "") or "https://openrouter.ai/api/v1",
            model=config.get("OPENROUTER_MODEL", "") or DEFAULT_OPENROUTER_MODEL,
            api_key=config.get("OPENROUTER_API_KEY", ""),
            key_required=True,
            app_url=config.get("PUBLIC_BASE_URL", ""),
            context_tokens=context_table(config).get("openrouter"),
            api="openai",
        )

    @classmethod
    def openai_compatible(cls, config: Mapping[str, Any]) -> OpenAICompatProvider:
        """A local or self-hosted server from OPENAI_COMPAT_BASE_URL/_MODEL and an optional key.

        There is no default model: Ollama, vLLM and LM Studio answer a made-up name with 404, so a
        configured server without OPENAI_COMPAT_MODEL is a configuration error (ValueError).
        """
        model = str(config.get("OPENAI_COMPAT_MODEL", "") or "").strip()
        if not model:
            raise ValueError(
                "OPENAI_COMPAT_MODEL is not set: name the model the server at "
                f"{config.get('OPENAI_COMPAT_BASE_URL') or 'OPENAI_COMPAT_BASE_URL'} serves "
                "(e.g. qwen3:8b for Ollama)"
            )
        api = str(config.get("OPENAI_COMPAT_API", "") or "auto").strip().lower()
        if api not in ("auto", "openai", "ollama"):
            raise ValueError(f"OPENAI_COMPAT_API is {api!r}; use auto, openai or ollama")
        return cls(
            name="openai_compatible",
            base_url=config.get("OPENAI_COMPAT_BASE_URL", ""),
            model=model,
            api_key=config.get("OPENAI_COMPAT_API_KEY", ""),
            app_url=config.get("PUBLIC_BASE_URL", ""),
            context_tokens=context_table(config).get("openai_compatible"),
            api=api,
        )

    def headers(self) -> dict[str, str]:
        """Request headers: the Bearer key when one is set, plus the app's attribution."""
        headers = {"HTTP-Referer": self._app_url, "X-Title": APP_TITLE}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def body(self, task: str, request: ProviderRequest, mode: str) -> dict[str, Any]:
        """The chat-completions body for one response-format mode."""
        schema = inline_schema(request.schema)
        system = request.system
        if mode != "json_schema":
            # Without a server-enforced schema the model needs to see it.
            system += schema_instructions(request.schema)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": request.user},
            ],
            "temperature": 0.3,
        }
        if request.max_output_tokens:
            body["max_tokens"] = request.max_output_tokens
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": task, "strict": False, "schema": schema},
            }
        elif mode == "json_object_schema":
            body["response_format"] = {"type": "json_object", "schema": grammar_schema(schema)}
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        if self.name == "openrouter" and "response_format" in body:
            # Route only to backends that honour every parameter sent, the format above all.
            body["provider"] = {"require_parameters": True}
        return body

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """One logical call; steps down through the response-format modes if they are refused."""
        if not self.base_url:
            raise Rejected(f"{self.name}: no base URL is configured")
        if self._key_required and not self._api_key:
            raise Rejected(f"{self.name}: no API key is configured")
        if self._speaks_ollama(timeout):
            return ollama.chat(self, request, timeout=timeout)
        refused: _FormatRefused | None = None
        for index in range(self._modes.get(task, 0), len(MODES)):
            body = self.body(task, request, MODES[index])
            try:
                reply = self._post(body, MODES[index], timeout)
            except _FormatRefused as exc:
                refused = refused or exc
                continue
            with self._lock:
                self._modes[task] = index
            record_usage(reply, request.usage)
            return self._parse(reply, request.schema)
        raise refused if refused else Rejected(f"{self.name}: every format was refused")

    def prompt_overhead_tokens(self, task: str, schema: type[BaseModel]) -> int:
        """Tokens this provider adds to the task's prompt: the schema's text, which goes into the
        system message in every mode after `json_schema`. Counted until the server has accepted
        `json_schema` for the task (or is known to be Ollama, whose native API takes the schema
        as `format`), so a prompt budgeted before the first call still fits if it steps down."""
        if self._modes.get(task) == 0 or self._api == "ollama":
            return 0
        return estimate_tokens(schema_instructions(schema))

    def _speaks_ollama(self, timeout: float) -> bool:
        """Whether to use Ollama's native API; "auto" asks the server (GET /api/version) until
        it gets an answer, so an Ollama that was down at first is not taken for another server."""
        with self._lock:
            if self._api == "auto":
                found = ollama.is_ollama(self.base_url, timeout)
                if found is None:
                    return False  # unreachable: this call fails on its own, ask again next time
                self._api = "ollama" if found else "openai"
            return self._api == "ollama"

    def _post(self, body: dict[str, Any], mode: str, timeout: float) -> dict[str, Any]:
        """POST to /chat/completions and return the decoded body of a successful reply."""
        resp, data = post(
            f"{self.base_url}/chat/completions", timeout, json=body, headers=self.headers()
        )
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if resp.status_code >= 400:
            message = _error_message(data, resp.text)
            if resp.status_code in (400, 404, 413, 422) or wrapped_format_refusal(
                resp.status_code, message
            ):
                raise classify_client_error(
                    self.name, self.model, resp.status_code, data, resp.text, mode
                )
            raise error_for_status(resp.status_code, message, retry_after)
        if not isinstance(data, dict):
            raise Unavailable(f"HTTP {resp.status_code} with a body that is not JSON")
        if data.get("error"):
            # An error object inside a 200 body: the upstream model failed mid-request.
            code = data["error"].get("code") if isinstance(data["error"], dict) else None
            status = code if code in (401, 403, 408, 429) else 502
            raise error_for_status(status, _error_message(data, "error body"), retry_after)
        return data

    def _parse(self, data: dict[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
        """The JSON object in the first choice's message."""
        choices = data.get("choices") or []
        if not choices or not isinstance(choices[0], dict):
            raise Unavailable("the reply has no choices")
        return read_choice(choices[0], schema)


def record_usage(data: Mapping[str, Any], usage: CallUsage) -> None:
    """Copy the reply's usage block (prompt_tokens, completion_tokens) into `usage`."""
    block = data.get("usage")
    if isinstance(block, dict):
        prompt, output = block.get("prompt_tokens"), block.get("completion_tokens")
        usage.prompt_tokens = prompt if isinstance(prompt, int) else None
        usage.output_tokens = output if isinstance(output, int) else None
