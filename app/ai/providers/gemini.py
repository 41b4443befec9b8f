"""Google Gemini through the google-genai SDK.

The SDK's own retries are switched off (the router is the only retry loop), each call carries its
own timeout, output-token cap and thinking budget, and the reply is constrained to JSON with the
task's schema. `GEMINI_BASE_URL` may end in an API version (``http://127.0.0.1:8080/v1``);
otherwise `GEMINI_API_VERSION` or ``v1beta`` is used.

The default model is ``gemini-3.8-flash``, the newest generally available Flash model on the
Gemini API's model list (December 2026); ``gemini-2.5-flash``, the previous default, was shut
down in 2026. A model the API does not serve answers 404, which becomes `ModelNotFound` naming the
model, never a silent retry.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from app.ai.errors import (
    AIError,
    ContextOverflow,
    EmptyReply,
    ModelNotFound,
    OutputTruncated,
    Rejected,
    TimedOut,
    Unavailable,
)
from app.ai.providers.base import (
    CallUsage,
    Provider,
    ProviderRequest,
    context_table,
    error_for_status,
    parse_json_reply,
    parse_retry_after,
)

_VERSION_SUFFIX = re.compile(r"^(?P<base>.*?)/(?P<version>v\d+(?:alpha|beta)?\d*)/?$")
_BLOCKING_FINISH = {
    "SAFETY",
    "RECITATION",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "LANGUAGE",
    "IMAGE_SAFETY",
}
# Finish reasons that say the model went astray this time (a tool call it was never offered, an
# unspecified failure): the same request may well succeed, so they are retried, not repaired.
_TRANSIENT_FINISH = {
    "OTHER",
    "MALFORMED_FUNCTION_CALL",
    "UNEXPECTED_TOOL_CALL",
    "TOO_MANY_TOOL_CALLS",
    "FINISH_REASON_UNSPECIFIED",
}
_CONTEXT_WORDS = re.compile(r"token count|too many tokens|context (?:length|window)", re.I)
DEFAULT_API_VERSION = "v1beta"
DEFAULT_MODEL = "gemini-3.8-flash"
DEFAULT_CONTEXT_TOKENS = 1_048_576


def split_base_url(url: str, api_version: str = "") -> tuple[str | None, str]:
    """Split ``http://host/v1`` into (``http://host``, ``v1``); a bare host keeps `api_version`."""
    url = url.strip().rstrip("/")
    match = _VERSION_SUFFIX.match(url)
    if match:
        return match["base"] or None, match["version"]
    return url or None, api_version or DEFAULT_API_VERSION


def sdk_client(api_key: str, base_url: str | None, api_version: str) -> Any:
    """A google-genai client for the Gemini Developer API with the SDK's own retries off (the
    router is the only retry loop)."""
    from google import genai
    from google.genai import types

    options = types.HttpOptions(
        base_url=base_url,
        api_version=api_version,
        retry_options=types.HttpRetryOptions(attempts=1),
    )
    return genai.Client(api_key=api_key, vertexai=False, http_options=options)


def transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """The HTTP client's timeout and transport exception classes (the SDK uses httpx2 or httpx)."""
    timeouts: list[type[BaseException]] = [TimeoutError]
    transport: list[type[BaseException]] = [ConnectionError]
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        transport.append(module.TransportError)
    return tuple(timeouts), tuple(transport)


