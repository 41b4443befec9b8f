"""OpenAI-compatible chat completions over requests: OpenRouter, Ollama, vLLM, LM Studio.

The reply is asked for with ``response_format: json_schema``. Servers and models that refuse it (a
400/422 while a response format was sent) are asked again in the same call with ``json_object`` and
then as plain text with the schema in the prompt; the first mode that works is remembered for later
calls. These steps negotiate a format, they are not retries: the router owns retries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import requests
from pydantic import BaseModel

from app.ai.errors import InvalidOutput, Rejected, TimedOut, Unavailable
from app.ai.providers.base import (
    Provider,
    ProviderRequest,
    error_for_status,
    parse_json_reply,
    parse_retry_after,
    short,
)

MODES = ("json_schema", "json_object", "text")
APP_TITLE = "Interview Coach"


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
    ) -> None:
        self.name = name
        self.model = model
        self.base_url = base_url.strip().rstrip("/")
        self._api_key = api_key
        self._key_required = key_required
        self._app_url = app_url or "http://localhost"
        self._mode = 0  # index into MODES of the first mode this server accepts

    @classmethod
    def openrouter(cls, config: Mapping[str, Any]) -> OpenAICompatProvider:
        """OpenRouter from OPENROUTER_API_KEY, OPENROUTER_MODEL and OPENROUTER_BASE_URL."""
        return cls(
            name="openrouter",
            base_url=config.get("OPENROUTER_BASE_URL", "") or "https://openrouter.ai/api/v1",
            model=config.get("OPENROUTER_MODEL", "") or "google/gemini-2.5-flash",
            api_key=config.get("OPENROUTER_API_KEY", ""),
            key_required=True,
            app_url=config.get("PUBLIC_BASE_URL", ""),
        )

    @classmethod
    def openai_compatible(cls, config: Mapping[str, Any]) -> OpenAICompatProvider:
        """A local or self-hosted server from OPENAI_COMPAT_BASE_URL/_MODEL and an optional key."""
        return cls(
            name="openai_compatible",
            base_url=config.get("OPENAI_COMPAT_BASE_URL", ""),
            model=config.get("OPENAI_COMPAT_MODEL", "") or "default",
            api_key=config.get("OPENAI_COMPAT_API_KEY", ""),
            app_url=config.get("PUBLIC_BASE_URL", ""),
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
            system += "\nThe JSON object must match this JSON Schema:\n" + json.dumps(
                schema, ensure_ascii=False, separators=(",", ":")
            )
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": request.user},
            ],
            "temperature": 0.3,
        }
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": task, "strict": False, "schema": schema},
            }
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """One logical call; steps down through the response-format modes if they are refused."""
        if not self.base_url:
            raise Rejected(f"{self.name}: no base URL is configured")
        if self._key_required and not self._api_key:
            raise Rejected(f"{self.name}: no API key is configured")
        refused: _FormatRefused | None = None
        for index in range(self._mode, len(MODES)):
            try:
                reply = self._post(self.body(task, request, MODES[index]), MODES[index], timeout)
            except _FormatRefused as exc:
                refused = refused or exc
                continue
            self._mode = index
            return self._parse(reply, request.schema)
        raise refused if refused else Rejected(f"{self.name}: every format was refused")

    def _post(self, body: dict[str, Any], mode: str, timeout: float) -> dict[str, Any]:
        """POST to /chat/completions and return the decoded body of a successful reply."""
        try:
            resp = requests.post(
                f"{self.base_url}/chat/completions",
                json=body,
                headers=self.headers(),
                timeout=timeout,
            )
        except requests.Timeout as exc:
            raise TimedOut(f"no reply within {timeout:.1f}s") from exc
        except requests.RequestException as exc:
            raise Unavailable(f"connection failed: {type(exc).__name__}") from exc
        try:
            data = resp.json()
        except ValueError:
            data = None
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if resp.status_code >= 400:
            message = _error_message(data, resp.text)
            if resp.status_code in (400, 422) and mode != "text":
                refused = _FormatRefused(f"HTTP {resp.status_code}: {short(message)}")
                refused.status = resp.status_code
                raise refused
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
        choice = choices[0]
        if choice.get("error"):
            raise Unavailable(f"the model failed: {short(_error_message(choice, 'error'))}")
        message = choice.get("message") or {}
        if message.get("refusal"):
            raise Rejected(f"the model refused: {short(str(message['refusal']))}")
        text = _message_text(message)
        if choice.get("finish_reason") == "length":
            raise InvalidOutput("the reply was cut off at the token limit", raw=text)
        return parse_json_reply(text, schema)
