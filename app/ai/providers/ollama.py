"""Ollama's native chat API, used by the OpenAI-compatible provider when the server is Ollama.

Ollama serves a 4,096-token context unless a request asks for more, and its OpenAI-compatible
``/v1`` endpoint has no way to ask: a longer prompt loses its beginning (the rules and the schema)
without any error. ``POST /api/chat`` takes ``options.num_ctx``, so each request sets the context
its prompt and reply need, up to the provider's AI_CONTEXT_TOKENS. The schema goes in ``format``
(Ollama constrains the output to it), the output cap in ``options.num_predict``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import requests

from app.ai.errors import ContextOverflow, ModelNotFound, OutputTruncated
from app.ai.providers.base import (
    ProviderRequest,
    error_for_status,
    estimate_tokens,
    parse_retry_after,
    post,
    short,
)

if TYPE_CHECKING:
    from app.ai.providers.openai_compat import OpenAICompatProvider

DEFAULT_REPLY_TOKENS = 2_048  # room for the reply when the task sets no output cap
CONTEXT_STEP = 1_024


def root_url(base_url: str) -> str:
    """The server's root: Ollama is configured as ``http://host:11434/v1`` for OpenAI clients."""
    base = base_url.rstrip("/")
    return base[: -len("/v1")] if base.endswith("/v1") else base


def is_ollama(base_url: str, timeout: float) -> bool | None:
    """Whether the server answers Ollama's ``GET /api/version`` (other servers answer 404).

    None when the server could not be asked (down, timing out): the question stays open.
    """
    try:
        resp = requests.get(f"{root_url(base_url)}/api/version", timeout=min(timeout, 5.0))
    except requests.RequestException:
        return None
    try:
        return resp.status_code == 200 and "version" in resp.json()
    except (ValueError, TypeError):
        return False


def context_for(request: ProviderRequest, limit: int | None) -> int:
    """The num_ctx a request needs (prompt plus reply, in whole steps), within `limit`."""
    prompt = estimate_tokens(request.system) + estimate_tokens(request.user)
    needed = prompt + (request.max_output_tokens or DEFAULT_REPLY_TOKENS)
    num_ctx = math.ceil(needed / CONTEXT_STEP) * CONTEXT_STEP
    if limit and needed > limit:
        raise ContextOverflow(
            f"the prompt needs about {needed} tokens; AI_CONTEXT_TOKENS allows {limit}"
        )
    return min(num_ctx, limit) if limit else num_ctx


def chat_body(provider: OpenAICompatProvider, request: ProviderRequest) -> dict[str, Any]:
    """The /api/chat body: schema-constrained, unstreamed, with the context it needs."""
    from app.ai.providers.openai_compat import inline_schema

    options: dict[str, Any] = {
        "num_ctx": context_for(request, provider.context_tokens),
        "temperature": 0.3,
    }
    if request.max_output_tokens:
        options["num_predict"] = request.max_output_tokens
    body: dict[str, Any] = {
        "model": provider.model,
        "messages": [
            {"role": "system", "content": request.system},
            {"role": "user", "content": request.user},
        ],
        "stream": False,
        "format": inline_schema(request.schema),
        "options": options,
    }
    if request.thinking_budget == 0:
        body["think"] = False  # a thinking model would otherwise spend the reply's tokens on it
    return body


def chat(
    provider: OpenAICompatProvider, request: ProviderRequest, *, timeout: float
) -> dict[str, Any]:
    """One /api/chat call; returns the parsed JSON object or raises an app error."""
    from app.ai.providers.openai_compat import parse_text_or_reasoning

    resp, data = post(
        f"{root_url(provider.base_url)}/api/chat",
        timeout,
        json=chat_body(provider, request),
        headers=provider.headers(),
    )
    message = str(data.get("error") or resp.text) if isinstance(data, dict) else resp.text
    if resp.status_code == 404:
        raise ModelNotFound(provider.name, provider.model, short(message))
    if resp.status_code >= 400 or not isinstance(data, dict) or data.get("error"):
        status = resp.status_code if resp.status_code >= 400 else 502
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        raise error_for_status(status, message, retry_after)
    request.usage.prompt_tokens = data.get("prompt_eval_count")
    request.usage.output_tokens = data.get("eval_count")
    reply = data.get("message") or {}
    text, thinking = str(reply.get("content") or ""), str(reply.get("thinking") or "")
    if data.get("done_reason") == "length":
        raise OutputTruncated("the reply was cut off at the output-token limit", raw=text)
    return parse_text_or_reasoning(text, thinking, request.schema)