def _retry_delay(details: Any) -> float | None:
    """Seconds from a google.rpc.RetryInfo entry in an error body (``"retryDelay": "7s"``)."""
    error = details.get("error", details) if isinstance(details, dict) else {}
    for item in error.get("details", []) if isinstance(error, dict) else []:
        delay = item.get("retryDelay") if isinstance(item, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            return parse_retry_after(delay[:-1])
    return None


def translate_api_error(exc: Any, model: str = "") -> AIError:
    """Map the SDK's APIError (HTTP status, body, headers) to the app's error classes.

    generateContent answers 404 only for a model it does not serve (``models/x is not found``).
    """
    code = int(exc.code or 0)
    message = f"{exc.status} {exc.message}"
    if code == 404:
        return ModelNotFound("gemini", model, str(exc.message or exc.status or ""))
    if code == 400 and _CONTEXT_WORDS.search(str(exc.message or "")):
        overflow = ContextOverflow(f"HTTP 400: {exc.message}")
        overflow.status = 400
        return overflow
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    retry_after = parse_retry_after(headers.get("retry-after")) or _retry_delay(exc.details)
    return error_for_status(code, message, retry_after)


def thinking_config(model: str, budget: int | None) -> dict[str, Any] | None:
    """The thinkingConfig for a token budget: Gemini 3 models take a level, older ones a budget.

    Gemini 3 accepts `thinking_budget` only for compatibility and refuses a request carrying both,
    so the budget is mapped to the nearest level there (3.x Flash: LOW, MEDIUM or HIGH).
    """
    if budget is None:
        return None
    if re.match(r"gemini-[3-9]", model):
        level = "LOW" if budget <= 1024 else "MEDIUM" if budget <= 8192 else "HIGH"
        return {"thinking_level": level}
    return {"thinking_budget": budget}


def record_usage(response: Any, usage: CallUsage) -> None:
    """Copy usageMetadata into `usage`; thinking tokens are billed as output, so they count."""
    meta = getattr(response, "usage_metadata", None)
    if meta is None:
        return
    usage.prompt_tokens = getattr(meta, "prompt_token_count", None)
    names = ("candidates_token_count", "thoughts_token_count")
    parts = [getattr(meta, name, None) for name in names]
    counted = [n for n in parts if isinstance(n, int)]
    usage.output_tokens = sum(counted) if counted else None


def reply_text(response: Any) -> str:
    """The model's text, or the app error that explains why there is none.

    Thought parts never count as the answer. An empty reply that finished normally, and the
    finish reasons in `_TRANSIENT_FINISH`, are retryable (`EmptyReply`); a reply cut off at the
    output cap is `OutputTruncated`; blocked content is `Rejected`.
    """
    feedback = getattr(response, "prompt_feedback", None)
    if feedback is not None and getattr(feedback, "block_reason", None):
        raise Rejected(f"Gemini blocked the prompt: {feedback.block_reason}")
    candidates = getattr(response, "candidates", None) or []
    if not candidates:
        raise EmptyReply("Gemini returned no candidates")
    candidate = candidates[0]
    finish = str(getattr(candidate, "finish_reason", "") or "").rsplit(".", 1)[-1]
    if finish in _BLOCKING_FINISH:
        raise Rejected(f"Gemini stopped the reply: {finish}")
    parts = getattr(getattr(candidate, "content", None), "parts", None) or []
    text = "".join(p.text for p in parts if getattr(p, "text", None) and not p.thought)
    if finish == "MAX_TOKENS":
        raise OutputTruncated("the reply was cut off at the output-token limit", raw=text)
    if finish in _TRANSIENT_FINISH and not text.strip():
        raise EmptyReply(f"Gemini stopped without an answer: {finish}")
    if not text.strip():
        raise EmptyReply(f"Gemini finished ({finish or 'no reason'}) with an empty reply")
    return text


class GeminiClient:
    """One SDK client for a key and endpoint, made on first use (imports stay cheap until then)
    and shared by every call through it; its failures come back as the AI layer's errors."""

    def __init__(self, api_key: str, base_url: str = "", api_version: str = "") -> None:
        self.api_key = api_key
        self._base_url, self._api_version = split_base_url(base_url, api_version)
        self._client: Any = None
        self._lock = threading.Lock()

    def generate_content(
        self,
        model: str,
        contents: Any,
        config: Any,
        *,
        timeout: float,
        refusal: Callable[[AIError], AIError] = lambda error: error,
    ) -> Any:
        """One generateContent call; an API error is translated (then passed to `refusal`, which
        may name it more precisely), a timeout or a broken connection is retryable."""
        from google.genai import errors as genai_errors

        timeouts, transport = transport_errors()
        try:
            return self._sdk().models.generate_content(
                model=model, contents=contents, config=config
            )
        except genai_errors.APIError as exc:
            raise refusal(translate_api_error(exc, model)) from exc
        except timeouts as exc:
            raise TimedOut(f"no reply within {timeout:.1f}s") from exc
        except transport as exc:
            raise Unavailable(f"connection failed: {type(exc).__name__}") from exc

    def _sdk(self) -> Any:
        with self._lock:  # requests share the client
            if self._client is None:
                self._client = sdk_client(self.api_key, self._base_url, self._api_version)
            return self._client

    def close(self) -> None:
        """Close the SDK's HTTP client (a later call makes a new one)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


class GeminiProvider(Provider):
    """Gemini's generateContent with structured JSON output."""

    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str = "",
        api_version: str = "",
        context_tokens: int = DEFAULT_CONTEXT_TOKENS,
    ) -> None:
        self.model = model
        self.context_tokens = context_tokens
        self._client = GeminiClient(api_key, base_url, api_version)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> GeminiProvider:
        """Build from GEMINI_API_KEY, GEMINI_MODEL, GEMINI_BASE_URL (and GEMINI_API_VERSION)."""
        return cls(
            api_key=config.get("GEMINI_API_KEY", ""),
            model=config.get("GEMINI_MODEL", "") or DEFAULT_MODEL,
            base_url=config.get("GEMINI_BASE_URL", ""),
            api_version=config.get("GEMINI_API_VERSION", ""),
            context_tokens=context_table(config).get("gemini", DEFAULT_CONTEXT_TOKENS),
        )

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """One generateContent call constrained to the request's schema."""
        if not self._client.api_key:
            raise Rejected("GEMINI_API_KEY is not set")
        from google.genai import types

        thinking = thinking_config(self.model, request.thinking_budget)
        config = types.GenerateContentConfig(
            system_instruction=request.system,
            response_mime_type="application/json",
            response_schema=request.schema,
            temperature=0.3,
            max_output_tokens=request.max_output_tokens,
            thinking_config=types.ThinkingConfig(**thinking) if thinking else None,
            http_options=types.HttpOptions(timeout=max(1, round(timeout * 1000))),
        )
        response = self._client.generate_content(self.model, request.user, config, timeout=timeout)
        record_usage(response, request.usage)
        return parse_json_reply(reply_text(response), request.schema)

    def close(self) -> None:
        """Close the SDK's HTTP client."""
        self._client.close()
